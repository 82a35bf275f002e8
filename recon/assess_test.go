package recon

import (
	"os"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func days(n int) *time.Time { t := now.AddDate(0, 0, -n); return &t }

func rep(mods map[string]any) *Report {
	r := &Report{Target: Target{Kind: KindDomain, Value: "example.com"}, Modules: map[string]*ModuleResult{}}
	for id, f := range mods {
		r.Modules[id] = &ModuleResult{Module: id, Status: StatusOK, Facts: f}
	}
	return r
}

// TestRules checks every rule of the table: which facts trigger it, at
// which level, with which words.
func TestRules(t *testing.T) {
	tests := []struct {
		rule  string
		mods  map[string]any
		level Level  // LevelNone: the rule must stay silent
		text  string // part of the signal text
	}{
		{"young-domain", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(16)}}, LevelRed, "16 days ago"},
		{"young-domain", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(200)}}, LevelYellow, "younger than a year"},
		{"young-domain", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(3000)}}, LevelGreen, "8 years ago"},
		{"young-domain", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(400)}}, LevelGreen, "registered 1 year ago"},
		{"young-domain", map[string]any{"whois": &WhoisFacts{Registered: true}}, LevelNone, ""},
		{"not-registered", map[string]any{"whois": &WhoisFacts{Domain: "free.com", Registration: RegFree}}, LevelYellow, "not registered"},
		{"not-registered", map[string]any{"whois": &WhoisFacts{Domain: "unasked.com"}}, LevelNone, ""},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{}}, LevelRed, "no SPF and no DMARC"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{Domain: "ns1.example.com"}}, LevelNone, ""},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{}, "dns": &DNSFacts{NXDomain: true}}, LevelNone, ""},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{Domain: "mail.example.com", HasMX: true}}, LevelRed, "no SPF and no DMARC"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "+all"}, DMARC: &DMARCRecord{Policy: "reject"}}}, LevelRed, "+all"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "-all"}}}, LevelYellow, "no DMARC"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "~all"}, DMARC: &DMARCRecord{Policy: "none"}}}, LevelYellow, "p=none"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "-all"}, DMARC: &DMARCRecord{Policy: "reject"}}}, LevelGreen, "p=reject"},
		{"spf-errors", map[string]any{"email": &EmailFacts{SPFCount: 2}}, LevelYellow, "2 SPF records"},
		{"spf-errors", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{Errors: []string{"11 DNS lookups"}}}}, LevelYellow, "11 DNS lookups"},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "185.220.101.47", Zone: "zen.spamhaus.org", Result: DNSBLListed, Meanings: []string{"SBL"}, Since: "2024-11-14"}}}}, LevelRed, "listed on zen.spamhaus.org (SBL) since 2024-11-14"},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "192.0.2.1", Zone: "zen.spamhaus.org", Result: DNSBLListed, Policy: true}}}}, LevelNone, ""},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "x", Zone: "zen.spamhaus.org", Result: DNSBLUnknown}}}}, LevelNone, ""},
		{"listing-unknown", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Zone: "zen.spamhaus.org", Result: DNSBLUnknown, Reason: "resolver refused (127.255.255.254)"}}}}, LevelYellow, "resolver refused"},
		{"abuse-asn", map[string]any{"threat": &ThreatFacts{ASN: []ASNFlag{{ASN: 205100, Org: "BLUEHAVEN", Source: "ASN-DROP"}, {ASN: 205100}}}}, LevelRed, "AS205100 (BLUEHAVEN)"},
		{"keyed-malicious", map[string]any{"threat": &ThreatFacts{Keyed: []KeyedResult{{Source: "virustotal", Malicious: true, Detail: "7 engines"}}}}, LevelRed, "7 engines"},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "185.220.101.47", Ports: []int{22, 443}, Vulns: []string{"CVE-2023-38408"}}}}}, LevelRed, "1 known CVEs"},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "192.0.2.1", Ports: []int{22, 80, 443}}}}}, LevelYellow, "beyond 80/443: 22"},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "104.21.1.1", Ports: []int{2052, 8443}, Vulns: []string{"CVE-1"}, CDN: "cloudflare"}}}}, LevelNone, ""},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "192.0.2.1", Ports: []int{80, 443}}}}}, LevelNone, ""},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", SelfSigned: true, Subject: "CN=x", NotAfter: now.AddDate(1, 0, 0)}}}}, LevelRed, "self-signed"},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", Expired: true, NotAfter: now.AddDate(0, 0, -3)}}}}, LevelRed, "expired"},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", NameMismatch: true, ServerName: "x.com", NotAfter: now.AddDate(1, 0, 0), DaysLeft: 300}}}}, LevelYellow, "does not cover x.com"},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", Verified: true, NotAfter: now.AddDate(0, 2, 0), DaysLeft: 60}}}}, LevelNone, ""},
		{"no-subdomains", map[string]any{"subdomains": &SubdomainFacts{}}, LevelYellow, "no subdomains"},
		{"no-subdomains", map[string]any{"subdomains": &SubdomainFacts{Total: 12}}, LevelNone, ""},
		{"no-subdomains", map[string]any{"subdomains": &SubdomainFacts{}, "dns": &DNSFacts{NXDomain: true}}, LevelNone, ""},
		{"security-headers", map[string]any{"headers": &HeadersFacts{Security: []HeaderCheck{{Name: "A"}, {Name: "B"}, {Name: "C"}, {Name: "D", Present: true}}}}, LevelYellow, "missing security headers: A, B, C"},
		{"security-headers", map[string]any{"headers": &HeadersFacts{Security: []HeaderCheck{{Name: "A", Present: true}}}}, LevelGreen, "all 1 security headers"},
		{"cloudflare", map[string]any{"headers": &HeadersFacts{Cloudflare: true}}, LevelYellow, "IP pivot says little"},
		{"cloudflare", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{CDN: "cloudflare"}}}}, LevelYellow, "Cloudflare"},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "gone.com", NXDomain: true}}, LevelYellow, "NXDOMAIN"},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "x.com", A: []string{"192.0.2.1"}}}, LevelNone, ""},
		{"non-public-address", map[string]any{"dns": &DNSFacts{Name: "x.com", A: []string{"169.254.169.254"}}}, LevelRed, "link-local"},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--pple-43d.com"}}, LevelRed, "xn--pple-43d.com is shown as аpple.com (\"аpple\" mixes Cyrillic and Latin letters); it imitates apple.com"},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--80ak6aa92e.com"}}, LevelRed, "Cyrillic letters that look Latin); it imitates apple.com"},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--bcher-kva.de"}}, LevelNone, ""},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--e1afmkfd.xn--p1ai"}}, LevelNone, ""},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "apple.com"}}, LevelNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"/"+string(tt.level), func(t *testing.T) {
			r := rep(tt.mods)
			Assess(r, now)
			var got []Signal
			for _, s := range r.Assessment.Signals {
				if s.Rule == tt.rule {
					got = append(got, s)
				}
			}
			if tt.level == LevelNone {
				if len(got) != 0 {
					t.Fatalf("rule %s fired: %+v", tt.rule, got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("rule %s gave %d signals (%+v), want 1", tt.rule, len(got), got)
			}
			if got[0].Level != tt.level || !strings.Contains(got[0].Text, tt.text) {
				t.Fatalf("rule %s: %s %q; want %s containing %q", tt.rule, got[0].Level, got[0].Text, tt.level, tt.text)
			}
			if m := r.Module(got[0].Module); m != nil && len(m.Signals) == 0 {
				t.Fatalf("signal not stored in module block %q", got[0].Module)
			}
		})
	}
}

// TestEveryRuleHasATest fails when a rule is added to the table without a
// case in TestRules.
func TestEveryRuleHasATest(t *testing.T) {
	b, err := os.ReadFile("assess_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if r.Check == nil || r.Module == "" {
			t.Errorf("rule %s incomplete", r.ID)
		}
		if !strings.Contains(string(b), "{\""+r.ID+"\", map") {
			t.Errorf("rule %s has no case in TestRules", r.ID)
		}
	}
}

func TestAssessmentLevelAndFalsePositives(t *testing.T) {
	r := rep(map[string]any{
		"whois": &WhoisFacts{Registered: true, Created: days(16)},
		"email": &EmailFacts{SPF: &SPFRecord{All: "-all"}, DMARC: &DMARCRecord{Policy: "none"}},
	})
	a := Assess(r, now)
	if a.Level != LevelRed {
		t.Fatalf("level %s, want red", a.Level)
	}
	if a.Signals[0].Level != LevelRed {
		t.Fatalf("signals not sorted red first: %+v", a.Signals)
	}
	if got := LevelWithout(a, map[string]bool{"young-domain": true}); got != LevelYellow {
		t.Fatalf("without young-domain: %s, want yellow", got)
	}
	empty := Assess(rep(nil), now)
	if empty.Level != LevelGreen || empty.Signals == nil {
		t.Fatalf("empty report: %+v", empty)
	}
}

func TestRegisteredDomain(t *testing.T) {
	tests := []struct {
		in, want string
		reg      bool
	}{
		{"ns1.nova-dns.net", "nova-dns.net", false},
		{"nova-parcels.com", "nova-parcels.com", true},
		{"www.google.co.uk.", "google.co.uk", false},
		{"google.co.uk", "google.co.uk", true},
		{"com", "com", true},
	}
	for _, tt := range tests {
		if got := RegisteredDomain(tt.in); got != tt.want {
			t.Errorf("RegisteredDomain(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := IsRegisteredDomain(tt.in); got != tt.reg {
			t.Errorf("IsRegisteredDomain(%q) = %v", tt.in, got)
		}
	}
}

// TestIDNHomographFromTarget: the rule reads the target itself, so it
// fires even when the dns module did not run.
func TestIDNHomographFromTarget(t *testing.T) {
	tg, err := ParseTarget("аpple.com")
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{Target: tg, Modules: map[string]*ModuleResult{}}
	Assess(r, now)
	if len(r.Assessment.Signals) != 1 || r.Assessment.Signals[0].Rule != "idn-homograph" ||
		!strings.Contains(r.Assessment.Signals[0].Text, "xn--pple-43d.com is shown as аpple.com") {
		t.Fatalf("signals %+v", r.Assessment.Signals)
	}
}
