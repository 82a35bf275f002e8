package export

import (
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// The demo-like session every test exports: the seed's nova-parcels case
// (three domains on 185.220.101.47, NameCheap, one certificate with the
// three SANs, registered within two days, no SPF/DMARC), a well-run
// domain, a Cloudflare-proxied one, a scanned IP, a note, a false
// positive, a hostile TXT record and a hostile domain value.

var (
	t0      = time.Date(2024, 11, 20, 10, 0, 0, 0, time.UTC)
	fixedAt = Options{Now: time.Date(2024, 11, 20, 12, 0, 0, 0, time.UTC)}
)

const (
	shaNova    = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	pubNova    = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
	hostileTXT = "\x1b]52;c;ZXZpbA==\a"
	hostileDom = "evil|`x`.com"
	novaIP     = "185.220.101.47"
	hostileReg = "Evil | Registrar `x`\x1b[31m\u202e"
)

func day0(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

type scan struct {
	r *recon.Report
}

func newScan(kind recon.Kind, value string) *scan {
	return &scan{r: &recon.Report{Target: recon.Target{Kind: kind, Value: value},
		Modules: map[string]*recon.ModuleResult{}, Started: t0, DurationMS: 900}}
}

func (s *scan) mod(id string, touch recon.Touch, facts any, pivots ...recon.Pivot) *scan {
	s.r.Modules[id] = &recon.ModuleResult{Module: id, Status: recon.StatusOK, Touch: touch, Facts: facts,
		Signals: []recon.Signal{}, Pivots: pivots, Started: t0, DurationMS: 40}
	return s
}

func (s *scan) done() *recon.Report {
	recon.Assess(s.r, t0)
	return s.r
}

type domSpec struct {
	name, registrar, created, posture string
	ips, ns, sans                     []string
	asn                               uint32
	asOrg                             string
	cert, pub, issuer                 string
	txt                               []string
	spf, dmarc                        bool
	subdomains                        []string
	cloudflare                        bool
	headersOK                         bool
}

func domainReport(d domSpec) *recon.Report {
	s := newScan(recon.KindDomain, d.name)
	dns := &recon.DNSFacts{Name: d.name, NS: d.ns, TXT: d.txt}
	var dnsPiv []recon.Pivot
	geo := &recon.GeoFacts{}
	var geoPiv []recon.Pivot
	for _, ip := range d.ips {
		dns.A = append(dns.A, ip)
		dnsPiv = append(dnsPiv, recon.Pivot{Kind: recon.PivotIP, Value: ip, Relation: recon.RelA})
		geo.IPs = append(geo.IPs, recon.IPGeo{IP: ip, ASN: d.asn, ASOrg: d.asOrg, Country: "Netherlands", CountryCode: "NL",
			Network: pivot.NetOf(ip), Sources: []string{"mmdb"}})
	}
	if d.asn != 0 {
		geoPiv = append(geoPiv, recon.Pivot{Kind: recon.PivotASN, Value: "AS" + itoa(int(d.asn)), Relation: recon.RelASN})
	}
	for _, n := range d.ns {
		dnsPiv = append(dnsPiv, recon.Pivot{Kind: recon.PivotNS, Value: n, Relation: recon.RelNS})
	}
	s.mod("dns", recon.TouchThirdParty, dns, dnsPiv...)
	s.mod("geoip", recon.TouchThirdParty, geo, geoPiv...)
	w := &recon.WhoisFacts{Domain: d.name, Registered: true, Registrar: d.registrar, Created: day0(d.created),
		NameServers: d.ns, Source: "whois", Servers: []string{"whois.verisign-grs.com"},
		Raw: "Domain Name: " + strings.ToUpper(d.name) + "\r\nRegistrar: " + d.registrar + "\r\nCreation Date: " + d.created + "\r\n"}
	s.mod("whois", recon.TouchThirdParty, w, recon.Pivot{Kind: recon.PivotRegistrar, Value: d.registrar, Relation: recon.RelRegistrar})
	if d.cert != "" {
		c := recon.CertFacts{Address: d.ips[0] + ":443", ServerName: d.name, Subject: "CN=" + d.name, Issuer: d.issuer,
			Serial: "04:a3:" + d.cert[:6], NotBefore: t0.AddDate(0, 0, -9), NotAfter: t0.AddDate(0, 3, -9), DaysLeft: 81,
			SHA256: d.cert, PubkeySHA256: d.pub, SANs: d.sans, Verified: true,
			PEM: "-----BEGIN CERTIFICATE-----\nMIIFazCCA1OgAwIBAgIUb2Z0ZXN0\n-----END CERTIFICATE-----\n"}
		var piv []recon.Pivot
		for _, n := range d.sans {
			if n != d.name {
				piv = append(piv, recon.Pivot{Kind: recon.PivotDomain, Value: n, Relation: recon.RelSAN})
			}
		}
		piv = append(piv, recon.Pivot{Kind: recon.PivotCert, Value: d.cert, Relation: recon.RelCert})
		s.mod("ssl", recon.TouchTarget, &recon.SSLFacts{Certs: []recon.CertFacts{c}}, piv...)
	}
	e := &recon.EmailFacts{Domain: d.name, Posture: d.posture, Spoofable: !d.dmarc}
	if d.spf {
		e.SPF = &recon.SPFRecord{Raw: "v=spf1 -all", All: "-all"}
	}
	if d.dmarc {
		e.DMARC = &recon.DMARCRecord{Raw: "v=DMARC1; p=reject", Policy: "reject", Pct: 100}
		e.SpoofReason = "DMARC p=reject"
	} else if d.spf {
		e.SpoofReason = "SPF without DMARC: the From: header is not protected"
	} else {
		e.SpoofReason = "no SPF and no DMARC: anyone can send as this domain"
	}
	s.mod("email", recon.TouchThirdParty, e)
	s.mod("subdomains", recon.TouchThirdParty, &recon.SubdomainFacts{Names: d.subdomains, Source: "certspotter", Total: len(d.subdomains)})
	threat := &recon.ThreatFacts{}
	for _, ip := range d.ips {
		threat.Checks = append(threat.Checks, recon.DNSBLCheck{Subject: ip, Zone: "zen.spamhaus.org", Result: recon.DNSBLClean})
	}
	s.mod("threat", recon.TouchThirdParty, threat)
	h := &recon.HeadersFacts{URL: "https://" + d.name + "/", StatusCode: 200, Cloudflare: d.cloudflare,
		Raw: map[string][]string{"Server": {"nginx"}, "Content-Type": {"text/html"}}}
	for _, n := range []string{"Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"} {
		h.Security = append(h.Security, recon.HeaderCheck{Name: n, Present: d.headersOK})
	}
	if d.cloudflare {
		h.Raw["Server"] = []string{"cloudflare"}
		h.Raw["Cf-Ray"] = []string{"8e1f2a3b4c5d6e7f-AMS"}
	}
	s.mod("headers", recon.TouchTarget, h)
	return s.done()
}

var novaSANs = []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co"}

func nova(name, created string, txt ...string) domSpec {
	return domSpec{name: name, registrar: "NameCheap, Inc.", created: created, posture: "spf:none dmarc:none",
		ips: []string{novaIP}, ns: []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"},
		sans: novaSANs, asn: 205100, asOrg: "Stark Industries Solutions", cert: shaNova, pub: pubNova,
		issuer: "CN=R11,O=Let's Encrypt,C=US", txt: txt}
}

func ipReport(ip string) *recon.Report {
	s := newScan(recon.KindIP, ip)
	s.mod("geoip", recon.TouchThirdParty, &recon.GeoFacts{IPs: []recon.IPGeo{{IP: ip, Country: "Netherlands", CountryCode: "NL",
		City: "Amsterdam", ASN: 205100, ASOrg: "Stark Industries Solutions", Network: "185.220.101.0/24", Sources: []string{"mmdb", "cymru"}}}},
		recon.Pivot{Kind: recon.PivotASN, Value: "AS205100", Relation: recon.RelASN},
		recon.Pivot{Kind: recon.PivotNetwork, Value: "185.220.101.0/24", Relation: recon.RelNetwork})
	s.mod("threat", recon.TouchThirdParty, &recon.ThreatFacts{
		Checks: []recon.DNSBLCheck{{Subject: ip, Zone: "zen.spamhaus.org", Result: recon.DNSBLListed, Codes: []string{"127.0.0.3"},
			Meanings: []string{"CSS: Spamhaus CSS"}, Since: "2024-11"}},
		ASN: []recon.ASNFlag{{ASN: 205100, Org: "Stark Industries Solutions", IP: ip, Source: "spamhaus-asn-drop"}}})
	s.mod("ports", recon.TouchThirdParty, &recon.PortsFacts{Hosts: []recon.HostPorts{{IP: ip, Ports: []int{22, 80, 443, 8080},
		CPEs: []string{"cpe:/a:openbsd:openssh:8.2p1"}, Vulns: []string{"CVE-2023-38408"}, Tags: []string{"self-signed"}}}})
	s.mod("dns", recon.TouchThirdParty, &recon.DNSFacts{Name: ip, PTR: []string{"tor-exit.example.net"}},
		recon.Pivot{Kind: recon.PivotDomain, Value: "tor-exit.example.net", Relation: recon.RelPTR})
	return s.done()
}

// demoSession builds the session by scanning, attaching and pivoting the
// way the workbench does.
func demoSession() *pivot.Session {
	s := pivot.NewSession(t0.Add(-time.Hour))
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	s.Attach(root.ID, domainReport(nova("nova-parcels.com", "2024-11-10T09:12:00Z", "google-site-verification=abc", hostileTXT)), t0)
	at := t0
	for _, id := range append([]string(nil), s.Node(root.ID).Children...) {
		n := s.Node(id)
		at = at.Add(time.Minute)
		switch {
		case n.Value == "nova-tracking.net":
			s.Attach(id, domainReport(nova("nova-tracking.net", "2024-11-11T15:40:00Z")), at)
		case n.Value == "nova-returns.co":
			s.Attach(id, domainReport(nova("nova-returns.co", "2024-11-12T07:05:00Z")), at)
		case n.Value == novaIP:
			s.Attach(id, ipReport(novaIP), at)
			s.AddNote(id, "IP also seen in the Nov 2024 parcel-scam report | see ticket `#4411` <b>urgent</b>", at)
		}
	}
	// A hostile value reached as a SAN of a loaded session, scanned with a
	// WHOIS answer full of backticks and HTML.
	ev := s.AddChild(root.ID, recon.Pivot{Kind: recon.PivotDomain, Value: hostileDom, Relation: recon.RelSAN})
	hs := newScan(recon.KindDomain, hostileDom)
	hs.mod("whois", recon.TouchThirdParty, &recon.WhoisFacts{Domain: hostileDom, Registered: true, Registrar: hostileReg,
		Created: day0("2024-11-19T00:00:00Z"), Source: "whois", Raw: "```\n<script>alert(1)</script>\n````` ok\n\x1b[2Jcleared"},
		recon.Pivot{Kind: recon.PivotRegistrar, Value: hostileReg, Relation: recon.RelRegistrar})
	s.Attach(ev.ID, hs.done(), t0.Add(10*time.Minute))

	good := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "example-bank.com"})
	s.Attach(good.ID, domainReport(domSpec{name: "example-bank.com", registrar: "MarkMonitor Inc.", created: "1995-08-14T04:00:00Z",
		posture: "spf:fail dmarc:reject", spf: true, dmarc: true, ips: []string{"93.184.216.34"}, asn: 15133, asOrg: "Edgecast",
		ns: []string{"a.iana-servers.net", "b.iana-servers.net"}, sans: []string{"example-bank.com", "www.example-bank.com"},
		cert: "1111111111111111111111111111111111111111111111111111111111111111", pub: "2222222222222222222222222222222222222222222222222222222222222222",
		issuer: "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US", headersOK: true,
		subdomains: []string{"www.example-bank.com", "mail.example-bank.com", "api.example-bank.com"}}), t0.Add(20*time.Minute))

	cf := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "shop-behind-cf.com"})
	s.Attach(cf.ID, domainReport(domSpec{name: "shop-behind-cf.com", registrar: "GoDaddy.com, LLC", created: "2021-03-02T10:00:00Z",
		posture: "spf:softfail dmarc:none", spf: true, ips: []string{"104.21.48.7"}, asn: 13335, asOrg: "Cloudflare, Inc.",
		ns: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}, sans: []string{"shop-behind-cf.com", "*.shop-behind-cf.com"},
		cert: "3333333333333333333333333333333333333333333333333333333333333333", pub: "4444444444444444444444444444444444444444444444444444444444444444",
		issuer: "CN=WE1,O=Google Trust Services,C=US", cloudflare: true, subdomains: []string{"www.shop-behind-cf.com"}}), t0.Add(30*time.Minute))
	s.AddNote(root.ID, "Reported by a customer on 2024-11-18; the SMS linked here.", t0.Add(40*time.Minute))
	s.MarkFalsePositive(cf.ID, "cloudflare", "the shop is a known customer; CDN use is expected", t0.Add(41*time.Minute))
	return s
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
