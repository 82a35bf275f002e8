// Package demotest builds, with typed facts and a fixed clock, a session
// shaped like the demo investigation (nova-parcels.com, its two SAN
// siblings, and the contrasting meridian-freight.com and
// parcelpoint-status.com), for the workbench's tests and goldens.
package demotest

import (
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// Now is the fixed clock of the demo session.
var Now = time.Date(2024, 11, 20, 10, 0, 0, 0, time.UTC)

// Domain describes one scanned domain of the demo.
type Domain struct {
	Name      string
	IPs       []string
	ASN       uint32
	ASOrg     string
	NS        []string
	Registrar string
	Created   time.Time
	FirstCT   time.Time
	CertSHA   string
	Posture   string
}

// Domains are the demo's scanned domains, in scan order.
func Domains() []Domain {
	novaNS := []string{"ns1.nova-dns.net", "ns2.nova-dns.net"}
	novaCert := "bb31b5958152d3a3a60455576bdf14ef7a4b3b7165025ff7aa11aa11aa11aa11"
	day := 24 * time.Hour
	return []Domain{
		{"nova-parcels.com", []string{"185.220.101.47"}, 205100, "BLUEHAVEN-HOSTING", novaNS, "NameCheap, Inc.", Now.Add(-16 * day), Now.Add(-13 * day), novaCert, "spf:none dmarc:none"},
		{"nova-tracking.net", []string{"185.220.101.47"}, 205100, "BLUEHAVEN-HOSTING", novaNS, "NameCheap, Inc.", Now.Add(-16 * day), Now.Add(-13 * day), novaCert, "spf:none dmarc:none"},
		{"nova-returns.co", []string{"185.220.101.47"}, 205100, "BLUEHAVEN-HOSTING", novaNS, "NameCheap, Inc.", Now.Add(-14 * day), Now.Add(-13 * day), novaCert, "spf:none dmarc:none"},
		{"meridian-freight.com", []string{"18.158.24.107"}, 16509, "AMAZON-02", []string{"ns1.meridian-freight.com", "ns2.meridian-freight.com"}, "MarkMonitor Inc.",
			Now.AddDate(-17, 0, 0), Now.AddDate(-5, 0, 0), "359e2b8dbdae3c3be012ed80cb1b1a5a7d4f0f798509ebcc0000000000000000", "spf:-all dmarc:reject"},
		{"parcelpoint-status.com", []string{"104.21.32.118", "172.67.145.20"}, 13335, "CLOUDFLARENET", []string{"ada.ns.cloudflare.com", "rob.ns.cloudflare.com"}, "Cloudflare, Inc.",
			Now.AddDate(-2, 0, 0), Now.AddDate(-2, 0, 0), "77aa5e2b8dbdae3c3be012ed80cb1b1a5a7d4f0f798509ebcc000000000000", "spf:~all dmarc:none"},
	}
}

// Report returns the scan report of d, assessed at Now.
func Report(d Domain) *recon.Report {
	t := recon.Target{Kind: recon.KindDomain, Value: d.Name}
	ok := func(id string, f any, p ...recon.Pivot) *recon.ModuleResult {
		return &recon.ModuleResult{Module: id, Status: recon.StatusOK, Facts: f, Pivots: p, Started: Now}
	}
	var geo []recon.IPGeo
	var ipPivots []recon.Pivot
	for _, ip := range d.IPs {
		geo = append(geo, recon.IPGeo{IP: ip, ASN: d.ASN, ASOrg: d.ASOrg})
		ipPivots = append(ipPivots, recon.Pivot{Kind: recon.PivotIP, Value: ip, Relation: recon.RelA})
	}
	created, first := d.Created, d.FirstCT
	r := &recon.Report{Target: t, Started: Now, Modules: map[string]*recon.ModuleResult{
		recon.ModuleDNS:        ok(recon.ModuleDNS, &recon.DNSFacts{Name: d.Name, A: d.IPs, NS: d.NS}, ipPivots...),
		recon.ModuleWhois:      ok(recon.ModuleWhois, &recon.WhoisFacts{Domain: d.Name, Registered: true, Registrar: d.Registrar, Created: &created, NameServers: d.NS, Source: "whois"}),
		recon.ModuleGeoIP:      ok(recon.ModuleGeoIP, &recon.GeoFacts{IPs: geo}),
		recon.ModuleSSL:        ok(recon.ModuleSSL, &recon.SSLFacts{Certs: []recon.CertFacts{{Address: d.IPs[0] + ":443", ServerName: d.Name, SHA256: d.CertSHA, PubkeySHA256: "pk" + d.CertSHA[:8]}}}),
		recon.ModuleEmail:      ok(recon.ModuleEmail, &recon.EmailFacts{Domain: d.Name, Posture: d.Posture}),
		recon.ModuleSubdomains: ok(recon.ModuleSubdomains, &recon.SubdomainFacts{Source: "certspotter", FirstIssuance: &first}),
	}}
	recon.Assess(r, Now)
	return r
}

// Session returns the demo session: every domain a scanned root.
func Session() *pivot.Session {
	s := pivot.NewSession(Now)
	for _, d := range Domains() {
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.Name})
		s.Attach(n.ID, Report(d), Now)
	}
	return s
}
