package pivot

import (
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// dom describes a hand-built domain scan.
type dom struct {
	name      string
	ips       []string
	asn       uint32
	ns        []string
	registrar string
	created   string // 2006-01-02 or RFC 3339; "" unknown
	cert, pub string
	sans      []string
	posture   string
	soa       string   // SOA RNAME as reported
	spf       []string // SPF include: domains
	rua       []string // DMARC rua URIs as reported
	hostnames []string // InternetDB host names on the first address
	coIssued  string   // SHA-256 of a CT certificate spanning this and another domain
	mismatch  bool     // the certificate does not cover the domain (a server's default)
	asOrg     string   // AS organisation (default "Example AS")
	ptr       string   // reverse name of the first address
}

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func mustTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	for _, l := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(l, s); err == nil {
			return &t
		}
	}
	panic("bad time " + s)
}

// report builds a realistic report from typed facts, with the pivots the
// modules would emit and raw evidence.
func (d dom) report() *recon.Report {
	r := &recon.Report{
		Target:     recon.Target{Kind: recon.KindDomain, Value: d.name},
		Modules:    map[string]*recon.ModuleResult{},
		Started:    t0,
		DurationMS: 1234,
	}
	mod := func(id string, facts any, pivots ...recon.Pivot) {
		r.Modules[id] = &recon.ModuleResult{Module: id, Status: recon.StatusOK, Touch: recon.TouchThirdParty,
			Facts: facts, Signals: []recon.Signal{}, Pivots: pivots, Started: t0, DurationMS: 42}
	}
	dns := &recon.DNSFacts{Name: d.name, NS: d.ns, TXT: []string{"v=verify \x1b[31mred"}}
	if d.soa != "" {
		dns.SOA = &recon.SOARecord{NS: "ns1." + d.name, Mbox: d.soa, Serial: 2026010100}
	}
	if d.ptr != "" && len(d.ips) > 0 {
		dns.AddrPTR = map[string][]string{d.ips[0]: {d.ptr}}
	}
	var dnsPiv []recon.Pivot
	geo := &recon.GeoFacts{}
	for _, ip := range d.ips {
		rel := recon.RelA
		if strings.Contains(ip, ":") {
			dns.AAAA = append(dns.AAAA, ip)
			rel = recon.RelAAAA
		} else {
			dns.A = append(dns.A, ip)
		}
		dnsPiv = append(dnsPiv, recon.Pivot{Kind: recon.PivotIP, Value: ip, Relation: rel})
		g := recon.IPGeo{IP: ip, ASN: d.asn, Country: "Netherlands", CountryCode: "NL", Sources: []string{"mmdb"}}
		if d.asn != 0 {
			g.ASOrg = "Example AS"
			if d.asOrg != "" {
				g.ASOrg = d.asOrg
			}
		}
		geo.IPs = append(geo.IPs, g)
	}
	for _, n := range d.ns {
		dnsPiv = append(dnsPiv, recon.Pivot{Kind: recon.PivotNS, Value: n, Relation: recon.RelNS})
	}
	mod("dns", dns, dnsPiv...)
	var geoPiv []recon.Pivot
	if d.asn != 0 {
		geoPiv = append(geoPiv, recon.Pivot{Kind: recon.PivotASN, Value: "AS" + itoa(int(d.asn)), Relation: recon.RelASN})
	}
	mod("geoip", geo, geoPiv...)
	w := &recon.WhoisFacts{Domain: d.name, Registered: true, Registrar: d.registrar, Created: mustTime(d.created),
		NameServers: d.ns, Source: "whois", Servers: []string{"whois.verisign-grs.com"},
		Raw: "Domain Name: " + strings.ToUpper(d.name) + "\r\nRegistrar: " + d.registrar + "\r\n" + strings.Repeat("% terms of use line\r\n", 40)}
	var wPiv []recon.Pivot
	if d.registrar != "" {
		wPiv = append(wPiv, recon.Pivot{Kind: recon.PivotRegistrar, Value: d.registrar, Relation: recon.RelRegistrar})
	}
	mod("whois", w, wPiv...)
	if d.cert != "" || d.pub != "" {
		addr := "0.0.0.0:443"
		if len(d.ips) > 0 {
			addr = d.ips[0] + ":443"
		}
		c := recon.CertFacts{Address: addr, ServerName: d.name, Subject: "CN=" + d.name, Issuer: "CN=R11,O=Let's Encrypt",
			NotBefore: t0.AddDate(0, -1, 0), NotAfter: t0.AddDate(0, 2, 0), DaysLeft: 60, SHA256: d.cert, PubkeySHA256: d.pub,
			SANs: append([]string{d.name}, d.sans...), Verified: !d.mismatch, NameMismatch: d.mismatch,
			PEM: "-----BEGIN CERTIFICATE-----\n" + strings.Repeat("MIIFazCCA1OgAwIBAgIUb2Z0ZXN0\n", 30) + "-----END CERTIFICATE-----\n"}
		var sslPiv []recon.Pivot
		for _, s := range d.sans {
			sslPiv = append(sslPiv, recon.Pivot{Kind: recon.PivotDomain, Value: s, Relation: recon.RelSAN})
		}
		if d.cert != "" {
			sslPiv = append(sslPiv, recon.Pivot{Kind: recon.PivotCert, Value: d.cert, Relation: recon.RelCert})
		}
		r.Modules["ssl"] = nil
		mod("ssl", &recon.SSLFacts{Certs: []recon.CertFacts{c}}, sslPiv...)
	}
	if d.posture != "" || d.spf != nil || d.rua != nil {
		m := &recon.EmailFacts{Domain: d.name, Posture: d.posture, Spoofable: true, SpoofReason: "no SPF, no DMARC"}
		if d.spf != nil {
			m.SPF = &recon.SPFRecord{Raw: "v=spf1", All: "-all"}
			for _, inc := range d.spf {
				m.SPF.Raw += " include:" + inc
				m.SPF.Mechanisms = append(m.SPF.Mechanisms, recon.SPFMechanism{Qualifier: "+", Name: "include", Value: inc})
			}
			m.SPF.Mechanisms = append(m.SPF.Mechanisms, recon.SPFMechanism{Qualifier: "+", Name: "a"}, recon.SPFMechanism{Qualifier: "-", Name: "all"})
		}
		if d.rua != nil {
			m.DMARC = &recon.DMARCRecord{Raw: "v=DMARC1; p=reject; rua=" + strings.Join(d.rua, ","), Policy: "reject", Pct: 100, RUA: d.rua}
		}
		mod("email", m)
	}
	if len(d.hostnames) > 0 && len(d.ips) > 0 {
		mod("ports", &recon.PortsFacts{Hosts: []recon.HostPorts{{IP: d.ips[0], Ports: []int{443}, Hostnames: d.hostnames}}})
	}
	if d.coIssued != "" {
		mod("subdomains", &recon.SubdomainFacts{Names: []string{}, Source: "certspotter",
			CoIssued: []recon.CoIssuedCert{{SHA256: d.coIssued, Domains: []string{"one.example", "two.example"}, DomainsTotal: 2}}})
	}
	r.Assessment = recon.Assessment{Level: recon.LevelRed, Signals: []recon.Signal{
		{Level: recon.LevelRed, Text: "domain registered recently", Module: "whois", Rule: "young-domain"},
		{Level: recon.LevelYellow, Text: "mail can be spoofed", Module: "email", Rule: "spoofable-mail"},
	}}
	return r
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// sessionOf scans every domain as a root of a new session.
func sessionOf(doms ...dom) *Session {
	s := NewSession(t0)
	for _, d := range doms {
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.name})
		s.Attach(n.ID, d.report(), t0)
	}
	return s
}

const (
	shaNova = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	pubNova = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
)

// The seed's worked case plus two bystanders.
var (
	novaParcels = dom{name: "nova-parcels.com", ips: []string{"185.220.101.47"}, asn: 205100,
		ns: []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"}, registrar: "NameCheap, Inc.",
		created: "2024-11-10", cert: shaNova, pub: pubNova, sans: []string{"nova-tracking.net", "nova-returns.co"},
		posture: "spf:none dmarc:none"}
	novaTracking = dom{name: "nova-tracking.net", ips: []string{"185.220.101.47"}, asn: 205100,
		ns: []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"}, registrar: "NameCheap, Inc.",
		created: "2024-11-11", cert: shaNova, pub: pubNova, sans: []string{"nova-parcels.com", "nova-returns.co"},
		posture: "spf:none dmarc:none"}
	novaReturns = dom{name: "nova-returns.co", ips: []string{"185.220.101.47"}, asn: 205100,
		ns: []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"}, registrar: "NameCheap, Inc.",
		created: "2024-11-12T18:30:00Z", cert: shaNova, pub: pubNova, sans: []string{"nova-parcels.com", "nova-tracking.net"},
		posture: "spf:none dmarc:none"}
	wellRun = dom{name: "example-bank.com", ips: []string{"93.184.216.34", "2606:2800:220:1::1"}, asn: 15133,
		ns: []string{"a.iana-servers.net", "b.iana-servers.net"}, registrar: "MarkMonitor Inc.", created: "1995-08-14",
		cert: "1111111111111111111111111111111111111111111111111111111111111111", pub: "2222222222222222222222222222222222222222222222222222222222222222",
		posture: "spf:fail dmarc:reject"}
	cfProxied = dom{name: "shop-behind-cf.com", ips: []string{"104.21.48.7", "172.67.140.2"}, asn: 13335,
		ns: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}, registrar: "NameCheap, Inc.", created: "2021-03-02",
		cert: "3333333333333333333333333333333333333333333333333333333333333333", pub: "4444444444444444444444444444444444444444444444444444444444444444",
		posture: "spf:none dmarc:none"}
)
