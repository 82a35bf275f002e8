package pivot

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestClustersNovaAcceptance(t *testing.T) {
	s := sessionOf(wellRun, novaParcels, cfProxied, novaTracking, novaReturns)
	got := s.Clusters()
	if len(got) != 1 {
		t.Fatalf("want one cluster, got %d: %+v", len(got), got)
	}
	c := got[0]
	want := Cluster{
		ID:      "c1",
		Members: []string{"nova-parcels.com", "nova-returns.co", "nova-tracking.net"},
		Shared: []string{
			"asn:AS205100",
			"cert:" + shaNova,
			"email:spf:none dmarc:none",
			"ip:185.220.101.47",
			"net:185.220.101.0/24",
			"ns:dns1.registrar-servers.com,dns2.registrar-servers.com",
			"registrar:namecheap, inc.",
			"window:2024-11-10..2024-11-12",
		},
		// cert 3, ip 2.5, asn 0.5, net 0.5, window 0.5, Namecheap 0.25,
		// Namecheap DNS 0.1, no SPF/DMARC 0.05
		Score: 3 + 2.5 + 0.5 + 0.5 + 0.5 + 0.25 + 0.1 + 0.05,
	}
	for _, e := range c.Evidence {
		if e.Why == "" || e.Weight <= 0 {
			t.Errorf("evidence without weight or why: %+v", e)
		}
	}
	if len(c.Evidence) != len(c.Shared) {
		t.Fatalf("evidence %+v does not match shared %v", c.Evidence, c.Shared)
	}
	c.Evidence = nil
	if !reflect.DeepEqual(c, want) {
		t.Errorf("cluster:\n got %+v\nwant %+v", c, want)
	}
	for _, k := range []EntityKey{"domain:example-bank.com", "domain:shop-behind-cf.com"} {
		if idx := s.ClusterOf(k); len(idx) != 0 {
			t.Errorf("ClusterOf(%s) = %v, want none", k, idx)
		}
	}
	if idx := s.ClusterOf("domain:nova-returns.co"); !reflect.DeepEqual(idx, []int{0}) {
		t.Errorf("ClusterOf(nova-returns.co) = %v", idx)
	}
}

func TestSharedPrefixesContract(t *testing.T) {
	s := sessionOf(novaParcels, novaTracking, novaReturns,
		dom{name: "a.example", ips: []string{"2a01:4f8:1:2::5"}, asn: 24940, pub: pubNova, cert: "aa"},
		dom{name: "b.example", ips: []string{"2a01:4f8:1:2::6"}, asn: 24940, pub: pubNova, cert: "bb", ns: []string{"NS1.Private-DNS.example.", "ns2.private-dns.example"}},
		dom{name: "c.example", ns: []string{"ns2.private-dns.example", "ns1.private-dns.example"}},
		dom{name: "d.example", soa: "ops.private-dns.example.", rua: []string{"mailto:DMARC@Ops.example!10m"}, spf: []string{"_spf.ops.example"}},
		dom{name: "e.example", soa: "ops.private-dns.example", rua: []string{"mailto:dmarc@ops.example"}, spf: []string{"_SPF.ops.example."}})
	prefixes := []string{"ip:", "net:", "asn:", "registrar:", "ns:", "cert:", "window:", "email:"}
	var all []string
	for _, c := range s.Clusters() {
		if !slices.IsSorted(c.Members) || !slices.IsSorted(c.Shared) {
			t.Errorf("%s not sorted: %+v", c.ID, c)
		}
		for _, sh := range c.Shared {
			all = append(all, sh)
			if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(sh, p) }) {
				t.Errorf("shared %q has no contract prefix", sh)
			}
		}
	}
	for _, want := range []string{"ns:ns1.private-dns.example,ns2.private-dns.example", "cert:pubkey:" + pubNova, "net:2a01:4f8:1::/48",
		"ns:soa:ops.private-dns.example", "email:rua:dmarc@ops.example", "email:spf-include:_spf.ops.example"} {
		if !slices.Contains(all, want) {
			t.Errorf("missing %q in %v", want, all)
		}
	}
	cl := s.Clusters()
	for i := 1; i < len(cl); i++ {
		if cl[i].Score > cl[i-1].Score {
			t.Errorf("clusters not sorted by score: %v", cl)
		}
	}
}

// pair builds two domains that differ only where the test says.
func pair(a, b dom) []dom {
	a.name, b.name = "one.example", "two.example"
	return []dom{a, b}
}

func TestClusterRules(t *testing.T) {
	reg := "Some Registrar LLC"
	cases := []struct {
		name   string
		doms   []dom
		shared []string // nil: no cluster
	}{
		// The "says nothing" rule: none of these link by itself.
		{"cloudflare IP", pair(dom{ips: []string{"104.21.48.7"}, asn: 13335}, dom{ips: []string{"104.21.48.7"}, asn: 13335}), nil},
		{"cloudflare IP, no geo", pair(dom{ips: []string{"104.21.48.7"}}, dom{ips: []string{"104.21.48.7"}}), nil},
		{"cloudflare v6", pair(dom{ips: []string{"2606:4700:3030::6815:3007"}}, dom{ips: []string{"2606:4700:3030::6815:3007"}}), nil},
		{"only AS13335", pair(dom{ips: []string{"104.21.1.1"}, asn: 13335}, dom{ips: []string{"172.67.1.1"}, asn: 13335}), nil},
		{"CDN ASN outside the embedded ranges", pair(dom{ips: []string{"151.101.1.57"}, asn: 54113}, dom{ips: []string{"151.101.1.57"}, asn: 54113}), nil},
		{"registrar-servers.com NS", pair(dom{ns: []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"}}, dom{ns: []string{"dns2.registrar-servers.com", "dns1.registrar-servers.com"}}), nil},
		{"cloudflare NS", pair(dom{ns: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}}, dom{ns: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}}), nil},
		{"awsdns NS", pair(dom{ns: []string{"ns-1.awsdns-01.org", "ns-2.awsdns-02.com"}}, dom{ns: []string{"ns-1.awsdns-01.org", "ns-2.awsdns-02.com"}}), nil},
		{"domaincontrol NS", pair(dom{ns: []string{"ns55.domaincontrol.com", "ns56.domaincontrol.com"}}, dom{ns: []string{"ns55.domaincontrol.com", "ns56.domaincontrol.com"}}), nil},
		{"only a registrar", pair(dom{registrar: reg}, dom{registrar: "SOME  registrar llc"}), nil},
		{"privacy registrar, same email, same window", pair(dom{registrar: "Domains By Proxy, LLC", posture: "spf:none dmarc:none", created: "2026-01-01"}, dom{registrar: "Domains By Proxy, LLC", posture: "spf:none dmarc:none", created: "2026-01-02"}), nil},
		{"public resolver", pair(dom{ips: []string{"8.8.8.8"}}, dom{ips: []string{"8.8.8.8"}}), nil},
		{"loopback", pair(dom{ips: []string{"127.0.0.1"}}, dom{ips: []string{"127.0.0.1"}}), nil},
		{"private", pair(dom{ips: []string{"10.0.0.5"}}, dom{ips: []string{"10.0.0.5"}}), nil},
		{"empty posture and registrar", pair(dom{registrar: "", posture: " "}, dom{registrar: "unknown", posture: ""}), nil},
		{"registrar and email: two weak", pair(dom{registrar: reg, posture: "spf:none dmarc:none"}, dom{registrar: reg, posture: "spf:none dmarc:none"}), nil},
		{"net and asn: one hosting dimension", pair(dom{ips: []string{"5.6.7.8"}, asn: 51000}, dom{ips: []string{"5.6.7.9"}, asn: 51000}), nil},
		{"net, asn and window: two dimensions", pair(dom{ips: []string{"5.6.7.8"}, asn: 51000, created: "2026-01-01"}, dom{ips: []string{"5.6.7.9"}, asn: 51000, created: "2026-01-03"}), nil},
		{"mass ASN only", pair(dom{ips: []string{"3.5.1.1"}, asn: 16509, registrar: reg}, dom{ips: []string{"52.1.1.1"}, asn: 16509, registrar: reg}), nil},

		// An address nothing is known about needs one more clue; one seen
		// serving only these names links alone; shared hosting never does.
		{"same IP alone", pair(dom{ips: []string{"185.220.101.47"}}, dom{ips: []string{"185.220.101.47"}}), nil},
		{"same IP and the same week", pair(dom{ips: []string{"185.220.101.47"}, created: "2026-01-01"}, dom{ips: []string{"185.220.101.47"}, created: "2026-01-03"}),
			[]string{"ip:185.220.101.47", "net:185.220.101.0/24", "window:2026-01-01..2026-01-03"}},
		{"dedicated IP (InternetDB sees only these names)", pair(dom{ips: []string{"185.220.101.47"}, hostnames: []string{"one.example", "two.example", "ip-185-220-101-47.host.example"}}, dom{ips: []string{"185.220.101.47"}}),
			[]string{"ip:185.220.101.47", "net:185.220.101.0/24"}},
		{"same IPv6, different spelling, dedicated", pair(dom{ips: []string{"2A01:4F8::1"}, hostnames: []string{"one.example"}}, dom{ips: []string{"2a01:4f8:0::1"}}),
			[]string{"ip:2a01:4f8::1", "net:2a01:4f8::/48"}},
		{"shared hosting by PTR", pair(dom{ips: []string{"162.241.1.5"}, registrar: "GoDaddy.com, LLC", posture: "spf:~all dmarc:none", created: "2026-01-01", hostnames: []string{"box5123.bluehost.com"}},
			dom{ips: []string{"162.241.1.5"}, registrar: "GoDaddy.com, LLC", posture: "spf:~all dmarc:none", created: "2026-01-02"}), nil},
		{"shared hosting by the address's reverse name", pair(dom{ips: []string{"162.241.218.77"}, registrar: reg, created: "2026-01-01", ptr: "box5123.bluehost.com."},
			dom{ips: []string{"162.241.218.77"}, registrar: reg, created: "2026-01-02", ptr: "box5123.bluehost.com"}), nil},
		{"shared hosting by host-name count", pair(dom{ips: []string{"5.6.7.8"}, registrar: reg, created: "2026-01-01",
			hostnames: []string{"a.example", "b.example", "c.example", "d.example", "e.example", "f.example"}},
			dom{ips: []string{"5.6.7.8"}, registrar: reg, created: "2026-01-02"}), nil},
		{"website builder front-end", pair(dom{ips: []string{"185.230.63.107"}, asn: 58182, ns: []string{"ns1.wixdns.net", "ns0.wixdns.net"}, created: "2026-01-01"},
			dom{ips: []string{"185.230.63.107"}, asn: 58182, ns: []string{"ns0.wixdns.net", "ns1.wixdns.net"}, created: "2026-01-02"}), nil},
		{"big registrar, Workspace posture, same week", pair(dom{ips: []string{"5.6.7.8"}, registrar: "GoDaddy.com, LLC", posture: "spf:~all dmarc:none", created: "2026-01-01"},
			dom{ips: []string{"9.6.7.9"}, registrar: "GoDaddy.com, LLC", posture: "spf:~all dmarc:none", created: "2026-01-02"}), nil},
		{"a platform's own name servers and anycast addresses", pair(dom{ips: []string{"203.0.113.10", "203.0.113.11"}, asn: 64999, asOrg: "SITELY-NET", ns: []string{"ns1.sitely-dns.example", "ns2.sitely-dns.example"}, created: "2026-01-01"},
			dom{ips: []string{"203.0.113.10", "203.0.113.11"}, asn: 64999, asOrg: "SITELY-NET", ns: []string{"ns1.sitely-dns.example", "ns2.sitely-dns.example"}, created: "2026-01-03"}), nil},
		{"parking address", pair(dom{ips: []string{"91.195.240.94"}, created: "2026-01-01"}, dom{ips: []string{"91.195.240.94"}, created: "2026-01-02"}), nil},
		{"a server's default certificate on one address", pair(dom{ips: []string{"5.6.7.8"}, hostnames: []string{"a.example", "b.example", "c.example", "d.example", "e.example", "f.example"}, cert: "d1", pub: "dk", mismatch: true},
			dom{ips: []string{"5.6.7.8"}, cert: "d1", pub: "dk", mismatch: true}), nil},
		{"co-issued certificate seen in CT", pair(dom{coIssued: "cc01"}, dom{coIssued: "cc01"}), []string{"cert:cc01"}},
		{"NS set, any order and case", pair(dom{ns: []string{"NS2.evil-dns.example.", "ns1.evil-dns.example"}}, dom{ns: []string{"ns1.evil-dns.example", "ns2.evil-dns.example"}}),
			[]string{"ns:ns1.evil-dns.example,ns2.evil-dns.example"}},
		{"mixed NS set is specific", pair(dom{ns: []string{"ns1.evil-dns.example", "dns1.registrar-servers.com"}}, dom{ns: []string{"dns1.registrar-servers.com", "ns1.evil-dns.example"}}),
			[]string{"ns:dns1.registrar-servers.com,ns1.evil-dns.example"}},
		{"different NS sets do not link", pair(dom{ns: []string{"ns1.evil-dns.example"}}, dom{ns: []string{"ns1.evil-dns.example", "ns2.evil-dns.example"}}), nil},
		{"cert", pair(dom{cert: "AB12", pub: "p1"}, dom{cert: "ab12", pub: "p1"}), []string{"cert:ab12"}},
		{"pubkey reuse across certs", pair(dom{cert: "c1", pub: "p1"}, dom{cert: "c2", pub: "p1"}), []string{"cert:pubkey:p1"}},
		{"cert on a cloudflare edge", pair(dom{ips: []string{"104.21.48.7"}, cert: "c1"}, dom{ips: []string{"104.21.48.7"}, cert: "c1"}), nil},
		{"strong plus weak extras", pair(dom{ips: []string{"5.6.7.8"}, asn: 51000, registrar: reg, posture: "SPF:none  DMARC:none", created: "2026-01-01"},
			dom{ips: []string{"5.6.7.8"}, asn: 51000, registrar: reg, posture: "spf:none dmarc:none", created: "2026-01-08"}),
			[]string{"asn:AS51000", "email:spf:none dmarc:none", "ip:5.6.7.8", "net:5.6.7.0/24", "registrar:some registrar llc", "window:2026-01-01..2026-01-08"}},

		// Weak values never add up to a link, however many.
		{"net, registrar, email", pair(dom{ips: []string{"5.6.7.8"}, registrar: reg, posture: "spf:none dmarc:none"}, dom{ips: []string{"5.6.7.9"}, registrar: reg, posture: "spf:none dmarc:none"}), nil},
		{"asn, registrar, window", pair(dom{ips: []string{"5.6.7.8"}, asn: 51000, registrar: reg, created: "2026-01-01"}, dom{ips: []string{"9.6.7.9"}, asn: 51000, registrar: reg, created: "2026-01-05"}), nil},
		{"registrar, email, window", pair(dom{registrar: reg, posture: "spf:none dmarc:none", created: "2026-01-01"}, dom{registrar: reg, posture: "spf:none dmarc:none", created: "2026-01-05"}), nil},
		{"rare registrar, SPF include, window", pair(dom{registrar: reg, spf: []string{"_spf.nova-mail.example"}, created: "2026-01-01"}, dom{registrar: reg, spf: []string{"_spf.nova-mail.example"}, created: "2026-01-05"}),
			[]string{"email:spf-include:_spf.nova-mail.example", "registrar:some registrar llc", "window:2026-01-01..2026-01-05"}},

		// DMARC report mailbox: a private one is strong, a processor's says nothing.
		{"shared private rua", pair(dom{rua: []string{"mailto:Reports@Nova-Ops.example!10m"}}, dom{rua: []string{"mailto:other@x.example", " mailto:reports@nova-ops.example"}}),
			[]string{"email:rua:reports@nova-ops.example"}},
		{"rua at a mass processor", pair(dom{rua: []string{"mailto:re+abc123@dmarc.postmarkapp.com"}}, dom{rua: []string{"mailto:re+abc123@dmarc.postmarkapp.com"}}), nil},
		{"rua at vali.email", pair(dom{rua: []string{"mailto:dmarc_agg@vali.email"}}, dom{rua: []string{"mailto:dmarc_agg@vali.email"}}), nil},
		{"rua at easydmarc", pair(dom{rua: []string{"mailto:x@rua.easydmarc.us"}}, dom{rua: []string{"mailto:x@rua.easydmarc.us"}}), nil},
		{"rua that is not mailto", pair(dom{rua: []string{"https://reports.example/x"}}, dom{rua: []string{"https://reports.example/x"}}), nil},

		// SPF includes: a weak clue of the e-mail dimension.
		{"uncommon SPF include alone", pair(dom{spf: []string{"_spf.nova-mail.example"}}, dom{spf: []string{"_spf.nova-mail.example"}}), nil},
		{"uncommon SPF include adds to an address", pair(dom{ips: []string{"5.6.7.8"}, spf: []string{"_spf.google.com", "_spf.Nova-Mail.example."}}, dom{ips: []string{"5.6.7.8"}, spf: []string{"_spf.nova-mail.example", "_spf.google.com"}}),
			[]string{"email:spf-include:_spf.google.com", "email:spf-include:_spf.nova-mail.example", "ip:5.6.7.8", "net:5.6.7.0/24"}},
		{"net, registrar, SPF include", pair(dom{ips: []string{"5.6.7.8"}, registrar: reg, spf: []string{"_spf.nova-mail.example"}}, dom{ips: []string{"5.6.7.9"}, registrar: reg, spf: []string{"_spf.nova-mail.example"}}),
			[]string{"email:spf-include:_spf.nova-mail.example", "net:5.6.7.0/24", "registrar:some registrar llc"}},
		{"posture and SPF include are one dimension", pair(dom{registrar: reg, posture: "spf:fail dmarc:none", spf: []string{"_spf.nova-mail.example"}}, dom{registrar: reg, posture: "spf:fail dmarc:none", spf: []string{"_spf.nova-mail.example"}}), nil},
		{"_spf.google.com says nothing", pair(dom{ips: []string{"5.6.7.8"}, registrar: reg, spf: []string{"_spf.google.com"}}, dom{ips: []string{"5.6.7.9"}, registrar: reg, spf: []string{"_spf.google.com"}}), nil},

		// SOA contact (RNAME): strong unless mass DNS hosting's.
		{"SOA contact in a third domain", pair(dom{soa: "Hostmaster.Nova-Ops.example."}, dom{soa: "hostmaster.nova-ops.example"}),
			[]string{"ns:soa:hostmaster.nova-ops.example"}},
		{"SOA contact naming another member's domain", []dom{{name: "nova-parcels.com", soa: "hostmaster.nova-parcels.com"}, {name: "nova-tracking.net", soa: "hostmaster.nova-parcels.com."}},
			[]string{"ns:soa:hostmaster.nova-parcels.com"}},
		{"SOA contact in each own domain", pair(dom{soa: "hostmaster.one.example"}, dom{soa: "hostmaster.two.example"}), nil},
		{"cloudflare SOA contact", pair(dom{soa: "dns.cloudflare.com"}, dom{soa: "dns.cloudflare.com"}), nil},
		{"route 53 SOA contact", pair(dom{soa: "awsdns-hostmaster.amazon.com"}, dom{soa: "awsdns-hostmaster.amazon.com"}), nil},
		{"namecheap SOA contact", pair(dom{soa: "hostmaster.registrar-servers.com"}, dom{soa: "hostmaster.registrar-servers.com"}), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := sessionOf(tc.doms...).Clusters()
			if tc.shared == nil {
				if len(cl) != 0 {
					t.Fatalf("want no cluster, got %+v", cl)
				}
				return
			}
			if len(cl) != 1 {
				t.Fatalf("want one cluster, got %+v", cl)
			}
			if !reflect.DeepEqual(cl[0].Shared, tc.shared) {
				t.Errorf("shared:\n got %q\nwant %q", cl[0].Shared, tc.shared)
			}
			want := 0.0
			for i, e := range cl[0].Evidence {
				if e.Key != tc.shared[i] || e.Why == "" || e.Weight <= 0 || e.Weight > Weights[SharedKind(e.Key)] {
					t.Errorf("evidence %+v for %q", e, tc.shared[i])
				}
				want += e.Weight
			}
			if math.Abs(cl[0].Score-want) > 0.011 {
				t.Errorf("score %v, want %v", cl[0].Score, want)
			}
		})
	}
}

func TestSaysNothing(t *testing.T) {
	cases := []struct {
		kind, value string
		nothing     bool
	}{
		{"ip", "104.16.0.1", true}, {"ip", "8.8.8.8", true}, {"ip", "1.1.1.1", true}, {"ip", "9.9.9.9", true},
		{"ip", "::ffff:8.8.4.4", true}, {"ip", "169.254.169.254", true}, {"ip", "", true}, {"ip", "nonsense", true},
		{"ip", "185.220.101.47", false}, {"ip", "2a01:4f8::1", false},
		{"net", "104.16.0.0/24", true}, {"net", "192.168.1.0/24", true}, {"net", "185.220.101.0/24", false},
		{"asn", "AS13335", true}, {"asn", "as16509", true}, {"asn", "AS0", true}, {"asn", "AS64512", true},
		{"asn", "ASx", true}, {"asn", "AS205100", false},
		{"registrar", "Domains By Proxy, LLC", true}, {"registrar", "REDACTED FOR PRIVACY", true},
		{"registrar", "WhoisGuard, Inc.", true}, {"registrar", "unknown", true}, {"registrar", "N/A", true},
		{"registrar", "namecheap, inc.", false},
		{"ns", "ada.ns.cloudflare.com,bob.ns.cloudflare.com", true},
		{"ns", "ns-1536.awsdns-00.co.uk,ns-512.awsdns-00.net", true},
		{"ns", "ns1-05.azure-dns.com", true}, {"ns", "ns-cloud-a1.googledomains.com", true},
		{"ns", "pdns1.registrar-servers.com", true}, {"ns", "ns07.domaincontrol.com", true},
		{"ns", "ns1.nova-dns.net,pdns1.registrar-servers.com", false}, {"ns", "ns1.nova-dns.net", false},
		{"ns", "notcloudflare.com", false},
		{"cert", "", true}, {"cert", "ab", false}, {"email", "", true}, {"email", "spf:none dmarc:none", true}, {"email", "spf:?all dmarc:invalid", false},
		{"rua", "", true}, {"rua", "nobody", true}, {"rua", "x@", true}, {"rua", "@x.example", true},
		{"rua", "reports@nova-ops.example", false}, {"rua", "dmarc@gmail.com", false},
		{"rua", "abc@ag.dmarcian.com", true}, {"rua", "d@rua.agari.com", true}, {"rua", "x@inbox.ondmarc.com", true},
		{"rua", "re+x@dmarc.postmarkapp.com", true}, {"rua", "x@ar.uriports.com", true}, {"rua", "dmarc_agg@vali.email", true},
		{"rua", "x@rua.easydmarc.eu", true}, {"rua", "x@rua.easydmarc.com", true}, {"rua", "x@eu.dmarcanalyzer.com", true},
		{"rua", "x@dmarc.powerdmarc.com", true}, {"rua", "x@dmarc-reports.cloudflare.net", true}, {"rua", "x@notdmarcian.com", false},
		{"spf-include", "", true}, {"spf-include", "_spf.google.com", true}, {"spf-include", "spf.protection.outlook.com", true},
		{"spf-include", "amazonses.com", true}, {"spf-include", "sendgrid.net", true}, {"spf-include", "mailgun.org", true},
		{"spf-include", "servers.mcsv.net", true}, {"spf-include", "spf.mandrillapp.com", true}, {"spf-include", "_spf.salesforce.com", true},
		{"spf-include", "zoho.eu", true}, {"spf-include", "_spf.mx.cloudflare.net", true}, {"spf-include", "_SPF.Google.com.", true},
		{"spf-include", "_spf.nova-mail.example", false}, {"spf-include", "spf.google.com.evil.example", false},
		{"soa", "", true}, {"soa", "hostmaster", true}, {"soa", "hostmaster.", true}, {"soa", ".example.com", true},
		{"soa", "dns.cloudflare.com", true}, {"soa", "awsdns-hostmaster.amazon.com", true}, {"soa", "hostmaster.registrar-servers.com", true},
		{"soa", "azuredns-hostmaster.microsoft.com", true}, {"soa", "cloud-dns-hostmaster.google.com", true}, {"soa", "dns.jomax.net", true},
		{"soa", "root.localhost", true}, {"soa", "hostmaster.digitalocean.com", true},
		{"soa", "hostmaster.nova-parcels.com", false}, {"soa", "john\\.doe.gmail.com", false}, {"soa", "hostmaster\\.cloudflare.nova-ops.example", false},
	}
	for _, tc := range cases {
		why := SaysNothing(tc.kind, tc.value)
		if (why != "") != tc.nothing {
			t.Errorf("SaysNothing(%q, %q) = %q, want nothing=%v", tc.kind, tc.value, why, tc.nothing)
		}
	}
}

func TestSharedKind(t *testing.T) {
	cases := map[string]string{
		"cert:pubkey:ab": "pubkey", "cert:ab": "cert", "ns:soa:hostmaster.x.example": "soa", "ns:a.example": "ns",
		"email:rua:a@b.example": "rua", "email:spf-include:_spf.x.example": "spf-include", "email:spf:none dmarc:none": "email",
		"window:2026-01-01..2026-01-02": "window", "ip:1.2.3.4": "ip", "nothing": "",
	}
	for sh, want := range cases {
		if got := SharedKind(sh); got != want {
			t.Errorf("SharedKind(%q) = %q, want %q", sh, got, want)
		}
		if want != "" {
			if _, ok := Weights[want]; !ok {
				t.Errorf("no weight for kind %q", want)
			}
		}
	}
}

// TestClusterFalsePositiveRicherKeys: the new kinds can be dropped by kind
// and by shared string.
func TestClusterFalsePositiveRicherKeys(t *testing.T) {
	a := dom{name: "one.example", soa: "ops.nova-ops.example", rua: []string{"mailto:r@nova-ops.example"}}
	b := dom{name: "two.example", soa: "ops.nova-ops.example", rua: []string{"mailto:r@nova-ops.example"}}
	for _, tc := range []struct {
		rules  []string
		shared []string
	}{
		{nil, []string{"email:rua:r@nova-ops.example", "ns:soa:ops.nova-ops.example"}},
		{[]string{"cluster:soa"}, []string{"email:rua:r@nova-ops.example"}},
		{[]string{ClusterFalsePositive("email:rua:r@nova-ops.example")}, []string{"ns:soa:ops.nova-ops.example"}},
		{[]string{"cluster:email"}, []string{"email:rua:r@nova-ops.example", "ns:soa:ops.nova-ops.example"}}, // the posture only
		{[]string{"cluster:soa", "cluster:rua"}, nil},
	} {
		s := sessionOf(a, b)
		for _, r := range tc.rules {
			s.MarkFalsePositive(s.NodesOf(KeyOf(recon.PivotDomain, "one.example"))[0], r, "test", t0)
		}
		var got []string
		if cl := s.Clusters(); len(cl) > 0 {
			got = cl[0].Shared
		}
		if !reflect.DeepEqual(got, tc.shared) {
			t.Errorf("rules %v: shared %q, want %q", tc.rules, got, tc.shared)
		}
	}
}

func TestClusterWindow(t *testing.T) {
	// An address nothing is known about (2.5) plus the registration
	// window (0.5) reach the link threshold; without the window they do not.
	d := func(name, created string) dom {
		return dom{name: name, ips: []string{"5.6.7.8"}, created: created}
	}
	cases := []struct {
		name    string
		window  time.Duration
		doms    []dom
		members [][]string
		window1 string // the window string of the first cluster
	}{
		{"exactly the window apart", 0, []dom{d("a.x", "2026-01-01T00:00:00Z"), d("b.x", "2026-01-08T00:00:00Z")},
			[][]string{{"a.x", "b.x"}}, "window:2026-01-01..2026-01-08"},
		{"one second more", 0, []dom{d("a.x", "2026-01-01T00:00:00Z"), d("b.x", "2026-01-08T00:00:01Z")}, nil, ""},
		{"custom window", 2 * 24 * time.Hour, []dom{d("a.x", "2026-01-01"), d("b.x", "2026-01-04")}, nil, ""},
		{"custom window inside", 3 * 24 * time.Hour, []dom{d("a.x", "2026-01-01"), d("b.x", "2026-01-04")},
			[][]string{{"a.x", "b.x"}}, "window:2026-01-01..2026-01-04"},
		{"unknown date", 0, []dom{d("a.x", "2026-01-01"), d("b.x", "")}, nil, ""},
		{"time zones compare as instants", 0, []dom{d("a.x", "2026-01-01T23:00:00-05:00"), d("b.x", "2026-01-09T03:00:00Z")},
			[][]string{{"a.x", "b.x"}}, "window:2026-01-02..2026-01-09"},
		{"chain links transitively; the window names the best run", 0,
			[]dom{d("a.x", "2026-01-01"), d("b.x", "2026-01-06"), d("c.x", "2026-01-11"), d("z.x", "2026-03-01")},
			[][]string{{"a.x", "b.x", "c.x"}}, "window:2026-01-01..2026-01-06"},
		{"two separate groups", 0, []dom{d("a.x", "2026-01-01"), d("b.x", "2026-01-02"), {name: "c.x", ips: []string{"9.9.8.8"}, created: "2026-05-01"}, {name: "e.x", ips: []string{"9.9.8.8"}, created: "2026-05-03"}},
			[][]string{{"a.x", "b.x"}, {"c.x", "e.x"}}, "window:2026-01-01..2026-01-02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sessionOf(tc.doms...)
			s.Window = tc.window
			var got [][]string
			for _, c := range s.Clusters() {
				got = append(got, c.Members)
			}
			if !reflect.DeepEqual(got, tc.members) {
				t.Fatalf("members %v, want %v", got, tc.members)
			}
			if tc.window1 != "" && !slices.Contains(s.Clusters()[0].Shared, tc.window1) {
				t.Errorf("shared %v lacks %q", s.Clusters()[0].Shared, tc.window1)
			}
		})
	}
}

func TestClusterFalsePositives(t *testing.T) {
	cases := []struct {
		name    string
		fp      map[string][]string // domain -> rules
		members []string
		lacks   string
	}{
		{"none", nil, []string{"nova-parcels.com", "nova-returns.co", "nova-tracking.net"}, ""},
		{"entity out", map[string][]string{"nova-returns.co": {FPCluster}}, []string{"nova-parcels.com", "nova-tracking.net"}, ""},
		{"one key of two entities", map[string][]string{
			"nova-returns.co":   {ClusterFalsePositive("ip:185.220.101.47"), "cluster:cert"},
			"nova-tracking.net": {ClusterFalsePositive("ip:185.220.101.47")}},
			// still linked by the cert (parcels+tracking) and by net+registrar+email+window
			[]string{"nova-parcels.com", "nova-returns.co", "nova-tracking.net"}, "ip:185.220.101.47"},
		{"all but one kind gone", map[string][]string{
			"nova-returns.co": {"cluster:ip", "cluster:net", "cluster:asn", "cluster:cert", "cluster:pubkey", "cluster:registrar"}},
			[]string{"nova-parcels.com", "nova-tracking.net"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sessionOf(novaParcels, novaTracking, novaReturns)
			_ = s.Clusters() // fill the cache: MarkFalsePositive must invalidate it
			for d, rules := range tc.fp {
				for _, r := range rules {
					s.MarkFalsePositive(s.NodesOf(KeyOf(recon.PivotDomain, d))[0], r, "shared hosting", t0)
				}
			}
			cl := s.Clusters()
			if len(cl) != 1 || !reflect.DeepEqual(cl[0].Members, tc.members) {
				t.Fatalf("clusters %+v, want members %v", cl, tc.members)
			}
			if tc.lacks != "" && slices.Contains(cl[0].Shared, tc.lacks) {
				t.Errorf("shared %v still has %q", cl[0].Shared, tc.lacks)
			}
		})
	}
}

func TestClusterOfEmailAndSharing(t *testing.T) {
	s := NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindEmail, Value: "billing@nova-parcels.com"})
	rep := novaParcels.report()
	rep.Target = recon.Target{Kind: recon.KindEmail, Value: "billing@nova-parcels.com"}
	s.Attach(root.ID, rep, t0)
	for _, n := range s.Node(root.ID).Children {
		if s.Node(n).Value == "nova-tracking.net" {
			s.Attach(n, novaTracking.report(), t0)
		}
	}
	if len(s.Clusters()) != 1 || !reflect.DeepEqual(s.Clusters()[0].Members, []string{"nova-parcels.com", "nova-tracking.net"}) {
		t.Fatalf("clusters %+v", s.Clusters())
	}
	for _, k := range []EntityKey{"email:billing@nova-parcels.com", "domain:nova-parcels.com", "domain:nova-tracking.net"} {
		if got := s.ClusterOf(k); !reflect.DeepEqual(got, []int{0}) {
			t.Errorf("ClusterOf(%s) = %v", k, got)
		}
	}
	if got := s.ClusterOf("ip:185.220.101.47"); got != nil {
		t.Errorf("ClusterOf(ip) = %v", got)
	}

	got := s.Sharing(recon.PivotRegistrar, "namecheap, inc.")
	want := []EntityKey{"registrar:namecheap, inc.", "email:billing@nova-parcels.com", "domain:nova-tracking.net"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sharing(registrar) = %v, want %v", got, want)
	}
	if got := s.Sharing(recon.PivotASN, "AS13335"); len(got) != 0 {
		t.Errorf("Sharing(AS13335) = %v", got)
	}
	// A new scan sharing the ASN shows up (the cache follows the session).
	ip := s.AddRoot(recon.Target{Kind: recon.KindIP, Value: "185.220.101.48"})
	s.Attach(ip.ID, &recon.Report{Target: recon.Target{Kind: recon.KindIP, Value: "185.220.101.48"}, Modules: map[string]*recon.ModuleResult{
		"geoip": {Status: recon.StatusOK, Pivots: []recon.Pivot{{Kind: recon.PivotASN, Value: "AS205100", Relation: recon.RelASN}}}}}, t0)
	got = s.Sharing(recon.PivotASN, "as205100")
	want = []EntityKey{"asn:as205100", "email:billing@nova-parcels.com", "domain:nova-tracking.net", "ip:185.220.101.48"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sharing(asn) = %v, want %v", got, want)
	}
}

// TestClusterSkipsHostNames: an organisation's own host names share its
// infrastructure by design; only registrable domains are cluster members.
func TestClusterSkipsHostNames(t *testing.T) {
	same := dom{ips: []string{"18.158.24.107"}, ns: []string{"ns1.meridian-freight.com"}, cert: "c9", pub: "p9"}
	www, api := same, same
	www.name, api.name = "www.meridian-freight.com", "api.meridian-freight.com"
	if cs := sessionOf(www, api).Clusters(); len(cs) != 0 {
		t.Fatalf("subdomains of one domain clustered: %+v", cs)
	}
	root, other := same, same
	root.name, other.name = "meridian-freight.com", "meridian-freight-eu.com"
	cs := sessionOf(root, www, other).Clusters()
	if len(cs) != 1 || len(cs[0].Members) != 2 || cs[0].Members[0] != "meridian-freight-eu.com" || cs[0].Members[1] != "meridian-freight.com" {
		t.Fatalf("want one cluster of the two registrable domains, got %+v", cs)
	}
}
