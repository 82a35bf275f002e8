package render

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

var now = time.Date(2024, 11, 20, 10, 0, 0, 0, time.UTC)

func at(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// rowsCase is one renderer case: facts in, the exact rows out.
type rowsCase struct {
	name  string
	facts any
	want  []recon.Row
}

func runRows(t *testing.T, cases []rowsCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Rows(tt.facts, now)
			if !ok {
				t.Fatalf("Rows(%T): no renderer", tt.facts)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", dump(got), dump(tt.want))
			}
		})
	}
}

func dump(rs []recon.Row) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %+v\n", r)
	}
	return b.String()
}

func TestWhoisRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"registered, with ages from now", &recon.WhoisFacts{Domain: "meridian-freight.com", Registered: true,
			Registrar: "MarkMonitor Inc.", RegistrarIANAID: "292", Created: at(2009, 12, 1), Updated: at(2024, 10, 22), Expires: at(2026, 12, 1),
			Status: []string{"clientTransferProhibited"}, NameServers: []string{"ns1.meridian-freight.com", "ns2.meridian-freight.com"},
			Privacy: true, PrivacyEvidence: "Registrant Name: REDACTED FOR PRIVACY", RegistrantOrg: "Meridian Freight Holdings Ltd", RegistrantCountry: "DE",
			Source: "whois", Servers: []string{"whois.iana.org:43", "whois.verisign-grs.com:43"}},
			[]recon.Row{
				{Label: "registrar", Value: "MarkMonitor Inc.", Note: "(IANA 292)"},
				{Label: "created", Value: "2009-12-01", Note: "(14 years ago)"},
				{Label: "updated", Value: "2024-10-22", Note: "(29 days ago)"},
				{Label: "expires", Value: "2026-12-01", Note: "(in 740 days)"},
				{Label: "name servers", List: []string{"ns1.meridian-freight.com", "ns2.meridian-freight.com"}},
				{Label: "status", List: []string{"clientTransferProhibited"}},
				{Label: "privacy", Value: "yes", Note: "(Registrant Name: REDACTED FOR PRIVACY)"},
				{Label: "registrant", Value: "Meridian Freight Holdings Ltd DE"},
				{Label: "source", Value: "whois", Note: "via whois.iana.org:43 → whois.verisign-grs.com:43"},
			}},
		{"free: said by the registry, nothing else", &recon.WhoisFacts{Domain: "free.example", Registration: recon.RegFree}, []recon.Row{
			{Label: "registered", Value: "no — the registry says the name is free", Level: recon.LevelYellow},
		}},
		{"no registry answered: unknown, never free", &recon.WhoisFacts{Domain: "example.com"}, []recon.Row{
			{Label: "registered", Value: "unknown — no registry answered; this says nothing about the name", Level: recon.LevelInfo},
		}},
		{"a platform's record, with a registry handle and no dates", &recon.WhoisFacts{Domain: "pages.dev", Platform: "pages.dev", Registered: true,
			Registrar: "MarkMonitor", RegistrarHandle: "MARK-0292"}, []recon.Row{
			{Label: "platform", Level: recon.LevelYellow, Value: "a site under pages.dev: WHOIS describes the platform's domain pages.dev, not the site's owner (not used for verdicts or clusters)"},
			{Label: "registrar", Value: "MarkMonitor", Note: "(registry handle MARK-0292)"},
			{Label: "created", Value: "—"},
			{Label: "expires", Value: "—"},
			{Label: "privacy", Value: "unknown — the record read holds no registrant data", Level: recon.LevelInfo},
		}},
	})
}

func TestSSLRows(t *testing.T) {
	cert := recon.CertFacts{Address: "18.158.24.107:443", ServerName: "meridian-freight.com", Subject: "CN=meridian-freight.com",
		Issuer: "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1", NotBefore: *at(2024, 8, 3), NotAfter: *at(2025, 8, 3), DaysLeft: 256,
		SHA256: "5461", PubkeySHA256: "92b9", SANs: []string{"meridian-freight.com", "www.meridian-freight.com"}, Verified: true}
	again := cert
	again.Address = "[2a05:d014::1]:443"
	bad := recon.CertFacts{Address: "91.195.240.94:443", ServerName: "nova-parcel.com", Subject: "CN=sedoparking.com", Issuer: "CN=R11",
		NotBefore: *at(2024, 11, 1), NotAfter: *at(2024, 11, 30), DaysLeft: 9, SHA256: "d989", SANs: []string{"sedoparking.com"}, SANsTotal: 120, SANsCut: true,
		VerifyError: "not valid for nova-parcel.com", NameMismatch: true}
	expired := recon.CertFacts{Subject: "CN=old", NotBefore: *at(2023, 1, 1), NotAfter: *at(2024, 1, 1), DaysLeft: -324, Expired: true, SelfSigned: true}
	runRows(t, []rowsCase{
		{"one certificate on two addresses", &recon.SSLFacts{Certs: []recon.CertFacts{cert, again}}, []recon.Row{
			{Label: "address", Value: "18.158.24.107:443", Note: "SNI meridian-freight.com"},
			{Label: "subject", Value: "CN=meridian-freight.com"},
			{Label: "issuer", Value: "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1"},
			{Label: "valid", Value: "2024-08-03 → 2025-08-03 (256 days left)", Level: recon.LevelGreen},
			{Label: "checks", Value: "verified"},
			{Label: "sha256", Value: "5461"},
			{Label: "key sha256", Value: "92b9"},
			{Label: "SANs (2)", List: []string{"meridian-freight.com", "www.meridian-freight.com"}},
			{Label: "also on", Value: "[2a05:d014::1]:443"},
		}},
		{"close to expiry, mismatched, SANs cut", &recon.SSLFacts{Certs: []recon.CertFacts{bad}}, []recon.Row{
			{Label: "address", Value: "91.195.240.94:443", Note: "SNI nova-parcel.com"},
			{Label: "subject", Value: "CN=sedoparking.com"},
			{Label: "issuer", Value: "CN=R11"},
			{Label: "valid", Value: "2024-11-01 → 2024-11-30 (9 days left)", Level: recon.LevelYellow},
			{Label: "checks", Value: "does not verify: not valid for nova-parcel.com, name mismatch", Level: recon.LevelYellow},
			{Label: "sha256", Value: "d989"},
			{Label: "SANs (120)", List: []string{"sedoparking.com"}, More: 119},
		}},
		{"expired and self-signed", &recon.SSLFacts{Certs: []recon.CertFacts{expired}}, []recon.Row{
			{Label: "subject", Value: "CN=old"},
			{Label: "issuer", Value: ""},
			{Label: "valid", Value: "2023-01-01 → 2024-01-01 (expired)", Level: recon.LevelRed},
			{Label: "checks", Value: "does not verify, self-signed", Level: recon.LevelYellow},
			{Label: "SANs (0)", List: nil},
		}},
		{"from Certificate Transparency: not checked, not 'does not verify'", &recon.SSLFacts{FromCT: true,
			Certs:   []recon.CertFacts{{Subject: "CN=x", NotBefore: *at(2024, 1, 1), NotAfter: *at(2025, 1, 1), DaysLeft: 42}},
			Skipped: []string{"passive-strict: no connection to the target"}}, []recon.Row{
			{Label: "source", Value: "Certificate Transparency (passive-strict: the target was not contacted, no handshake)", Level: recon.LevelInfo},
			{Label: "subject", Value: "CN=x"},
			{Label: "issuer"},
			{Label: "valid", Value: "2024-01-01 → 2025-01-01 (42 days left)", Level: recon.LevelGreen},
			{Label: "checks", Value: "not checked (taken from Certificate Transparency, no handshake)", Level: recon.LevelInfo},
			{Label: "SANs (0)"},
			{Label: "not contacted", Value: "passive-strict: no connection to the target", Level: recon.LevelInfo},
		}},
		{"intercepted by a proxy", &recon.SSLFacts{FromCT: true, Intercepted: &recon.Interception{Issuer: "CN=Corp Proxy CA"}}, []recon.Row{
			{Label: "intercepted", Level: recon.LevelYellow, Value: "TLS intercepted by a proxy on your network: the certificate presented was the proxy's (CN=Corp Proxy CA); the facts here come from Certificate Transparency"},
			{Value: "no certificate", Level: recon.LevelInfo},
		}},
		{"nothing", &recon.SSLFacts{}, []recon.Row{{Value: "no certificate", Level: recon.LevelInfo}}},
	})
}

func TestGeoRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"two addresses, one without data", &recon.GeoFacts{IPs: []recon.IPGeo{
			{IP: "18.158.24.107", City: "Frankfurt am Main", Country: "Germany", CountryCode: "DE", ASN: 16509, ASOrg: "AMAZON-02",
				Network: "18.156.0.0/14", Registry: "arin", Allocated: "2018-11-19", Sources: []string{"mmdb", "cymru"}},
			{IP: "192.0.2.1"},
		}}, []recon.Row{
			{Label: "address", Value: "18.158.24.107"},
			{Label: "location", Value: "Frankfurt am Main, Germany", Note: "(DE)"},
			{Label: "ASN", Value: "AS16509 AMAZON-02"},
			{Label: "network", Value: "18.156.0.0/14", Note: "arin · allocated 2018-11-19"},
			{Label: "sources", List: []string{"mmdb", "cymru"}},
			{Label: "address", Value: "192.0.2.1"},
		}},
		{"no address, with a hint", &recon.GeoFacts{Hint: "put GeoLite2-City.mmdb in ~/.local/share/GeoIP"}, []recon.Row{
			{Value: "no addresses to locate", Level: recon.LevelInfo},
			{Label: "hint", Value: "put GeoLite2-City.mmdb in ~/.local/share/GeoIP", Level: recon.LevelInfo},
		}},
	})
}

func TestThreatRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"listed, clean, policy, could not check", &recon.ThreatFacts{
			Tests: []recon.DNSBLTest{{Zone: "zen.spamhaus.org", OK: true, Via: "resolver"}, {Zone: "dbl.spamhaus.org", OK: false, Detail: "test point answered REFUSED", Via: "resolver"}},
			Checks: []recon.DNSBLCheck{
				{Subject: "185.220.101.47", Zone: "zen.spamhaus.org", Result: recon.DNSBLListed, Meanings: []string{"SBL: Spamhaus Block List"}, Since: "2024-11-14"},
				{Subject: "192.0.2.9", Zone: "zen.spamhaus.org", Result: recon.DNSBLListed, Codes: []string{"127.0.0.10"}, Policy: true},
				{Subject: "nova-parcels.com", Zone: "dbl.spamhaus.org", Result: recon.DNSBLClean, Via: "the zone's name servers"},
				{Subject: "nova-parcels.com", Zone: "dbl.spamhaus.org", Result: recon.DNSBLUnknown, Reason: "resolver refused (127.255.255.254)", Refused: true},
			}}, []recon.Row{
			{Label: "test points", Value: "dbl.spamhaus.org: test point answered REFUSED", Level: recon.LevelYellow},
			{Label: "blocklist", Value: "185.220.101.47 @ zen.spamhaus.org: LISTED", Note: "SBL: Spamhaus Block List · since 2024-11-14", Level: recon.LevelRed},
			{Label: "blocklist", Value: "192.0.2.9 @ zen.spamhaus.org: policy listing", Note: "127.0.0.10", Level: recon.LevelYellow},
			{Label: "blocklist", Value: "nova-parcels.com @ dbl.spamhaus.org: clean", Note: "via the zone's name servers", Level: recon.LevelGreen},
			{Label: "blocklist", Value: "nova-parcels.com @ dbl.spamhaus.org: unknown", Note: "(resolver refused (127.255.255.254))", Level: recon.LevelYellow},
		}},
		{"abuse ASN and keyed sources", &recon.ThreatFacts{
			ASN: []recon.ASNFlag{{ASN: 205100, Org: "BLUEHAVEN-AS", IP: "185.220.101.47", Source: "Spamhaus ASN-DROP"}},
			Keyed: []recon.KeyedResult{
				{Source: "virustotal", Status: recon.StatusSkipped, Detail: "skipped: no key (set NETSPECTER_VIRUSTOTAL_KEY)"},
				{Source: "abuseipdb", Status: recon.StatusOK, Detail: "192.0.2.1: no record"},
				{Source: "urlhaus", Status: recon.StatusOK, Detail: "3 engines", Malicious: true},
				{Source: "otx", Status: recon.StatusOK, Detail: "0 pulses"},
				{Source: "greynoise", Status: recon.StatusRateLimited, Detail: "429"},
			}}, []recon.Row{
			{Label: "abuse ASN", Value: "AS205100 BLUEHAVEN-AS", Note: "(185.220.101.47) on Spamhaus ASN-DROP", Level: recon.LevelRed},
			{Label: "virustotal", Value: "skipped", Note: "no key (set NETSPECTER_VIRUSTOTAL_KEY)", Level: recon.LevelInfo},
			{Label: "abuseipdb", Value: "not known", Note: "192.0.2.1: no record", Level: recon.LevelInfo},
			{Label: "urlhaus", Value: "malicious", Note: "3 engines", Level: recon.LevelRed},
			{Label: "otx", Value: "clean", Note: "0 pulses", Level: recon.LevelGreen},
			{Label: "greynoise", Value: "rate-limited", Note: "429", Level: recon.LevelYellow},
		}},
		{"nothing ran", &recon.ThreatFacts{}, []recon.Row{{Value: "no checks ran", Level: recon.LevelInfo}}},
	})
}

func TestPortsRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"open ports and CVEs, a CDN edge, no data", &recon.PortsFacts{Hosts: []recon.HostPorts{
			{IP: "185.220.101.47", Ports: []int{22, 443}, Vulns: []string{"CVE-2023-38408"}, CPEs: []string{"cpe:/a:openbsd:openssh:8.2p1"},
				Tags: []string{"self-signed"}, Hostnames: []string{"nova-parcels.com"}},
			{IP: "104.21.32.118", Ports: []int{80, 443, 8443}, CDN: "cloudflare"},
			{IP: "192.0.2.1", NoData: true},
			{IP: "192.0.2.2"},
		}}, []recon.Row{
			{Label: "address", Value: "185.220.101.47"},
			{Label: "ports", List: []string{"22", "443"}},
			{Label: "CVEs (1)", List: []string{"CVE-2023-38408"}, Level: recon.LevelRed},
			{Label: "CPEs", List: []string{"cpe:/a:openbsd:openssh:8.2p1"}},
			{Label: "tags", List: []string{"self-signed"}},
			{Label: "hostnames", List: []string{"nova-parcels.com"}},
			{Label: "address", Value: "104.21.32.118", Note: "(cloudflare edge: these ports are the CDN's, not the origin's)"},
			{Label: "ports", List: []string{"80", "443", "8443"}},
			{Label: "address", Value: "192.0.2.1"},
			{Label: "ports", Value: "InternetDB has no data on this address", Level: recon.LevelInfo},
			{Label: "address", Value: "192.0.2.2"},
			{Label: "ports", Value: "none known", Level: recon.LevelInfo},
		}},
		{"nothing checked", &recon.PortsFacts{}, []recon.Row{{Value: "no addresses checked", Level: recon.LevelInfo}}},
	})
}

func TestEmailRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"protected", &recon.EmailFacts{Domain: "meridian-freight.com", HasMX: true, MX: []string{"aspmx.l.google.com"},
			SPF: &recon.SPFRecord{Raw: "v=spf1 include:_spf.google.com -all", All: "-all", Lookups: 4}, SPFCount: 1,
			DMARC: &recon.DMARCRecord{Raw: "v=DMARC1; p=reject", Policy: "reject"}, MTASTS: true, MTASTSID: "20240312T101500", TLSRPT: true,
			SpoofReason: "DMARC p=reject", Posture: "spf:-all dmarc:reject"}, []recon.Row{
			{Label: "MX", List: []string{"aspmx.l.google.com"}},
			{Label: "SPF", Value: "v=spf1 include:_spf.google.com -all", Note: "all=-all, 4 lookups"},
			{Label: "DMARC", Value: "p=reject", Note: "v=DMARC1; p=reject"},
			{Label: "MTA-STS", Value: "yes", Note: "20240312T101500", Level: recon.LevelGreen},
			{Label: "TLS-RPT", Value: "yes", Level: recon.LevelGreen},
			{Label: "spoofable", Value: "no", Note: "— DMARC p=reject", Level: recon.LevelGreen},
		}},
		{"an SPF include unread: the lookup count is a floor", &recon.EmailFacts{Domain: "meridian-freight.com", HasMX: true, MX: []string{"aspmx.l.google.com"},
			SPF: &recon.SPFRecord{Raw: "v=spf1 include:_spf.google.com -all", All: "-all", Lookups: 1}, SPFCount: 1,
			DMARC: &recon.DMARCRecord{Raw: "v=DMARC1; p=reject", Policy: "reject"}, MTASTS: true, TLSRPT: true,
			Errors: map[string]string{"SPF _spf.google.com": "timeout"}, SpoofReason: "DMARC p=reject", Posture: "spf:-all dmarc:reject"}, []recon.Row{
			{Label: "MX", List: []string{"aspmx.l.google.com"}},
			{Label: "SPF", Value: "v=spf1 include:_spf.google.com -all", Note: "all=-all, at least 1 lookup (_spf.google.com could not be read)"},
			{Label: "DMARC", Value: "p=reject", Note: "v=DMARC1; p=reject"},
			{Label: "MTA-STS", Value: "yes", Level: recon.LevelGreen},
			{Label: "TLS-RPT", Value: "yes", Level: recon.LevelGreen},
			{Label: "spoofable", Value: "no", Note: "— DMARC p=reject", Level: recon.LevelGreen},
		}},
		{"nothing published: none, spoofable", &recon.EmailFacts{Domain: "nova-parcels.com", Spoofable: true, SpoofReason: "no SPF and no DMARC", Posture: "spf:none dmarc:none"}, []recon.Row{
			{Label: "MX", Value: "none"},
			{Label: "SPF", Value: "none", Level: recon.LevelRed},
			{Label: "DMARC", Value: "none", Level: recon.LevelRed},
			{Label: "MTA-STS", Value: "no", Level: recon.LevelRed},
			{Label: "TLS-RPT", Value: "no", Level: recon.LevelRed},
			{Label: "spoofable", Value: "YES", Note: "— no SPF and no DMARC", Level: recon.LevelRed},
		}},
		{"could not read: unknown, never none", &recon.EmailFacts{Domain: "x.example",
			Errors:      map[string]string{"MX": "SERVFAIL", "TXT": "SERVFAIL", "_dmarc TXT": "timeout", "_mta-sts TXT": "timeout", "_smtp._tls TXT": "timeout"},
			SpoofReason: "unknown: the SPF record could not be read"}, []recon.Row{
			{Label: "MX", Value: Unread, Level: recon.LevelInfo},
			{Label: "SPF", Value: Unread, Level: recon.LevelInfo},
			{Label: "DMARC", Value: Unread, Level: recon.LevelInfo},
			{Label: "MTA-STS", Value: Unread, Level: recon.LevelInfo},
			{Label: "TLS-RPT", Value: Unread, Level: recon.LevelInfo},
			{Label: "spoofable", Value: "unknown", Note: "— the SPF record could not be read", Level: recon.LevelInfo},
		}},
		{"null MX, two SPF records, inherited DMARC", &recon.EmailFacts{NullMX: true, SPF: &recon.SPFRecord{Raw: "v=spf1 -all", All: "-all", Lookups: 0}, SPFCount: 2,
			DMARC: &recon.DMARCRecord{Raw: "v=DMARC1; p=quarantine", Policy: "quarantine", From: "example.com"}, Posture: "x"}, []recon.Row{
			{Label: "MX", Value: "null MX (accepts no mail)"},
			{Label: "SPF", Value: "v=spf1 -all", Note: "2 records: a permanent error · all=-all, 0 lookups", Level: recon.LevelYellow},
			{Label: "DMARC", Value: "p=quarantine (from example.com)", Note: "v=DMARC1; p=quarantine"},
			{Label: "MTA-STS", Value: "no", Level: recon.LevelRed},
			{Label: "TLS-RPT", Value: "no", Level: recon.LevelRed},
			{Label: "spoofable", Value: "no", Level: recon.LevelGreen},
		}},
	})
}

func TestSubdomainRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"names, capped, co-issued", &recon.SubdomainFacts{Names: []string{"api.example.com", "www.example.com"}, Source: "crtsh", Total: 900, Capped: true, Cap: 2,
			FirstIssuance: at(2021, 12, 1), Fallback: "Cert Spotter answered 429",
			CoIssued: []recon.CoIssuedCert{{SHA256: "e25fcec1644f4272937c", Domains: []string{"example.com", "example.net"}, DomainsTotal: 70}}},
			[]recon.Row{
				{Label: "found", Value: "900 names", Note: "from crtsh (fallback: Cert Spotter answered 429)"},
				{Label: "capped", Value: "showing the first 2", Level: recon.LevelYellow},
				{Label: "first cert", Value: "2021-12-01"},
				{Label: "names", List: []string{"api.example.com", "www.example.com"}},
				{Label: "co-issued", List: []string{"example.com", "example.net"}, More: 68, Note: "(certificate e25fcec1644f4272…)"},
			}},
		{"none in CT", &recon.SubdomainFacts{Source: "certspotter"}, []recon.Row{{Label: "found", Value: "0 names", Note: "from certspotter"}}},
	})
}

func TestHeadersRows(t *testing.T) {
	runRows(t, []rowsCase{
		{"a site with fingerprints", &recon.HeadersFacts{URL: "https://nova-parcels.com/", FinalURL: "https://nova-parcels.com/track", StatusCode: 200,
			Security: []recon.HeaderCheck{{Name: "Strict-Transport-Security", Present: true}, {Name: "X-Frame-Options"}},
			Server:   "nginx/1.18.0", PoweredBy: "PHP/7.4.3", Tech: []string{"Nginx", "PHP"}, Title: "Nova Parcels",
			PageHash: "60cee0add1662aa9ffff", PageSize: 227,
			Analytics:     []recon.AnalyticsID{{Service: "google-analytics", ID: "G-NV7QX2KD9P", Key: "G-NV7QX2KD9P"}},
			Favicon:       &recon.FaviconFacts{URL: "https://nova-parcels.com/nova.ico", Size: 350, ShodanHash: -907420246, SHA256: "6ba6b18a5733e17dffff"},
			Verifications: []recon.VerifyToken{{Service: "google", Token: "abc", Scope: recon.ScopeDomain, Source: "html"}}},
			[]recon.Row{
				{Label: "URL", Value: "https://nova-parcels.com/ → https://nova-parcels.com/track", Note: "HTTP 200"},
				{Label: "present", List: []string{"Strict-Transport-Security"}, Level: recon.LevelGreen},
				{Label: "missing", List: []string{"X-Frame-Options"}, Level: recon.LevelYellow},
				{Label: "server", Value: "nginx/1.18.0"},
				{Label: "powered by", Value: "PHP/7.4.3"},
				{Label: "tech", List: []string{"Nginx", "PHP"}},
				{Label: "Cloudflare", Value: "no"},
				{Label: "title", Value: "Nova Parcels"},
				{Label: "page hash", Value: "60cee0add1662aa9… (227 normalised bytes)"},
				{Label: "analytics", Value: "google-analytics G-NV7QX2KD9P"},
				{Label: "favicon", Value: "shodan -907420246 · sha256 6ba6b18a5733e17d… · 350 bytes · https://nova-parcels.com/nova.ico"},
				{Label: "verification", Value: "google abc (per domain: links nothing — the same token twice is a copy, not a common owner)"},
			}},
		{"plain http after https failed, behind Cloudflare, parked, favicon unread", &recon.HeadersFacts{URL: "http://nova-parcel.com/", StatusCode: 200,
			HTTPSError: "x509: certificate is valid for sedoparking.com", Cloudflare: true, CloudflareEvidence: "cf-ray header",
			Parking: "this domain is for sale", FaviconError: "favicon: timeout"},
			[]recon.Row{
				{Label: "URL", Value: "http://nova-parcel.com/", Note: "HTTP 200"},
				{Label: "https", Value: "failed: x509: certificate is valid for sedoparking.com (these facts come from http://)", Level: recon.LevelYellow},
				{Label: "Cloudflare", Value: "yes", Note: "(cf-ray header)", Level: recon.LevelYellow},
				{Label: "parking", Value: "a parking or for-sale page", Note: "(this domain is for sale)", Level: recon.LevelYellow},
				{Label: "favicon", Value: "favicon: timeout"},
			}},
	})
}

// What could not be checked is never worded as a finding: no row of
// facts whose questions failed says none, clean, free or no.
func TestCouldNotCheckIsNeverAFinding(t *testing.T) {
	for _, f := range []any{
		&recon.WhoisFacts{Domain: "example.com", Registration: recon.RegUnknown},
		&recon.EmailFacts{Errors: map[string]string{"MX": "x", "TXT": "x", "_dmarc TXT": "x", "_mta-sts TXT": "x", "_smtp._tls TXT": "x"}, SpoofReason: "unknown: x"},
		&recon.ThreatFacts{Checks: []recon.DNSBLCheck{{Subject: "a", Zone: "z", Result: recon.DNSBLUnknown, Reason: "timeout"}},
			Keyed: []recon.KeyedResult{{Source: "vt", Status: recon.StatusError, Detail: "error: 500"}}},
		&recon.SSLFacts{FromCT: true, Certs: []recon.CertFacts{{Subject: "CN=x", DaysLeft: 10}}},
	} {
		rs, _ := Rows(f, now)
		for _, r := range rs {
			if r.Label == "SANs (0)" || r.Label == "subject" || r.Label == "issuer" || r.Label == "valid" {
				continue
			}
			for _, bad := range []string{"none", "clean", "free", "no", "does not verify"} {
				if r.Value == bad || strings.HasPrefix(r.Value, bad+" ") || strings.HasSuffix(r.Value, ": "+bad) {
					t.Errorf("%T: row %q says %q", f, r.Label, r.Value)
				}
			}
		}
	}
}

// Module drops the "nothing found" remarks of a module that did not end ok.
func TestModuleDropsNothingWhenNotOK(t *testing.T) {
	m := &recon.ModuleResult{Status: recon.StatusError, Err: "connection refused", Facts: &recon.SSLFacts{}}
	if rs, ok := Module(m, now); !ok || len(rs) != 0 {
		t.Errorf("failed ssl module: %v, %v; want no rows", rs, ok)
	}
	m.Status = recon.StatusOK
	if rs, _ := Module(m, now); len(rs) != 1 || rs[0].Value != "no certificate" {
		t.Errorf("ok ssl module without certificate: %v", rs)
	}
	if rs, ok := Module(&recon.ModuleResult{Status: recon.StatusSkipped}, now); !ok || rs != nil {
		t.Errorf("no facts: %v, %v", rs, ok)
	}
}

// A module that could not read something states no finding about it: the
// facts each module leaves when a question failed (as the lab's faults
// give them: block=443, drop=0.5, resolver=refused) render no row saying
// no, none, 0, clean, free, missing or expired.
func TestUnreadIsNoFinding(t *testing.T) {
	refused := "dial tcp 185.220.101.47:443: connect: connection refused"
	for _, tt := range []struct {
		name   string
		status recon.Status
		facts  any
	}{
		{"headers: neither https nor http answered", recon.StatusError,
			&recon.HeadersFacts{URL: "http://nova-parcels.com/", HTTPSError: refused}},
		{"subdomains: neither CT source answered", recon.StatusError,
			&recon.SubdomainFacts{Names: []string{}, Source: "certspotter", Cap: 1000, Fallback: "Cert Spotter failed: " + refused}},
		{"subdomains: rate-limited", recon.StatusRateLimited,
			&recon.SubdomainFacts{Names: []string{}, Source: "certspotter", Fallback: "Cert Spotter answered 429"}},
		{"ssl: no handshake", recon.StatusError, &recon.SSLFacts{Certs: []recon.CertFacts{}}},
		{"ports: InternetDB did not answer", recon.StatusError, &recon.PortsFacts{Hosts: []recon.HostPorts{}}},
		{"threat: nothing answered", recon.StatusError, &recon.ThreatFacts{}},
		{"geoip: no address", recon.StatusError, &recon.GeoFacts{}},
		{"dns: every question refused", recon.StatusError, &recon.DNSFacts{Name: "x.com", Errors: map[string]string{"A": "REFUSED", "MX": "REFUSED"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs, _ := Module(&recon.ModuleResult{Status: tt.status, Err: "failed", Facts: tt.facts}, now)
			for _, r := range rs {
				if r.Err {
					continue
				}
				if w := findingWord(r); w != "" {
					t.Errorf("row %q %q states %q about what was not read", r.Label, r.Value, w)
				}
			}
		})
	}
}

// findingWord returns the word of r that states a finding of absence, or "".
func findingWord(r recon.Row) string {
	v := strings.ToLower(r.Value)
	for _, w := range []string{"no", "none", "clean", "free", "missing", "expired", "not listed", "no certificate", "no records"} {
		if v == w || strings.HasPrefix(v, w+" ") || strings.HasSuffix(v, ": "+w) {
			return w
		}
	}
	if strings.HasPrefix(v, "0 ") {
		return "0"
	}
	return ""
}

// selfRows is a facts type of a module that is not built in: it describes
// itself (recon.Rower), and the front ends lay its rows out like any other.
type selfRows struct{ Labels int }

func (f *selfRows) Rows(time.Time) []recon.Row {
	return []recon.Row{{Label: "labels", Value: strconv.Itoa(f.Labels)}}
}

func TestRowsOfARower(t *testing.T) {
	rows, ok := Rows(&selfRows{Labels: 3}, time.Now())
	if !ok || len(rows) != 1 || rows[0].Label != "labels" || rows[0].Value != "3" {
		t.Fatalf("rows %+v ok %v, want the type's own row", rows, ok)
	}
	if _, ok := Rows(&struct{ X int }{}, time.Now()); ok {
		t.Error("a facts type with no renderer and no Rows method reads as known")
	}
}
