package tui

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// now is the fixed clock of every test.
var now = time.Date(2024, 11, 20, 10, 0, 0, 0, time.UTC)

func ptime(t time.Time) *time.Time { return &t }

const hostileTXT = "v=evil \x1b]52;c;cHduZWQ=\a \x1b[2J \u202egnp.exe \x9b31m"

// world is the nova-parcels case from the seed workflow.
type world struct {
	mu    sync.Mutex
	calls []string
	block chan struct{} // when set, scans wait for it
}

func (w *world) scan(ctx context.Context, t recon.Target, only []string) *recon.Report {
	w.mu.Lock()
	w.calls = append(w.calls, t.Value)
	b := w.block
	w.mu.Unlock()
	if b != nil {
		select {
		case <-b:
		case <-ctx.Done():
			return nil
		}
	}
	return report(t)
}

func (w *world) Calls() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.calls...)
}

var novaDomains = map[string]bool{"nova-parcels.com": true, "nova-tracking.net": true, "nova-returns.co": true}

func mod(id string, touch recon.Touch, facts any, pivots ...recon.Pivot) *recon.ModuleResult {
	return &recon.ModuleResult{Module: id, Status: recon.StatusOK, Touch: touch, Facts: facts, Pivots: pivots, DurationMS: 12}
}

func report(t recon.Target) *recon.Report {
	r := &recon.Report{Target: t, Modules: map[string]*recon.ModuleResult{}, Started: now}
	if t.Kind == recon.KindIP {
		r.Modules["geoip"] = mod("geoip", recon.TouchThirdParty, &recon.GeoFacts{IPs: []recon.IPGeo{{IP: t.Value, Country: "Germany", CountryCode: "DE", City: "Frankfurt", ASN: 205100, ASOrg: "F3 Netze e.V.", Network: "185.220.101.0/24"}}},
			recon.Pivot{Kind: recon.PivotASN, Value: "AS205100", Relation: recon.RelASN},
			recon.Pivot{Kind: recon.PivotNetwork, Value: "185.220.101.0/24", Relation: recon.RelNetwork})
		r.Modules["ports"] = mod("ports", recon.TouchThirdParty, &recon.PortsFacts{Hosts: []recon.HostPorts{{IP: t.Value, Ports: []int{22, 80, 443}, Vulns: []string{"CVE-2023-38408"}}}})
		r.Modules["threat"] = mod("threat", recon.TouchThirdParty, &recon.ThreatFacts{Checks: []recon.DNSBLCheck{{Subject: t.Value, Zone: "zen.spamhaus.org", Result: recon.DNSBLListed, Codes: []string{"127.0.0.4"}, Meanings: []string{"XBL: exploited host"}}}})
		recon.Assess(r, now)
		return r
	}
	d := t.Domain()
	if !novaDomains[d] {
		r.Modules["dns"] = mod("dns", recon.TouchThirdParty, &recon.DNSFacts{Name: d, NXDomain: true})
		r.Modules["whois"] = &recon.ModuleResult{Module: "whois", Status: recon.StatusRateLimited, Touch: recon.TouchThirdParty, Err: "whois.example answered 'query limit exceeded'"}
		recon.Assess(r, now)
		return r
	}
	created := now.Add(-20 * 24 * time.Hour)
	if d == "nova-returns.co" {
		created = now.Add(-17 * 24 * time.Hour)
	}
	sans := []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co"}
	var sanPivots []recon.Pivot
	for _, s := range sans {
		if s != d {
			sanPivots = append(sanPivots, recon.Pivot{Kind: recon.PivotDomain, Value: s, Relation: recon.RelSAN})
		}
	}
	txt := []string{"google-site-verification=abc"}
	if d == "nova-parcels.com" {
		txt = append(txt, hostileTXT)
	}
	r.Modules["dns"] = mod("dns", recon.TouchThirdParty, &recon.DNSFacts{Name: d, A: []string{"185.220.101.47"}, NS: []string{"ns1.nova-dns.net", "ns2.nova-dns.net"}, TXT: txt,
		MX: []recon.MXRecord{{Host: "mx." + d, Pref: 10}}},
		recon.Pivot{Kind: recon.PivotIP, Value: "185.220.101.47", Relation: recon.RelA},
		recon.Pivot{Kind: recon.PivotNS, Value: "ns1.nova-dns.net", Relation: recon.RelNS})
	r.Modules["whois"] = mod("whois", recon.TouchThirdParty, &recon.WhoisFacts{Domain: d, Registered: true, Registrar: "NameCheap, Inc.", Created: ptime(created), Expires: ptime(created.AddDate(1, 0, 0)),
		NameServers: []string{"ns1.nova-dns.net", "ns2.nova-dns.net"}, Privacy: true, PrivacyEvidence: "Withheld for Privacy ehf", Source: "whois",
		Servers: []string{"whois.iana.org", "whois.verisign-grs.com"},
		Raw:     "# whois.verisign-grs.com\nDomain Name: " + strings.ToUpper(d) + "\r\nRegistrar: NameCheap, Inc.\nRegistrant Organization: \x1b]0;pwned\a" + strings.Repeat("x", 200) + "\n"},
		recon.Pivot{Kind: recon.PivotRegistrar, Value: "NameCheap, Inc.", Relation: recon.RelRegistrar})
	r.Modules["ssl"] = mod("ssl", recon.TouchTarget, &recon.SSLFacts{Certs: []recon.CertFacts{{Address: "185.220.101.47:443", ServerName: d, Subject: "CN=nova-parcels.com", Issuer: "CN=R11,O=Let's Encrypt",
		NotBefore: now.Add(-21 * 24 * time.Hour), NotAfter: now.Add(69 * 24 * time.Hour), DaysLeft: 69, SHA256: "ab12cd34", PubkeySHA256: "ef56", SANs: sans, Verified: true,
		PEM: "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"}}},
		append(sanPivots, recon.Pivot{Kind: recon.PivotCert, Value: "ab12cd34", Relation: recon.RelCert})...)
	r.Modules["email"] = mod("email", recon.TouchThirdParty, &recon.EmailFacts{Domain: d, HasMX: true, MX: []string{"mx." + d}, Spoofable: true, SpoofReason: "no SPF and no DMARC", Posture: "spf:none dmarc:none"})
	r.Modules["subdomains"] = mod("subdomains", recon.TouchThirdParty, &recon.SubdomainFacts{Names: nil, Source: "certspotter", Total: 0, Cap: 1000})
	// The seed's worked case: exposed ports with known CVEs on the shared
	// address (with the young registration and the spoofable mail: three
	// independent groups of evidence converge, so the verdict is red).
	r.Modules["ports"] = mod("ports", recon.TouchThirdParty, &recon.PortsFacts{Hosts: []recon.HostPorts{{IP: "185.220.101.47", Ports: []int{22, 80, 443}, Vulns: []string{"CVE-2023-38408"}}}})
	r.Modules["headers"] = &recon.ModuleResult{Module: "headers", Status: recon.StatusError, Touch: recon.TouchTarget, Err: "connection refused by 185.220.101.47:443"}
	r.Modules["threat"] = &recon.ModuleResult{Module: "threat", Status: recon.StatusSkipped, Touch: recon.TouchThirdParty, Err: "no API key for VirusTotal: add one to the config"}
	recon.Assess(r, now)
	return r
}

func has(s, sub string) bool { return strings.Contains(s, sub) }
