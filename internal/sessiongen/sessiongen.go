// Package sessiongen builds big, realistic sessions for benchmarks and
// scale checks of the exporters and the workbench: scanned domains that
// share a registrar, addresses, name servers and certificates in groups,
// each certificate with many SANs, the way a large fan-out investigation
// looks. It uses the same pivot calls as a real investigation (AddRoot,
// Attach), with reports built from typed facts and assessed by recon.Assess.
// Nothing here touches the network.
package sessiongen

import (
	"fmt"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// Options shape a generated session.
type Options struct {
	// Nodes is the number of nodes to reach (at least; the last domain's
	// children may overshoot by up to SANs+6).
	Nodes int
	// SANs is the number of SAN names on each certificate (default 190).
	SANs int
	// PerCert is how many domains share one certificate (default 50); the
	// same group shares an address every PerCert/2 domains and a name-server
	// pair every 2*PerCert.
	PerCert int
	// Now is the session's creation time; scans finish a second apart
	// after it (default 2026-11-20 10:00 UTC).
	Now time.Time
}

// DefaultOptions are the options of a session of about n nodes.
func DefaultOptions(n int) Options {
	return Options{Nodes: n, SANs: 190, PerCert: 50, Now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
}

// Build returns a session of about o.Nodes nodes: scanned root domains
// d000000.example, d000001.example, ... all at one registrar, each with
// its address, name servers, registrar, ASN, certificate and the
// certificate's SANs as children; one in ten domains carries a note.
func Build(o Options) *pivot.Session {
	if o.SANs <= 0 {
		o.SANs = 190
	}
	if o.PerCert <= 0 {
		o.PerCert = 50
	}
	if o.Now.IsZero() {
		o.Now = DefaultOptions(0).Now
	}
	s := pivot.NewSession(o.Now)
	at := o.Now
	for i := 0; s.Len() < o.Nodes; i++ {
		name := fmt.Sprintf("d%06d.example", i)
		root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: name})
		at = at.Add(time.Second)
		s.Attach(root.ID, report(o, i, name, at), at)
		if i%10 == 0 {
			s.AddNote(root.ID, fmt.Sprintf("generated note %d", i), at)
		}
	}
	return s
}

func report(o Options, i int, name string, at time.Time) *recon.Report {
	g := i / o.PerCert
	ip := fmt.Sprintf("198.%d.%d.%d", 18+(i/(o.PerCert/2+1))/65536%2, (i/(o.PerCert/2+1))/256%256, (i/(o.PerCert/2+1))%256)
	ns := []string{fmt.Sprintf("ns1.op%d-dns.example", i/(2*o.PerCert)), fmt.Sprintf("ns2.op%d-dns.example", i/(2*o.PerCert))}
	asn := uint32(64500 + g%500)
	cert := fmt.Sprintf("%064x", 0xc0000000+g)
	pub := fmt.Sprintf("%064x", 0xb0000000+g)
	started := at.Add(-2 * time.Second)
	r := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: name}, Modules: map[string]*recon.ModuleResult{},
		Started: started, DurationMS: 2000}
	mod := func(id string, touch recon.Touch, facts any, pivots ...recon.Pivot) {
		r.Modules[id] = &recon.ModuleResult{Module: id, Status: recon.StatusOK, Touch: touch, Facts: facts,
			Signals: []recon.Signal{}, Pivots: pivots, Started: started, DurationMS: 300}
	}
	mod(recon.ModuleDNS, recon.TouchThirdParty, &recon.DNSFacts{Name: name, A: []string{ip}, NS: ns},
		recon.Pivot{Kind: recon.PivotIP, Value: ip, Relation: recon.RelA},
		recon.Pivot{Kind: recon.PivotNS, Value: ns[0], Relation: recon.RelNS},
		recon.Pivot{Kind: recon.PivotNS, Value: ns[1], Relation: recon.RelNS})
	created := o.Now.AddDate(0, 0, -3-i%40)
	mod(recon.ModuleWhois, recon.TouchThirdParty, &recon.WhoisFacts{Domain: name, Registered: true, Registrar: "NameCheap, Inc.",
		Created: &created, NameServers: ns, Source: "whois", Servers: []string{"whois.example-registry.net"},
		Raw: "Domain Name: " + name + "\r\nRegistrar: NameCheap, Inc.\r\nCreation Date: " + created.Format(time.RFC3339) + "\r\n"},
		recon.Pivot{Kind: recon.PivotRegistrar, Value: "NameCheap, Inc.", Relation: recon.RelRegistrar})
	mod(recon.ModuleGeoIP, recon.TouchThirdParty, &recon.GeoFacts{IPs: []recon.IPGeo{{IP: ip, Country: "Netherlands", CountryCode: "NL",
		ASN: asn, ASOrg: fmt.Sprintf("Example Hosting %d", asn), Network: pivot.NetOf(ip), Sources: []string{"mmdb"}}}},
		recon.Pivot{Kind: recon.PivotASN, Value: fmt.Sprintf("AS%d", asn), Relation: recon.RelASN})
	sans := make([]string, o.SANs)
	piv := make([]recon.Pivot, 0, o.SANs+1)
	for k := range sans {
		sans[k] = fmt.Sprintf("s%d-%d.example", k, g)
		piv = append(piv, recon.Pivot{Kind: recon.PivotDomain, Value: sans[k], Relation: recon.RelSAN})
	}
	piv = append(piv, recon.Pivot{Kind: recon.PivotCert, Value: cert, Relation: recon.RelCert})
	mod(recon.ModuleSSL, recon.TouchTarget, &recon.SSLFacts{Certs: []recon.CertFacts{{Address: ip + ":443", ServerName: name,
		Subject: "CN=" + sans[0], Issuer: "CN=R11,O=Let's Encrypt,C=US", Serial: fmt.Sprintf("04:%x", g),
		NotBefore: o.Now.AddDate(0, 0, -5), NotAfter: o.Now.AddDate(0, 3, -5), DaysLeft: 85,
		SHA256: cert, PubkeySHA256: pub, SANs: sans, Verified: true}}}, piv...)
	mod(recon.ModuleEmail, recon.TouchThirdParty, &recon.EmailFacts{Domain: name, Posture: "spf:none dmarc:none", Spoofable: true,
		SpoofReason: "no SPF and no DMARC: anyone can send as this domain"})
	recon.Assess(r, at)
	return r
}
