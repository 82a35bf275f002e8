package pivot

import (
	"strings"
	"testing"
)

// TestKeyKindWeights: each key kind weighs a value by how common it is,
// with the reason in words. Session evidence (ctx) changes an address's
// and a certificate's weight.
func TestKeyKindWeights(t *testing.T) {
	shared := &WeightContext{
		HostNames: map[string]map[string]bool{
			"5.6.7.8": {"a.example": true, "b.example": true, "c.example": true, "d.example": true, "e.example": true},
			"5.6.7.9": {"a.example": true, "b.example": true},
		},
		PTR:          map[string][]string{"162.241.1.5": {"box5123.bluehost.com"}, "9.9.9.1": {"ip-9-9-9-1.host.example"}},
		ASN:          map[string]uint32{"162.241.1.6": 46606, "203.0.113.10": 64999},
		CertDomains:  map[string]int{"big": 120, "mid": 20, "small": 3},
		PubkeyCerts:  map[string][]string{"bigkey": {"big"}},
		DefaultCert:  map[string]bool{"dflt": true},
		ASOrgs:       []string{"sitelynet"},
		ASNOrg:       map[uint32]string{64999: "sitelynet"},
		PlatformOrgs: map[string]bool{"sitelynet": true},
	}
	cases := []struct {
		kind, value string
		ctx         *WeightContext
		weight      float64
		why         string
	}{
		{"registrar", "godaddy.com, llc", nil, 0.1, "GoDaddy: about 1 in 6"},
		{"registrar", "namecheap, inc.", nil, 0.25, "Namecheap: about 1 in 20"},
		{"registrar", "markmonitor inc.", nil, 0.8, "MarkMonitor"},
		{"registrar", "tiny registrar llc", nil, 1, "outside the big ones"},
		{"registrar", "domains by proxy, llc", nil, 0, "privacy"},
		{"ns", "ns55.domaincontrol.com,ns56.domaincontrol.com", nil, 0.05, "GoDaddy DNS"},
		{"ns", "dns1.registrar-servers.com,dns2.registrar-servers.com", nil, 0.1, "Namecheap BasicDNS"},
		{"ns", "ns1.sedoparking.com,ns2.sedoparking.com", nil, 0, "parked"},
		{"ns", "ns1.nova-dns.net,ns2.nova-dns.net", nil, 3, "private name servers"},
		{"ns", "ns1.sitely-dns.example,ns2.sitely-dns.example", shared, 0.3, "hosting platform's own name servers"},
		{"ip", "104.21.1.1", nil, 0, "CDN edge"},
		{"ip", "91.195.240.94", nil, 0, "parking address"},
		{"ip", "185.230.63.107", nil, 0.1, "Wix"},
		{"ip", "185.220.101.47", nil, 2.5, "nothing says it is shared hosting"},
		{"ip", "5.6.7.8", shared, 0.3, "5 different domains"},
		{"ip", "5.6.7.9", shared, 3, "only 2 domain(s)"},
		{"ip", "162.241.1.5", shared, 0.3, "box5123.bluehost.com"},
		{"ip", "162.241.1.6", shared, 1.5, "shared-hosting company"},
		{"ip", "203.0.113.10", shared, 0.5, "a platform whose own name servers the sites use"},
		{"asn", "AS58182", nil, 0.05, "Wix"},
		{"asn", "AS205100", nil, 0.5, "not one of the mass hosts"},
		{"cert", "big", shared, 0.2, "120 registrable domains"},
		{"cert", "mid", shared, 1, "20 registrable domains"},
		{"cert", "small", shared, 3, "the same certificate"},
		{"cert", "dflt", shared, 1, "default certificate"},
		{"pubkey", "bigkey", shared, 0.2, "platform's shared key"},
		{"email", "spf:~all dmarc:none", nil, 0.05, "Google Workspace's default posture"},
		{"email", "spf:-all dmarc:reject", nil, 0.1, "recommended posture"},
		{"email", "spf:?all dmarc:invalid", nil, 0.3, "uncommon combination"},
		{"spf-include", "_spf.google.com", nil, 0.05, "mass mail sender"},
		{"spf-include", "_spf.nova-mail.example", nil, 1.5, "same mail infrastructure"},
		{"rua", "dmarc@nova-ops.example", nil, 3, "private DMARC report mailbox"},
		{"soa", "dns.cloudflare.com", nil, 0.05, "mass DNS hosting contact"},
		{"window", "", nil, 0.5, "registered within 7 days"},
		{"nonsense", "x", nil, 0, "unknown key kind"},
	}
	for _, tc := range cases {
		w, why := Weigh(tc.kind, tc.value, tc.ctx)
		if w != tc.weight || !strings.Contains(why, tc.why) {
			t.Errorf("Weigh(%s, %q) = %v %q; want %v containing %q", tc.kind, tc.value, w, why, tc.weight, tc.why)
		}
	}
}

func TestSharedHostingPTR(t *testing.T) {
	for name, shared := range map[string]bool{
		"box5123.bluehost.com": true, "server42.web-hosting.example": true, "srv-12.hoster.example": true,
		"p3plcpnl0123.prod.phx3.secureserver.net": true, "gator4123.hostgator.com": true, "cpanel12.host.example": true,
		"ip-185-220-101-47.bluehaven-hosting.net": false, "vps12345.provider.example": false,
		"ec2-18-158-24-107.eu-central-1.compute.amazonaws.com": false, "mail.example.com": false, "": false,
	} {
		if got := SharedHostingPTR(name) != ""; got != shared {
			t.Errorf("SharedHostingPTR(%q) = %v, want %v", name, got, shared)
		}
	}
}

// TestKeyKindsTable: every row is complete and its prefix is unique.
func TestKeyKindsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range KeyKinds {
		if k.Kind == "" || k.Prefix == "" || k.Dimension == "" || k.Weight == nil || (k.Values == nil) != (k.Kind == "window") {
			t.Errorf("incomplete row %+v", k)
		}
		if seen[k.Prefix] {
			t.Errorf("prefix %q twice", k.Prefix)
		}
		seen[k.Prefix] = true
		if SharedKind(k.Prefix+"x") != k.Kind {
			t.Errorf("SharedKind(%q) = %q, want %q", k.Prefix+"x", SharedKind(k.Prefix+"x"), k.Kind)
		}
		if _, ok := Weights[k.Kind]; !ok {
			t.Errorf("no maximum weight for %s", k.Kind)
		}
	}
}
