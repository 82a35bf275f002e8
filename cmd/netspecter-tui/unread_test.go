package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestScanStatesNoFindingItCouldNotRead scans the demo world under the
// lab's network faults and checks, in the text report and in --json, that
// nothing which could not be read is stated as a finding: no "Cloudflare
// no" or "0 names" without an answer, no "privacy no" from a thin
// registry record, no "spoofable": false without the mail records, and an
// assessment that names the checks it lacks.
func TestScanStatesNoFindingItCouldNotRead(t *testing.T) {
	tests := []struct {
		name, faults, target, modules string
		absentFacts                   map[string][]string // module -> facts keys that must be absent ("*": facts null)
		badText                       []string            // regexps the text must not match
		wantText                      []string            // substrings the text must hold
	}{
		{"block=443: no handshake, no page, no CT, no InternetDB", "block=443", "meridian-freight.com", "ssl,headers,subdomains,ports",
			map[string][]string{"ssl": {"*"}, "headers": {"*"}, "subdomains": {"*"}, "ports": {"*"}},
			[]string{`(?m)^\s+Cloudflare\s+no\b`, `(?m)^\s+found\s+0 names`, `(?m)^\s+missing\s`, `no certificate`},
			[]string{"not checked: ssl (error), ports (error), subdomains (error), headers (error)"}},
		{"block=43: the registry's RDAP only", "block=43", "nova-parcels.com", "whois",
			map[string][]string{"whois": {"privacy"}},
			[]string{`(?m)^\s+privacy\s+no\b`},
			[]string{"privacy        unknown"}},
		{"resolver=refused: no mail records", "resolver=refused", "meridian-freight.com", "email",
			map[string][]string{"email": {"has_mx", "spf_count", "mta_sts", "tls_rpt", "spoofable"}},
			[]string{`(?m)^\s+(MX|SPF|DMARC|MTA-STS|TLS-RPT|spoofable)\s+(none|no|YES)\b`},
			[]string{"spoofable      unknown", "not checked: email (error)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, _, rep, _, _ := faultScan(t, tt.faults, tt.target, "--modules", tt.modules)
			for id, keys := range tt.absentFacts {
				m := module(rep, id)
				if m == nil {
					t.Fatalf("no module %s in %v", id, rep["modules"])
				}
				facts, _ := m["facts"].(map[string]any)
				for _, k := range keys {
					if k == "*" {
						if m["facts"] != nil {
							t.Errorf("%s (%v) has facts though nothing answered: %v", id, m["status"], m["facts"])
						}
						continue
					}
					if v, has := facts[k]; has {
						t.Errorf("%s facts carry %q: %v though it was not read", id, k, v)
					}
				}
			}
			for _, re := range tt.badText {
				if m := regexp.MustCompile(re).FindString(text); m != "" {
					t.Errorf("text states %q about what was not read:\n%s", m, text)
				}
			}
			for _, want := range tt.wantText {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
		})
	}
}
