package pivot

import (
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

func ok(facts any) *recon.ModuleResult {
	return &recon.ModuleResult{Status: recon.StatusOK, Facts: facts}
}

func TestReportProfile(t *testing.T) {
	created := time.Date(2024, 11, 4, 8, 0, 0, 0, time.FixedZone("X", 3600))
	expires := time.Date(2025, 11, 4, 8, 0, 0, 0, time.UTC)
	first := time.Date(2024, 11, 7, 0, 0, 0, 0, time.FixedZone("Y", -7200))
	utcp := func(t time.Time) *time.Time { u := t.UTC(); return &u }
	leafA := recon.CertFacts{Address: "185.220.101.47:443", SHA256: "ABCDEF", PubkeySHA256: "P1", Issuer: "R11", SANs: []string{"a.example", "b.example"}}
	leafDup := recon.CertFacts{Address: "185.220.101.48:443", SHA256: "abcdef ", PubkeySHA256: "p1", SANs: []string{"ignored.example"}}
	edge := recon.CertFacts{Address: "104.21.48.7:443", SHA256: "eeee", PubkeySHA256: "ffff", SANs: []string{"sni.cloudflaressl.com", "a.example"}}
	tests := []struct {
		name string
		r    *recon.Report
		want Profile
	}{
		{"nil report", nil, Profile{}},
		{"empty report", &recon.Report{}, Profile{}},
		{"all facts", &recon.Report{Modules: map[string]*recon.ModuleResult{
			"dns": ok(&recon.DNSFacts{
				A:    []string{"185.220.101.47", " 185.220.101.47", "bogus", "::ffff:198.51.100.7"},
				AAAA: []string{"2001:DB8::1", "fe80::1%eth0"},
				NS:   []string{"NS2.Nova-DNS.net.", "ns1.nova-dns.net", "ns1.nova-dns.net"},
				SOA:  &recon.SOARecord{NS: "ns1.nova-dns.net", Mbox: " HostMaster.Nova-Parcels.COM. "}}),
			"geoip": ok(&recon.GeoFacts{IPs: []recon.IPGeo{
				{IP: "185.220.101.47", ASN: 205100, ASOrg: "BLUEHAVEN", CountryCode: "NL", Country: "Netherlands"},
				{IP: "203.0.113.9", ASN: 64500, Country: "Iceland"}, // an address DNS did not give
				{IP: "x", ASN: 205100},
				{IP: "2001:db8::1"}}}),
			"whois": ok(&recon.WhoisFacts{Registrar: "  NameCheap,\n  Inc. ", Privacy: true, Created: &created, Expires: &expires,
				NameServers: []string{"ignored.example"}}),
			"ssl": ok(&recon.SSLFacts{Certs: []recon.CertFacts{leafA, leafDup, edge, {Address: "bad", SANs: []string{""}}}}),
			"email": ok(&recon.EmailFacts{Posture: " spf:none \t dmarc:none", SpoofReason: "no SPF and no DMARC",
				SPF: &recon.SPFRecord{Mechanisms: []recon.SPFMechanism{
					{Qualifier: "+", Name: "include", Value: "_SPF.Nova-Mail.example."}, {Qualifier: "+", Name: "a"},
					{Qualifier: "~", Name: "include", Value: "_spf.nova-mail.example"}, {Qualifier: "+", Name: "include", Value: "_spf.google.com"},
					{Qualifier: "+", Name: "include"}, {Qualifier: "+", Name: "exists", Value: "x.example"}}},
				DMARC: &recon.DMARCRecord{RUA: []string{"MAILTO:Reports@Nova-Ops.example!10m", "https://r.example/x", "mailto:reports@nova-ops.example", "mailto:nobody", "mailto:b@x.example"}}}),
			"subdomains": ok(&recon.SubdomainFacts{Names: []string{"a", "b", "c"}, Total: 2, Source: "crtsh", FirstIssuance: &first}),
		}}, Profile{
			IPs:         []string{"185.220.101.47", "198.51.100.7", "2001:db8::1", "fe80::1"},
			ReportedIPs: []string{"185.220.101.47", " 185.220.101.47", "bogus", "::ffff:198.51.100.7", "2001:DB8::1", "fe80::1%eth0"},
			Nets:        []string{"185.220.101.0/24", "198.51.100.0/24", "2001:db8::/48", "fe80::/48"},
			Hosts: []Host{
				{netip.MustParseAddr("185.220.101.47"), 205100}, {netip.MustParseAddr("198.51.100.7"), 0},
				{netip.MustParseAddr("2001:db8::1"), 0}, {netip.MustParseAddr("fe80::1"), 0},
				{netip.MustParseAddr("203.0.113.9"), 64500}},
			ASNs: []string{"AS205100", "AS64500"}, ASOrgs: map[string]string{"AS205100": "BLUEHAVEN"},
			ASNames:   []string{"AS205100 BLUEHAVEN", "AS64500", "AS205100"},
			Countries: []string{"NL", "Iceland"},
			Registrar: "NameCheap, Inc.", ReportedRegistrar: "  NameCheap,\n  Inc. ", Privacy: true, Created: utcp(created), Expires: utcp(expires),
			NS:       []string{"ns1.nova-dns.net", "ns2.nova-dns.net"},
			Certs:    []string{"abcdef", "eeee"},
			Leaves:   []recon.CertFacts{leafA, edge, {Address: "bad", SANs: []string{""}}},
			CertKeys: []CertKey{{"abcdef", "p1"}},
			SANs:     []string{"a.example", "b.example", "sni.cloudflaressl.com", ""},
			Posture:  "spf:none dmarc:none", ReportedPosture: " spf:none \t dmarc:none", Spoof: "no SPF and no DMARC",
			SPFIncludes: []string{"_spf.nova-mail.example", "_spf.google.com"}, RUA: []string{"reports@nova-ops.example", "b@x.example"},
			SOAMbox:      "hostmaster.nova-parcels.com",
			SubdomainsOK: true, Subdomains: 3, SubdomainSource: "crtsh", FirstIssuance: utcp(first),
		}},
		{"name servers from whois when dns has none that normalise", &recon.Report{Modules: map[string]*recon.ModuleResult{
			"dns":   ok(&recon.DNSFacts{NS: []string{" ", "."}}),
			"whois": ok(&recon.WhoisFacts{NameServers: []string{"B.example.", "a.example"}}),
		}}, Profile{NS: []string{"a.example", "b.example"}}},
		{"zero dates are unknown", &recon.Report{Modules: map[string]*recon.ModuleResult{
			"whois":      ok(&recon.WhoisFacts{Created: &time.Time{}, Expires: &time.Time{}}),
			"subdomains": ok(&recon.SubdomainFacts{FirstIssuance: &time.Time{}, Total: 9, Source: "certspotter"}),
		}}, Profile{SubdomainsOK: true, Subdomains: 9, SubdomainSource: "certspotter"}},
		{"a failed subdomains module still gives its first issuance", &recon.Report{Modules: map[string]*recon.ModuleResult{
			"subdomains": {Status: recon.StatusError, Facts: &recon.SubdomainFacts{Total: 9, FirstIssuance: &first}},
		}}, Profile{FirstIssuance: utcp(first)}},
		{"a certificate with only a public key", &recon.Report{Modules: map[string]*recon.ModuleResult{
			"ssl": ok(&recon.SSLFacts{Certs: []recon.CertFacts{{PubkeySHA256: "AA"}}}),
		}}, Profile{Leaves: []recon.CertFacts{{PubkeySHA256: "AA"}}, CertKeys: []CertKey{{"", "aa"}}}},
		{"facts of the wrong type are ignored", &recon.Report{Modules: map[string]*recon.ModuleResult{
			"dns": ok(map[string]any{"a": []any{"1.2.3.4"}}),
		}}, Profile{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReportProfile(tt.r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestProfileOfEntity(t *testing.T) {
	s := sessionOf(novaParcels)
	n := s.Node(s.Roots()[0])
	s.MarkFalsePositive(n.ID, "young-domain", "bought years ago", t0)
	e := n.Entity
	p := ProfileOf(e)
	if p.Domain != "nova-parcels.com" || p.Entity != e.Key || !slices.Equal(p.Keys, []EntityKey{e.Key}) || !p.ScannedAt.Equal(t0) {
		t.Errorf("identity %q %q %v %v", p.Domain, p.Entity, p.Keys, p.ScannedAt)
	}
	// The verdict leaves out the false positive: red becomes yellow.
	if p.Verdict != recon.LevelYellow {
		t.Errorf("verdict %q, want yellow", p.Verdict)
	}
	if !slices.Equal(p.IPs, []string{"185.220.101.47"}) || p.Registrar != "NameCheap, Inc." || !slices.Equal(p.Certs, []string{shaNova}) {
		t.Errorf("facts %+v", p)
	}
	// Without a scan only the identity is set.
	u := ProfileOf(&Entity{Key: KeyOf(recon.PivotEmail, "Ops@Example.COM."), Kind: recon.PivotEmail, Value: "Ops@Example.COM."})
	if u.Domain != "example.com" || u.Verdict != recon.LevelNone || u.IPs != nil {
		t.Errorf("unscanned %+v", u)
	}
}

func TestProfiles(t *testing.T) {
	s := NewSession(t0)
	scan := func(kind recon.Kind, value string, d dom) *Node {
		n := s.AddRoot(recon.Target{Kind: kind, Value: value})
		s.Attach(n.ID, d.report(), t0)
		return n
	}
	mail := scan(recon.KindEmail, "ops@Nova-Parcels.com", novaParcels) // first: it supplies the facts
	domain := scan(recon.KindDomain, "nova-parcels.com", novaTracking)
	scan(recon.KindDomain, "www.example-bank.com", wellRun)
	scan(recon.KindIP, "185.220.101.47", novaParcels)                           // not a domain
	s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "unscanned.example"}) // no scan

	ps := s.Profiles()
	var got []string
	for _, p := range ps {
		got = append(got, p.Domain)
	}
	if want := []string{"nova-parcels.com", "www.example-bank.com"}; !slices.Equal(got, want) {
		t.Fatalf("domains %v, want %v", got, want)
	}
	if ps[0].Entity != mail.Entity.Key || !slices.Equal(ps[0].Keys, []EntityKey{mail.Entity.Key, domain.Entity.Key}) {
		t.Errorf("nova-parcels.com: entity %q keys %v", ps[0].Entity, ps[0].Keys)
	}
	if !slices.Equal(ps[0].SANs, []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co"}) {
		t.Errorf("the first entity's facts win: SANs %v", ps[0].SANs)
	}

	// A filter runs before an entity claims its domain: the domain entity
	// then supplies the facts (clusters drop an entity so marked).
	fs := s.profiles(func(e *Entity, _ string) bool { return e.Kind != recon.PivotEmail })
	if len(fs) != 2 {
		t.Fatalf("filtered: %d profiles, want 2", len(fs))
	}
	if fs[0].Entity != domain.Entity.Key || !slices.Equal(fs[0].Keys, []EntityKey{domain.Entity.Key}) ||
		fs[0].Created == nil || !fs[0].Created.Equal(*mustTime(novaTracking.created)) {
		t.Errorf("filtered: first of %q with keys %v, created %v", fs[0].Entity, fs[0].Keys, fs[0].Created)
	}
}

func TestProfileHelpers(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"NormNS set", strings.Join(NormNS([]string{" B.Example. ", "a.example", "b.example", "", "."}), ","), "a.example,b.example"},
		{"NormNS nil", strings.Join(NormNS(nil), ","), ""},
		{"NetOf v4", NetOf("185.220.101.47"), "185.220.101.0/24"},
		{"NetOf mapped", NetOf("::ffff:185.220.101.47"), "185.220.101.0/24"},
		{"NetOf v6", NetOf("2001:db8:1:2::5"), "2001:db8:1::/48"},
		{"NetOf zone", NetOf("fe80::1%eth0"), "fe80::/48"},
		{"NetOf bogus", NetOf("bogus"), ""},
		{"NetOf spaces are not trimmed", NetOf(" 1.2.3.4"), ""},
		{"NormSpace", NormSpace("  NameCheap,\n\t Inc.  "), "NameCheap, Inc."},
		{"NormSpace empty", NormSpace(" \t"), ""},
		{"FormatASN", FormatASN(205100), "AS205100"},
		{"FormatASN max", FormatASN(1<<32 - 1), "AS4294967295"},
		{"AppendUniq", strings.Join(AppendUniq(AppendUniq(AppendUniq(nil, "a"), "b"), "a"), ","), "a,b"},
		{"RuaMailbox", RuaMailbox(" mailto:Reports@Nova-Ops.Example!10m "), "reports@nova-ops.example"},
		{"RuaMailbox plain", RuaMailbox("mailto:a@b.example"), "a@b.example"},
		{"RuaMailbox not mailto", RuaMailbox("https://r.example/x"), ""},
		{"RuaMailbox no domain", RuaMailbox("mailto:nobody@"), ""},
		{"RuaMailbox no local part", RuaMailbox("mailto:@b.example"), ""},
		{"RuaMailbox short", RuaMailbox("mail"), ""},
		{"AppendUniq keeps empty", strings.Join(AppendUniq([]string{"a"}, ""), ","), "a,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
