package recon

import (
	"errors"
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
		if err, ok := f.(error); ok { // a module that ran and could not answer
			r.Modules[id] = &ModuleResult{Module: id, Status: StatusError, Err: err.Error()}
			continue
		}
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
		{"spoofable-mail", map[string]any{"email": &EmailFacts{}}, LevelYellow, "no SPF and no DMARC"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{Domain: "ns1.example.com"}}, LevelNone, ""},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{}, "dns": &DNSFacts{NXDomain: true}}, LevelNone, ""},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{Domain: "mail.example.com", HasMX: true}}, LevelYellow, "no SPF and no DMARC"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "+all"}, DMARC: &DMARCRecord{Policy: "reject"}}}, LevelYellow, "+all"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "-all"}}}, LevelYellow, "no DMARC"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "~all"}, DMARC: &DMARCRecord{Policy: "none"}}}, LevelYellow, "p=none"},
		{"spoofable-mail", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{All: "-all"}, DMARC: &DMARCRecord{Policy: "reject"}}}, LevelGreen, "p=reject"},
		{"spf-errors", map[string]any{"email": &EmailFacts{SPFCount: 2}}, LevelYellow, "2 SPF records"},
		{"spf-errors", map[string]any{"email": &EmailFacts{SPF: &SPFRecord{Errors: []string{"11 DNS lookups"}}}}, LevelYellow, "11 DNS lookups"},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "185.220.101.47", Zone: "zen.spamhaus.org", Result: DNSBLListed, Meanings: []string{"SBL"}, Since: "2024-11-14"}}}}, LevelRed, "listed on zen.spamhaus.org (SBL) since 2024-11-14"},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "192.0.2.1", Zone: "zen.spamhaus.org", Result: DNSBLListed, Policy: true}}}}, LevelNone, ""},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "x", Zone: "zen.spamhaus.org", Result: DNSBLUnknown}}}}, LevelNone, ""},
		{"listing-unknown", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Zone: "zen.spamhaus.org", Result: DNSBLUnknown, Reason: "resolver refused (127.255.255.254)"}}}}, LevelInfo, "resolver refused"},
		{"abuse-asn", map[string]any{"threat": &ThreatFacts{ASN: []ASNFlag{{ASN: 205100, Org: "BLUEHAVEN", Source: "ASN-DROP"}, {ASN: 205100}}}}, LevelYellow, "AS205100 (BLUEHAVEN)"},
		{"keyed-malicious", map[string]any{"threat": &ThreatFacts{Keyed: []KeyedResult{{Source: "virustotal", Malicious: true, Detail: "7 engines"}}}}, LevelRed, "7 engines"},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "185.220.101.47", Ports: []int{22, 443}, Vulns: []string{"CVE-2023-38408"}}}}}, LevelYellow, "1 known CVEs"},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "192.0.2.1", Ports: []int{22, 80, 443}}}}}, LevelInfo, "beyond 80/443 open (22), no known CVEs"},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "104.21.1.1", Ports: []int{2052, 8443}, Vulns: []string{"CVE-1"}, CDN: "cloudflare"}}}}, LevelNone, ""},
		{"exposed-ports", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "192.0.2.1", Ports: []int{80, 443}}}}}, LevelNone, ""},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", SelfSigned: true, Subject: "CN=x", NotAfter: now.AddDate(1, 0, 0)}}}}, LevelYellow, "self-signed"},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", Expired: true, NotAfter: now.AddDate(0, 0, -3)}}}}, LevelYellow, "expired"},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", NameMismatch: true, ServerName: "x.com", NotAfter: now.AddDate(1, 0, 0), DaysLeft: 300}}}}, LevelYellow, "does not cover x.com"},
		{"cert-problems", map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", Verified: true, NotAfter: now.AddDate(0, 2, 0), DaysLeft: 60}}}}, LevelNone, ""},
		{"no-subdomains", map[string]any{"subdomains": &SubdomainFacts{}}, LevelYellow, "no subdomains"},
		{"no-subdomains", map[string]any{"subdomains": &SubdomainFacts{Total: 12}}, LevelNone, ""},
		{"no-subdomains", map[string]any{"subdomains": &SubdomainFacts{}, "dns": &DNSFacts{NXDomain: true}}, LevelNone, ""},
		{"security-headers", map[string]any{"headers": &HeadersFacts{Security: []HeaderCheck{{Name: "A"}, {Name: "B"}, {Name: "C"}, {Name: "D", Present: true}}}}, LevelYellow, "missing security headers: A, B, C"},
		{"security-headers", map[string]any{"headers": &HeadersFacts{Security: []HeaderCheck{{Name: "A", Present: true}}}}, LevelGreen, "all 1 security headers"},
		{"cloudflare", map[string]any{"headers": &HeadersFacts{Cloudflare: true}}, LevelInfo, "the IP pivot shows the CDN, not the origin"},
		{"cloudflare", map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{CDN: "cloudflare"}}}}, LevelInfo, "Cloudflare"},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "gone.com", NXDomain: true}}, LevelYellow, "NXDOMAIN"},
		{"too-little-checked", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(6000)}, "dns": errors.New("refused"),
			"ssl": errors.New("no address"), "threat": errors.New("refused")}, LevelInfo, "3 of 4 checks could not run: too little was read to clear it"},
		{"too-little-checked", map[string]any{"whois": &WhoisFacts{Registered: true}, "headers": &HeadersFacts{}, "dns": errors.New("refused"),
			"ssl": errors.New("no address")}, LevelNone, ""}, // half is not more than half
		{"too-little-checked", map[string]any{"whois": &WhoisFacts{Registered: true}}, LevelNone, ""},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "x.com", A: []string{"192.0.2.1"}}}, LevelNone, ""},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "x.com"}}, LevelInfo, "no A or AAAA record"},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "x.com", NS: []string{"ns1.x.com"}, Errors: map[string]string{"A": "no answer within the time limit"}}}, LevelNone, ""},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "x.com", MX: []MXRecord{{Host: "mx.x.com"}}, Errors: map[string]string{"AAAA": "SERVFAIL"}}}, LevelNone, ""},
		{"non-public-address", map[string]any{"dns": &DNSFacts{Name: "x.com", A: []string{"169.254.169.254"}}}, LevelRed, "link-local"},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--pple-43d.com"}}, LevelRed, "xn--pple-43d.com is shown as аpple.com (\"аpple\" mixes Cyrillic and Latin letters); it imitates apple.com"},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--80ak6aa92e.com"}}, LevelRed, "Cyrillic letters that look Latin); it imitates apple.com"},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--bcher-kva.de"}}, LevelNone, ""},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "xn--e1afmkfd.xn--p1ai"}}, LevelNone, ""},
		{"idn-homograph", map[string]any{"dns": &DNSFacts{Name: "apple.com"}}, LevelNone, ""},
		{"young-domain", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(45)}}, LevelYellow, "younger than 90 days"},
		{"registry-hold", map[string]any{"whois": &WhoisFacts{Registered: true, Status: []string{"serverHold https://icann.org/epp#serverHold"}}}, LevelRed, "signs of a takedown: the registry has put it on hold (serverHold)"},
		{"registry-hold", map[string]any{"whois": &WhoisFacts{Registered: true, Status: []string{"client hold"}}}, LevelYellow, "clientHold"},
		{"registry-hold", map[string]any{"whois": &WhoisFacts{Registered: true, Status: []string{"redemptionPeriod"}}}, LevelYellow, "redemptionPeriod"},
		{"registry-hold", map[string]any{"whois": &WhoisFacts{Registered: true, Status: []string{"pendingDelete", "serverTransferProhibited"}}}, LevelYellow, "pendingDelete"},
		{"registry-hold", map[string]any{"whois": &WhoisFacts{Registered: true, Status: []string{"clientTransferProhibited", "serverHoldish"}}}, LevelRed, "serverHold"},
		{"registry-hold", map[string]any{"whois": &WhoisFacts{Registered: true, Status: []string{"clientTransferProhibited"}}}, LevelNone, ""},
		{"registrant-disclosed", map[string]any{"whois": &WhoisFacts{Registered: true, RegistrantOrg: "Meridian Freight Holdings Ltd", RegistrantCountry: "DE"}}, LevelGreen, "registrant disclosed: Meridian Freight Holdings Ltd (DE)"},
		{"registrant-disclosed", map[string]any{"whois": &WhoisFacts{Registered: true, Privacy: true, PrivacyEvidence: "Withheld for Privacy ehf"}}, LevelInfo, "privacy service (Withheld for Privacy ehf)"},
		{"registrant-disclosed", map[string]any{"whois": &WhoisFacts{Registered: true, RegistrantOrg: "DATA REDACTED"}}, LevelNone, ""},
		{"parked", map[string]any{"dns": &DNSFacts{Name: "x.com", NS: []string{"ns1.sedoparking.com.", "ns2.sedoparking.com."}}}, LevelYellow, "name servers of Sedo parking"},
		{"parked", map[string]any{"dns": &DNSFacts{Name: "x.com", A: []string{"185.53.178.10"}}}, LevelYellow, "address 185.53.178.10 of ParkingCrew"},
		{"parked", map[string]any{"headers": &HeadersFacts{Parking: "this domain is for sale"}}, LevelYellow, `the page says "this domain is for sale"`},
		{"parked", map[string]any{"whois": &WhoisFacts{Registered: true, NameServers: []string{"NS1.BODIS.COM"}}}, LevelYellow, "Bodis"},
		{"parked", map[string]any{"dns": &DNSFacts{Name: "x.com", NS: []string{"ns1.notsedoparking.com"}, A: []string{"192.0.2.1"}}}, LevelNone, ""},
		{"not-listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "x", Zone: "zen.spamhaus.org", Result: DNSBLClean}, {Subject: "example.com", Zone: "dbl.spamhaus.org", Result: DNSBLClean}}}}, LevelGreen, "2 checks on dbl.spamhaus.org, zen.spamhaus.org came back clean"},
		{"not-listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "x", Zone: "zen.spamhaus.org", Result: DNSBLClean}, {Subject: "y", Zone: "zen.spamhaus.org", Result: DNSBLUnknown}}}}, LevelNone, ""},
		{"listed", map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "example.com", Zone: "dbl.spamhaus.org", Result: DNSBLListed, Meanings: []string{"phishing domain"}}}}}, LevelRed, "the target itself"},
		{"does-not-resolve", map[string]any{"dns": &DNSFacts{Name: "held.com", NXDomain: true}, "whois": &WhoisFacts{Registered: true, Status: []string{"serverHold"}}}, LevelInfo, "what a registry hold does"},
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
		"whois":  &WhoisFacts{Registered: true, Created: days(16)},
		"email":  &EmailFacts{},
		"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "192.0.2.1", Zone: "zen.spamhaus.org", Result: DNSBLListed}}},
	})
	a := Assess(r, now)
	if a.Level != LevelRed {
		t.Fatalf("level %s, want red (%s)", a.Level, a.Why)
	}
	if a.Signals[0].Level != LevelRed {
		t.Fatalf("signals not sorted red first: %+v", a.Signals)
	}
	if got := LevelWithout(a, map[string]bool{"young-domain": true}); got != LevelYellow {
		t.Fatalf("without young-domain: %s, want yellow", got)
	}
	if got := LevelWithout(a, map[string]bool{"young-domain": true, "listed": true, "spoofable-mail": true}); got != LevelGreen {
		t.Fatalf("without every flag: %s, want green", got)
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

// TestConverge: the verdict classes of issue 14, each from typed facts.
func TestConverge(t *testing.T) {
	clean := func(extra map[string]any) map[string]any {
		m := map[string]any{
			"whois":      &WhoisFacts{Registered: true, Created: days(4000), RegistrantOrg: "Example Ltd", RegistrantCountry: "GB"},
			"email":      &EmailFacts{SPF: &SPFRecord{All: "-all"}, DMARC: &DMARCRecord{Policy: "reject"}},
			"threat":     &ThreatFacts{Checks: []DNSBLCheck{{Subject: "192.0.2.1", Zone: "zen.spamhaus.org", Result: DNSBLClean}}},
			"headers":    &HeadersFacts{Security: []HeaderCheck{{Name: "A", Present: true}}},
			"subdomains": &SubdomainFacts{Total: 9},
			"ssl":        &SSLFacts{Certs: []CertFacts{{SHA256: "a", Verified: true, NotAfter: now.AddDate(0, 2, 0), DaysLeft: 60}}},
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	nova := map[string]any{
		"whois":      &WhoisFacts{Registered: true, Created: days(16), Privacy: true},
		"email":      &EmailFacts{},
		"threat":     &ThreatFacts{Checks: []DNSBLCheck{{Subject: "185.220.101.47", Zone: "zen.spamhaus.org", Result: DNSBLListed}}, ASN: []ASNFlag{{ASN: 205100}}},
		"ports":      &PortsFacts{Hosts: []HostPorts{{IP: "185.220.101.47", Ports: []int{22, 443}, Vulns: []string{"CVE-2023-38408"}}}},
		"subdomains": &SubdomainFacts{},
		"headers":    &HeadersFacts{Security: []HeaderCheck{{Name: "A"}, {Name: "B"}, {Name: "C"}}},
	}
	tests := []struct {
		name  string
		mods  map[string]any
		level Level
		why   string
	}{
		{"clean old domain", clean(nil), LevelGreen, "no flag"},
		{"young but exemplary", clean(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(10), RegistrantOrg: "Example Ltd"}}), LevelYellow, "one flag: look further — age"},
		{"old clean, expired certificate", clean(map[string]any{"ssl": &SSLFacts{Certs: []CertFacts{{SHA256: "a", Expired: true, NotAfter: now.AddDate(0, 0, -5)}}}}), LevelYellow, "one flag: look further — TLS hygiene"},
		{"old clean, abuse-tolerant ASN", clean(map[string]any{"threat": &ThreatFacts{ASN: []ASNFlag{{ASN: 205100, Source: "ASN-DROP"}}}}), LevelYellow, "one flag: look further — infrastructure reputation"},
		{"clean, port 22 without CVEs", clean(map[string]any{"ports": &PortsFacts{Hosts: []HostPorts{{IP: "192.0.2.1", Ports: []int{22, 80, 443}}}}}), LevelGreen, "no flag"},
		{"clean brand behind Cloudflare", clean(map[string]any{"headers": &HeadersFacts{Cloudflare: true, Security: []HeaderCheck{{Name: "A", Present: true}}}}), LevelGreen, "no flag"},
		{"parked", clean(map[string]any{"dns": &DNSFacts{Name: "example.com", NS: []string{"ns1.sedoparking.com"}}}), LevelYellow, "one flag: look further — content"},
		{"registry hold alone", clean(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(4000), Status: []string{"serverHold"}}}), LevelYellow, "one flag"},
		{"registry hold on a young domain", clean(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(12), Status: []string{"serverHold"}}}), LevelRed, "converging evidence from 2 independent groups"},
		{"the seed's nova case", nova, LevelRed, "converging evidence from 4 independent groups: age"},
		{"domain itself listed plus one more", clean(map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "example.com", Zone: "dbl.spamhaus.org", Result: DNSBLListed}}},
			"email": &EmailFacts{}}), LevelRed, "converging"},
		{"domain itself listed alone", clean(map[string]any{"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "example.com", Zone: "dbl.spamhaus.org", Result: DNSBLListed}}}}), LevelYellow, "one flag"},
		{"young and spoofable: not converging yet", clean(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(10)}, "email": &EmailFacts{}}), LevelYellow, "flags in 2 groups, not yet converging"},
		{"weak points add up", clean(map[string]any{"subdomains": &SubdomainFacts{}, "headers": &HeadersFacts{Security: []HeaderCheck{{Name: "A"}, {Name: "B"}, {Name: "C"}}},
			"email": &EmailFacts{SPF: &SPFRecord{All: "~all"}}}), LevelYellow, "weak flags add up"},
		{"young, spoofable, no footprint, no headers: the weak flags converge too", clean(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(10)}, "email": &EmailFacts{},
			"subdomains": &SubdomainFacts{}, "headers": &HeadersFacts{Security: []HeaderCheck{{Name: "A"}, {Name: "B"}, {Name: "C"}}}}), LevelRed, "converging evidence from 2 independent groups"},
		{"two weak points stay green", clean(map[string]any{"subdomains": &SubdomainFacts{}, "email": &EmailFacts{SPF: &SPFRecord{All: "~all"}}}), LevelGreen, "no flag; minor points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(rep(tt.mods), now)
			if a.Level != tt.level || !strings.HasPrefix(a.Why, tt.why) {
				t.Fatalf("%s: %q; want %s %q\nfor %q\nagainst %q", a.Level, a.Why, tt.level, tt.why, a.For, a.Against)
			}
			if len(a.WouldChange) == 0 {
				t.Error("no word on what would change the verdict")
			}
			if a.Level == LevelGreen && len(a.Against) == 0 {
				t.Errorf("a green verdict lists no evidence against: %+v", a)
			}
			if a.Level != LevelGreen && len(a.For) == 0 {
				t.Errorf("a %s verdict lists no evidence for: %+v", a.Level, a)
			}
			for _, s := range a.Signals {
				if (s.Kind == KindCaveat || s.Kind == KindNote) != (s.Level == LevelInfo) {
					t.Errorf("signal %+v: caveats and notes have no colour, the others do", s)
				}
			}
		})
	}
}

// TestAssessNamesWhatWasNotChecked: a module that failed is no evidence
// either way, so a verdict short of red says which checks it lacks, and
// every verdict lists them among its caveats.
func TestAssessNamesWhatWasNotChecked(t *testing.T) {
	old := map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(3000)}}
	tests := []struct {
		name    string
		failed  map[string]Status // module id -> status, facts kept
		mods    map[string]any
		level   Level
		why     string // part of Why; "" when Why must not mention gaps
		caveats string
	}{
		{"all ok: no gap", nil, old, LevelGreen, "", ""},
		{"green without mail and blocklists", map[string]Status{"email": StatusError, "threat": StatusRateLimited},
			map[string]any{"whois": old["whois"], "dns": &DNSFacts{Name: "example.com", A: []string{"192.0.2.1"}},
				"email": &EmailFacts{Errors: map[string]string{"TXT": "REFUSED"}}, "threat": &ThreatFacts{}},
			LevelGreen, "not checked: threat (rate-limited), email (error)", "not checked: threat (rate-limited), email (error)"},
		{"skipped is not a gap", map[string]Status{"headers": StatusSkipped}, map[string]any{"whois": old["whois"], "headers": &HeadersFacts{}}, LevelGreen, "", ""},
		{"red says it among caveats only", map[string]Status{"email": StatusError},
			map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(5)}, "email": &EmailFacts{},
				"threat": &ThreatFacts{Checks: []DNSBLCheck{{Subject: "example.com", Zone: "dbl.spamhaus.org", Result: DNSBLListed}}}},
			LevelRed, "", "not checked: email (error)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rep(tt.mods)
			for id, st := range tt.failed {
				r.Modules[id].Status, r.Modules[id].Err = st, "failed"
			}
			a := Assess(r, now)
			if a.Level != tt.level {
				t.Fatalf("level %s (%s), want %s", a.Level, a.Why, tt.level)
			}
			if tt.why == "" && strings.Contains(a.Why, "not checked") || !strings.Contains(a.Why, tt.why) {
				t.Errorf("why %q; want it to hold %q", a.Why, tt.why)
			}
			if got := strings.Join(a.Caveats, "; "); tt.caveats == "" && strings.Contains(got, "not checked") || !strings.Contains(got, tt.caveats) {
				t.Errorf("caveats %q; want %q", got, tt.caveats)
			}
		})
	}
}

// TestTooLittleChecked: when most checks could not run, the few that did
// cannot clear the target (no green), but what could not be read never
// adds to the evidence (it does not make red), and the analyst can mark
// the caveat a false positive like any signal.
func TestTooLittleChecked(t *testing.T) {
	down := func(mods map[string]any) map[string]any {
		for _, id := range []string{"dns", "ssl", "geoip", "threat", "ports", "email"} {
			mods[id] = errors.New("the resolver refused")
		}
		return mods
	}
	tests := []struct {
		name string
		mods map[string]any
		want Level
		why  string
	}{
		{"old and tidy, resolver down", down(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(6000)},
			"headers": &HeadersFacts{StatusCode: 200}, "subdomains": &SubdomainFacts{Total: 3}}),
			LevelYellow, "look further — 6 of 9 checks could not run: too little was read to clear it"},
		{"old and tidy, everything answered", map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(6000)}},
			LevelGreen, "no flag"},
		{"one strong flag, resolver down: still one flag", down(map[string]any{"whois": &WhoisFacts{Registered: true, Created: days(5)}}),
			LevelYellow, "one flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(rep(tt.mods), now)
			if a.Level != tt.want || !strings.Contains(a.Why, tt.why) {
				t.Fatalf("level %s why %q, want %s with %q", a.Level, a.Why, tt.want, tt.why)
			}
			if strings.Contains(tt.why, "too little") {
				if got := LevelWithout(a, map[string]bool{"too-little-checked": true}); got != LevelGreen {
					t.Errorf("with the caveat marked a false positive: %s, want green", got)
				}
			}
		})
	}
}
