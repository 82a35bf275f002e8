package lab

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/likexian/whois"
	whoisparser "github.com/likexian/whois-parser"
	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
)

// fixedNow is the lab clock in tests: close to real time so that TLS
// verification (which uses the real clock) accepts the certificates.
var fixedNow = time.Now().UTC().Truncate(time.Second)

func startDemo(t testing.TB, opts Options) *Lab {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = fixedNow
	}
	l, err := Start(context.Background(), Demo(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func query(t *testing.T, addr, name string, qtype uint16, netw string) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.SetEdns0(1232, false)
	c := &dns.Client{Net: netw, Timeout: 3 * time.Second}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s %s: %v", dns.TypeToString[qtype], name, err)
	}
	return r
}

func rdata(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		h := rr.Header().String()
		out = append(out, strings.TrimSpace(strings.TrimPrefix(rr.String(), h)))
	}
	return out
}

func TestDNS(t *testing.T) {
	l := startDemo(t, Options{})
	addr := l.Env().Resolver
	tests := []struct {
		name   string
		qtype  uint16
		rcode  int
		answer []string // rdata in order, "" for an empty answer
		auth   bool     // an SOA in authority
	}{
		{"nova-parcels.com", dns.TypeA, dns.RcodeSuccess, []string{"185.220.101.47"}, false},
		{"NOVA-TRACKING.NET", dns.TypeA, dns.RcodeSuccess, []string{"185.220.101.47"}, false},
		{"nova-returns.co", dns.TypeNS, dns.RcodeSuccess, []string{"ns1.nova-dns.net.", "ns2.nova-dns.net."}, false},
		{"nova-parcels.com", dns.TypeMX, dns.RcodeSuccess, []string{"10 mail.nova-parcels.com."}, false},
		{"nova-parcels.com", dns.TypeTXT, dns.RcodeSuccess, nil, true},
		{"_dmarc.nova-parcels.com", dns.TypeTXT, dns.RcodeNameError, nil, true},
		{"www.nova-parcels.com", dns.TypeA, dns.RcodeSuccess, []string{"nova-parcels.com.", "185.220.101.47"}, false},
		{"www.nova-parcels.com", dns.TypeCNAME, dns.RcodeSuccess, []string{"nova-parcels.com."}, false},
		{"meridian-freight.com", dns.TypeTXT, dns.RcodeSuccess, []string{`"v=spf1 include:_spf.google.com -all"`, `"google-site-verification=Qm1x7dHk2JpX0yVt8aWcR4nL6sE9uFbZ3oGiT5qYwD0"`}, false},
		{"_dmarc.meridian-freight.com", dns.TypeTXT, dns.RcodeSuccess, []string{`"v=DMARC1; p=reject; rua=mailto:dmarc-reports@meridian-freight.com; ruf=mailto:dmarc-forensics@meridian-freight.com; fo=1"`}, false},
		{"_mta-sts.meridian-freight.com", dns.TypeTXT, dns.RcodeSuccess, []string{`"v=STSv1; id=20240312T101500"`}, false},
		{"_tls.meridian-freight.com", dns.TypeTXT, dns.RcodeSuccess, nil, true}, // empty non-terminal
		{"meridian-freight.com", dns.TypeCAA, dns.RcodeSuccess, []string{`0 issue "digicert.com"`, `0 iodef "mailto:security@meridian-freight.com"`}, false},
		{"parcelpoint-status.com", dns.TypeAAAA, dns.RcodeSuccess, []string{"2606:4700:3031::6815:2076", "2606:4700:3036::ac43:9114"}, false},
		{"47.101.220.185.in-addr.arpa", dns.TypePTR, dns.RcodeSuccess, []string{"ip-185-220-101-47.bluehaven-hosting.net."}, false},
		{"no-such-domain-here.com", dns.TypeA, dns.RcodeNameError, nil, true},
		{"47.101.220.185.zen.spamhaus.org", dns.TypeA, dns.RcodeSuccess, []string{"127.0.0.2", "127.0.0.4"}, false},
		{"47.101.220.185.zen.spamhaus.org", dns.TypeTXT, dns.RcodeSuccess, []string{`"https://www.spamhaus.org/sbl/query/SBL634217"`, `"https://www.spamhaus.org/query/ip/185.220.101.47"`}, false},
		{"107.24.158.18.zen.spamhaus.org", dns.TypeA, dns.RcodeNameError, nil, true},
		{"nova-parcels.com.dbl.spamhaus.org", dns.TypeA, dns.RcodeNameError, nil, true},
		{"47.101.220.185.origin.asn.cymru.com", dns.TypeTXT, dns.RcodeSuccess, []string{`"205100 | 185.220.101.0/24 | NL | ripencc | 2019-03-12"`}, false},
		{"AS205100.asn.cymru.com", dns.TypeTXT, dns.RcodeSuccess, []string{`"205100 | NL | ripencc | 2019-03-12 | BLUEHAVEN-AS, NL"`}, false},
		{"AS13335.asn.cymru.com", dns.TypeTXT, dns.RcodeSuccess, []string{`"13335 | US | arin | 2014-03-28 | CLOUDFLARENET, US"`}, false},
		{"1.1.1.1.origin.asn.cymru.com", dns.TypeTXT, dns.RcodeNameError, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+dns.TypeToString[tt.qtype], func(t *testing.T) {
			for _, netw := range []string{"udp", "tcp"} {
				r := query(t, addr, tt.name, tt.qtype, netw)
				if r.Rcode != tt.rcode {
					t.Fatalf("%s: rcode %s, want %s", netw, dns.RcodeToString[r.Rcode], dns.RcodeToString[tt.rcode])
				}
				if got := rdata(r.Answer); strings.Join(got, "|") != strings.Join(tt.answer, "|") {
					t.Errorf("%s: answer %q, want %q", netw, got, tt.answer)
				}
				hasSOA := len(r.Ns) == 1 && r.Ns[0].Header().Rrtype == dns.TypeSOA
				if hasSOA != tt.auth {
					t.Errorf("%s: authority %v, want SOA=%v", netw, r.Ns, tt.auth)
				}
				if !r.RecursionAvailable {
					t.Errorf("RA not set")
				}
			}
		})
	}
}

func TestDNSLongTXTAndServfail(t *testing.T) {
	w := &World{Domains: map[string]*Domain{"long.example": {Records: map[string]map[string][]string{
		"@": {"TXT": {strings.Repeat("a", 300)}},
	}}}, ServFail: []string{"broken.long.example"}}
	l, err := Start(context.Background(), w, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := query(t, l.Env().Resolver, "long.example", dns.TypeTXT, "udp")
	txt := r.Answer[0].(*dns.TXT).Txt
	if len(txt) != 2 || len(txt[0]) != 255 || len(txt[1]) != 45 {
		t.Errorf("long TXT split as %d strings", len(txt))
	}
	if r := query(t, l.Env().Resolver, "broken.long.example", dns.TypeA, "udp"); r.Rcode != dns.RcodeServerFailure {
		t.Errorf("rcode %s, want SERVFAIL", dns.RcodeToString[r.Rcode])
	}
	// IPv6 Cymru nibbles.
	w2 := &World{IPs: map[string]*IP{"2001:4860:b002::68": {ASN: 15169, Network: "2001:4860::/32", CountryCode: "US", Registry: "arin", Allocated: MustDate("2005-03-14")}}}
	l2, err := Start(context.Background(), w2, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	r = query(t, l2.Env().Resolver, "8.6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.b.0.6.8.4.1.0.0.2.origin6.asn.cymru.com.", dns.TypeTXT, "udp")
	if got := rdata(r.Answer); len(got) != 1 || got[0] != `"15169 | 2001:4860::/32 | US | arin | 2005-03-14"` {
		t.Errorf("origin6 answer %q", got)
	}
}

// whoisQuery speaks port-43 WHOIS through the lab dialer.
func whoisQuery(t *testing.T, l *Lab, server, q string) string {
	t.Helper()
	c, err := l.Env().Dial(context.Background(), "tcp", server)
	if err != nil {
		t.Fatalf("dial %s: %v", server, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, q+"\r\n"); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(io.LimitReader(c, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func field(text, key string) string {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func TestWhoisChain(t *testing.T) {
	l := startDemo(t, Options{})
	env := l.Env()
	// Same address as real mode: the lab dialer maps the name to its listener.
	if env.WhoisServer != recon.DefaultWhoisServer || !strings.HasPrefix(l.whois["whois.iana.org"], "127.0.0.1:") {
		t.Fatalf("WhoisServer %q, listener %q", env.WhoisServer, l.whois["whois.iana.org"])
	}
	for _, tt := range []struct {
		domain, registry string
		createdDays      int
	}{
		{"nova-parcels.com", "whois.verisign-grs.com", 16},
		{"nova-tracking.net", "whois.verisign-grs.com", 16},
		{"nova-returns.co", "whois.registry.co", 14},
	} {
		iana := whoisQuery(t, l, "whois.iana.org:43", tt.domain)
		if got := field(iana, "refer"); got != tt.registry {
			t.Fatalf("%s: IANA refer %q, want %q\n%s", tt.domain, got, tt.registry, iana)
		}
		thin := whoisQuery(t, l, field(iana, "refer")+":43", tt.domain)
		if !strings.Contains(thin, "\r\n") {
			t.Errorf("registry answer is not CRLF")
		}
		rs := field(thin, "Registrar WHOIS Server")
		if rs != "whois.namecheap.com" {
			t.Fatalf("%s: registrar server %q\n%s", tt.domain, rs, thin)
		}
		thick := whoisQuery(t, l, rs+":43", tt.domain)
		if got := field(thick, "Registrar"); got != "NameCheap, Inc." {
			t.Errorf("Registrar %q", got)
		}
		if got := field(thick, "Registrar IANA ID"); got != "1068" {
			t.Errorf("IANA ID %q", got)
		}
		if got := field(thick, "Registrant Organization"); got != "Privacy service provided by Withheld for Privacy ehf" {
			t.Errorf("Registrant Organization %q", got)
		}
		created, err := time.Parse(time.RFC3339, field(thick, "Creation Date"))
		if err != nil {
			t.Fatal(err)
		}
		if want := fixedNow.AddDate(0, 0, -tt.createdDays); !created.Equal(want) {
			t.Errorf("%s created %v, want %v", tt.domain, created, want)
		}
		if field(thin, "Registry Expiry Date") == "" || field(thick, "Name Server") != "ns1.nova-dns.net" {
			t.Errorf("thin/thick answers lack expiry or name servers:\n%s\n%s", thin, thick)
		}
	}
	if nf := whoisQuery(t, l, "whois.verisign-grs.com:43", "unknown-domain.com"); !strings.HasPrefix(nf, `No match for "UNKNOWN-DOMAIN.COM".`) {
		t.Errorf("not found answer: %q", nf[:60])
	}
	if iana := whoisQuery(t, l, "whois.iana.org:43", "example.zz"); !strings.Contains(iana, "returned 0 objects") {
		t.Errorf("IANA unknown TLD: %q", iana)
	}
	if thick := whoisQuery(t, l, "whois.markmonitor.com:43", "meridian-freight.com"); field(thick, "Registrant Organization") != "Meridian Freight Holdings Ltd" {
		t.Errorf("meridian thick:\n%s", thick)
	}
}

func TestTLS(t *testing.T) {
	l := startDemo(t, Options{})
	env := l.Env()
	var fp [][]byte
	for _, host := range []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co"} {
		for _, addr := range []string{host + ":443", "185.220.101.47:443"} {
			raw, err := env.Dial(context.Background(), "tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			c := tls.Client(raw, &tls.Config{ServerName: host, RootCAs: env.RootCAs})
			if err := c.Handshake(); err != nil {
				t.Fatalf("%s via %s: %v", host, addr, err)
			}
			st := c.ConnectionState()
			leaf := st.PeerCertificates[0]
			if strings.Join(leaf.DNSNames, ",") != "nova-parcels.com,nova-tracking.net,nova-returns.co" {
				t.Errorf("SANs %v", leaf.DNSNames)
			}
			if leaf.Issuer.CommonName != "R11" || leaf.Issuer.Organization[0] != "Let's Encrypt" {
				t.Errorf("issuer %v", leaf.Issuer)
			}
			fp = append(fp, leaf.Raw)
			c.Close()
		}
	}
	for _, f := range fp[1:] {
		if !bytes.Equal(f, fp[0]) {
			t.Fatal("the nova domains do not share one certificate")
		}
	}
	// Wildcard SAN and no SNI on an IP.
	raw, err := env.Dial(context.Background(), "tcp", "api.parcelpoint-status.com:443")
	if err != nil {
		t.Fatal(err)
	}
	c := tls.Client(raw, &tls.Config{ServerName: "api.parcelpoint-status.com", RootCAs: env.RootCAs})
	if err := c.Handshake(); err != nil {
		t.Fatalf("wildcard: %v", err)
	}
	c.Close()
	raw, err = env.Dial(context.Background(), "tcp", "18.158.24.107:443")
	if err != nil {
		t.Fatal(err)
	}
	c = tls.Client(raw, &tls.Config{InsecureSkipVerify: true})
	if err := c.Handshake(); err != nil {
		t.Fatal(err)
	}
	if cn := c.ConnectionState().PeerCertificates[0].Subject.CommonName; cn != "meridian-freight.com" {
		t.Errorf("no-SNI certificate %q", cn)
	}
	c.Close()
}

func TestSelfSignedAndExpired(t *testing.T) {
	w := &World{
		Domains: map[string]*Domain{
			"self.example": {Records: map[string]map[string][]string{"@": {"A": {"198.51.100.7"}}}, Cert: "self"},
			"old.example":  {Records: map[string]map[string][]string{"@": {"A": {"198.51.100.8"}}}, Cert: "old"},
		},
		Certificates: []*Certificate{{ID: "self", SANs: []string{"self.example"}, SelfSigned: true}, {ID: "old", SANs: []string{"old.example"}, Expired: true}},
	}
	l, err := Start(context.Background(), w, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	env := l.Env()
	for host, want := range map[string]string{"self.example": "x509: certificate signed by unknown authority", "old.example": "expired"} {
		raw, err := env.Dial(context.Background(), "tcp", host+":443")
		if err != nil {
			t.Fatal(err)
		}
		c := tls.Client(raw, &tls.Config{ServerName: host, RootCAs: env.RootCAs})
		err = c.Handshake()
		c.Close()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", host, err, want)
		}
	}
}

func TestHTTPS(t *testing.T) {
	l := startDemo(t, Options{})
	env := l.Env()
	resp, err := env.HTTP.Get("https://nova-parcels.com/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Server") != "nginx/1.18.0 (Ubuntu)" || resp.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("nova: %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = env.HTTP.Get("http://meridian-freight.com/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Scheme != "https" || resp.Header.Get("Strict-Transport-Security") == "" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("meridian: redirect to https not followed or headers missing: %v %v", resp.Request.URL, resp.Header)
	}
	resp, err = env.HTTP.Get("https://mta-sts.meridian-freight.com/.well-known/mta-sts.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "mode: enforce") {
		t.Errorf("mta-sts policy %q", body)
	}
	resp, err = env.HTTP.Get("https://parcelpoint-status.com/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Server") != "cloudflare" || resp.Header.Get("CF-Ray") == "" {
		t.Errorf("cloudflare headers %v", resp.Header)
	}
}

func getJSON(t *testing.T, l *Lab, url string, want int, v any) {
	t.Helper()
	resp, err := l.Env().HTTP.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, want)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func TestCertspotter(t *testing.T) {
	l := startDemo(t, Options{CTPageSize: 4})
	env := l.Env()
	type iss struct {
		ID           string   `json:"id"`
		TBS          string   `json:"tbs_sha256"`
		CertSHA      string   `json:"cert_sha256"`
		DNSNames     []string `json:"dns_names"`
		PubkeySHA256 string   `json:"pubkey_sha256"`
		NotBefore    string   `json:"not_before"`
		NotAfter     string   `json:"not_after"`
		Revoked      *bool    `json:"revoked"`
	}
	var nova []iss
	getJSON(t, l, env.CertspotterURL+"/v1/issuances?domain=nova-parcels.com&include_subdomains=true&expand=dns_names", 200, &nova)
	if len(nova) != 1 || len(nova[0].DNSNames) != 3 || nova[0].Revoked == nil || len(nova[0].CertSHA) != 64 {
		t.Fatalf("nova issuances %+v", nova)
	}
	leaf := l.pki.certs["nova"].Leaf
	if nova[0].CertSHA != sum(leaf.Raw) {
		t.Errorf("cert_sha256 does not match the served certificate")
	}
	// Pagination over meridian's many subdomains.
	names := map[string]bool{}
	after, pages := "", 0
	for {
		u := env.CertspotterURL + "/v1/issuances?domain=meridian-freight.com&include_subdomains=true&expand=dns_names"
		if after != "" {
			u += "&after=" + after
		}
		var page []iss
		getJSON(t, l, u, 200, &page)
		if len(page) == 0 {
			break
		}
		pages++
		for _, p := range page {
			for _, n := range p.DNSNames {
				names[n] = true
			}
		}
		after = page[len(page)-1].ID
		if pages > 20 {
			t.Fatal("pagination does not end")
		}
	}
	if pages < 3 || !names["vpn.meridian-freight.com"] || !names["portal.meridian-freight.com"] || len(names) < 12 {
		t.Errorf("%d pages, names %v", pages, names)
	}
	var none []iss
	getJSON(t, l, env.CertspotterURL+"/v1/issuances?domain=unknown.example&include_subdomains=true&expand=dns_names", 200, &none)
	if len(none) != 0 {
		t.Errorf("unknown domain has %d issuances", len(none))
	}
}

func TestCrtshAndInternetDB(t *testing.T) {
	l := startDemo(t, Options{})
	env := l.Env()
	var rows []struct {
		IssuerName string `json:"issuer_name"`
		CommonName string `json:"common_name"`
		NameValue  string `json:"name_value"`
		ID         int64  `json:"id"`
		NotBefore  string `json:"not_before"`
	}
	getJSON(t, l, env.CrtshURL+"/?q=%25.nova-tracking.net&output=json", 200, &rows)
	if len(rows) != 1 || rows[0].NameValue != "nova-tracking.net" || rows[0].IssuerName != "C=US, O=Let's Encrypt, CN=R11" {
		t.Errorf("crt.sh rows %+v", rows)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", rows[0].NotBefore); err != nil {
		t.Errorf("not_before format: %v", err)
	}
	var idb struct {
		CPEs  []string `json:"cpes"`
		IP    string   `json:"ip"`
		Ports []int    `json:"ports"`
		Vulns []string `json:"vulns"`
	}
	getJSON(t, l, env.InternetDBURL+"/185.220.101.47", 200, &idb)
	if idb.IP != "185.220.101.47" || len(idb.Ports) != 4 || idb.Ports[0] != 22 || len(idb.Vulns) == 0 || len(idb.CPEs) == 0 {
		t.Errorf("internetdb %+v", idb)
	}
	var nf map[string]string
	getJSON(t, l, env.InternetDBURL+"/192.0.2.1", 404, &nf)
	if nf["detail"] != "No information available" {
		t.Errorf("404 body %v", nf)
	}
	var boot struct {
		Services [][][]string `json:"services"`
	}
	getJSON(t, l, env.RDAPBootstrapURL+"dns.json", 200, &boot)
	if len(boot.Services) != 1 || boot.Services[0][1][0] != env.RDAPBootstrapURL {
		t.Fatalf("bootstrap %v", boot)
	}
	var dom struct {
		LDHName string `json:"ldhName"`
		Events  []struct {
			Action string `json:"eventAction"`
			Date   string `json:"eventDate"`
		} `json:"events"`
	}
	getJSON(t, l, boot.Services[0][1][0]+"domain/nova-returns.co", 200, &dom)
	if dom.LDHName != "NOVA-RETURNS.CO" || dom.Events[0].Action != "registration" {
		t.Errorf("rdap %+v", dom)
	}
}

func TestGeoIP(t *testing.T) {
	l := startDemo(t, Options{})
	g := l.Env().GeoIP
	if g == nil || g.City == nil || g.ASN == nil || len(g.Files) != 2 {
		t.Fatalf("GeoIP %+v", g)
	}
	if g.City.Metadata().DatabaseType != "GeoLite2-City" || g.ASN.Metadata().DatabaseType != "GeoLite2-ASN" {
		t.Errorf("database types %q %q", g.City.Metadata().DatabaseType, g.ASN.Metadata().DatabaseType)
	}
	ip := netip.MustParseAddr("185.220.101.47")
	city, err := g.City.City(ip)
	if err != nil {
		t.Fatal(err)
	}
	if city.Country.ISOCode != "NL" || city.Country.Names.English != "Netherlands" || city.City.Names.English != "Amsterdam" {
		t.Errorf("city %+v", city)
	}
	asn, err := g.ASN.ASN(ip)
	if err != nil {
		t.Fatal(err)
	}
	if asn.AutonomousSystemNumber != 205100 || asn.AutonomousSystemOrganization != "BLUEHAVEN-HOSTING" {
		t.Errorf("asn %+v", asn)
	}
	env := l.Env()
	if env.AbuseASNs[205100] == "" || env.AbuseASNSource != "lab world ASN-DROP list" || !env.Lab {
		t.Errorf("abuse ASNs %v %q lab=%v", env.AbuseASNs, env.AbuseASNSource, env.Lab)
	}
	if !env.Clock().Equal(fixedNow) {
		t.Errorf("clock %v, want %v", env.Clock(), fixedNow)
	}
	files := g.Files
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(files[0])); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("GeoIP folder left behind: %v", err)
	}
}

func TestDialerRefuses(t *testing.T) {
	l := startDemo(t, Options{})
	env := l.Env()
	for _, addr := range []string{"8.8.8.8:53", "93.184.216.34:443", "example.org:443", "whois.example.net:43", "185.220.101.47:22", "localhost:80", "10.0.0.1:80"} {
		c, err := env.Dial(context.Background(), "tcp", addr)
		if err == nil {
			c.Close()
			t.Errorf("%s: dialled, want a refusal", addr)
			continue
		}
		if !errors.Is(err, ErrNotInLab) {
			t.Errorf("%s: %v does not wrap ErrNotInLab", addr, err)
		}
	}
	if _, err := env.HTTP.Get("https://www.example.org/"); err == nil || !errors.Is(err, ErrNotInLab) {
		t.Errorf("HTTP client reached outside the lab: %v", err)
	}
}

func TestLatency(t *testing.T) {
	const lat = 60 * time.Millisecond
	l := startDemo(t, Options{Latency: lat})
	env := l.Env()
	start := time.Now()
	query(t, env.Resolver, "nova-parcels.com", dns.TypeA, "udp")
	if d := time.Since(start); d < lat {
		t.Errorf("DNS answered in %v, want >= %v", d, lat)
	}
	start = time.Now()
	whoisQuery(t, l, "whois.iana.org:43", "com")
	if d := time.Since(start); d < lat {
		t.Errorf("WHOIS answered in %v", d)
	}
	start = time.Now()
	resp, err := env.HTTP.Get(env.InternetDBURL + "/185.220.101.47")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if d := time.Since(start); d < lat {
		t.Errorf("HTTP answered in %v", d)
	}
	// Close does not wait for pending delays.
	c, err := env.Dial(context.Background(), "tcp", "whois.iana.org:43")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "com\r\n")
	start = time.Now()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
}

func TestDates(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"-16d", time.Date(2026, 2, 22, 12, 0, 0, 0, time.UTC)},
		{"+2y", time.Date(2028, 3, 10, 12, 0, 0, 0, time.UTC)},
		{"-9y", time.Date(2017, 3, 10, 12, 0, 0, 0, time.UTC)},
		{"-3mo", time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)},
		{"-2w", time.Date(2026, 2, 24, 12, 0, 0, 0, time.UTC)},
		{"-90m", time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC)},
		{"now", now},
		{"2024-11-14", time.Date(2024, 11, 14, 0, 0, 0, 0, time.UTC)},
		{"2024-11-14T08:30:00Z", time.Date(2024, 11, 14, 8, 30, 0, 0, time.UTC)},
	} {
		d, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := d.At(now); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"-16", "16d", "-d", "-5x", "yesterday", "2024-13-01"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestBadWorlds(t *testing.T) {
	for _, tt := range []struct{ name, json, want string }{
		{"unknown field", `{"domains":{"a.com":{"recrods":{}}}}`, `unknown field "recrods"`},
		{"bad date", `{"domains":{"a.com":{"whois":{"created":"yesterday"}}},"tlds":{"com":"whois.verisign-grs.com"}}`, `bad date "yesterday"`},
		{"bad ip", `{"ips":{"300.1.1.1":{}}}`, `ips["300.1.1.1"]: not an IP address`},
		{"bad A", `{"domains":{"a.com":{"records":{"@":{"A":["1.2.3"]}}}}}`, `bad value "1.2.3"`},
		{"bad type", `{"domains":{"a.com":{"records":{"@":{"XX":["1"]}}}}}`, `unsupported record type "XX"`},
		{"dangling cert", `{"domains":{"a.com":{"cert":"nope"}}}`, `no certificate with id "nope"`},
		{"no registry", `{"domains":{"a.zz":{"whois":{"created":"-1d"}}}}`, `no registry WHOIS server for .zz`},
		{"bad listing", `{"ips":{"1.2.3.4":{"dnsbl":[{"code":"1.2.3.4"}]}}}`, `not a 127.x.y.z return code`},
		{"network", `{"ips":{"1.2.3.4":{"network":"5.6.7.0/24"}}}`, `does not contain the address`},
		{"empty", `{}`, `no domains and no ips`},
		{"syntax", `{"domains":`, `bad world file`},
		{"bad issuer", `{"domains":{"a.com":{}},"certificates":[{"id":"x","sans":["a.com"],"issuer":"R11"}]}`, `write the name as C=US`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadWorld(strings.NewReader(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrWorld) {
				t.Errorf("error %v, want one containing %q wrapping ErrWorld", err, tt.want)
			}
		})
	}
}

func TestDemoCopiesMatch(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "testdata", "lab", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, DemoJSON()) {
		t.Error("testdata/lab/demo.json differs from recon/lab/worlds/demo.json: copy one onto the other")
	}
	w, err := LoadWorldFile(filepath.Join("..", "..", "testdata", "lab", "demo.json"))
	if err != nil || len(w.Domains) < 5 {
		t.Fatalf("LoadWorldFile: %v", err)
	}
	// Other worlds in testdata/lab must load too.
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "lab", "*.json"))
	for _, f := range files {
		if _, err := LoadWorldFile(f); err != nil {
			t.Errorf("%v", err)
		}
	}
}

func TestStartCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Start(ctx, Demo(), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with a cancelled context: %v", err)
	}
}

func BenchmarkStart(b *testing.B) {
	w := Demo()
	for b.Loop() {
		l, err := Start(context.Background(), w, Options{})
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}

func TestReadmeExampleLoads(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "lab", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```json\n")
	if !ok {
		t.Fatal("README has no json example")
	}
	example, _, _ := strings.Cut(rest, "```")
	w, err := LoadWorld(strings.NewReader(example))
	if err != nil {
		t.Fatalf("README example: %v", err)
	}
	l, err := Start(context.Background(), w, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := query(t, l.Env().Resolver, "shady-shop.com.dbl.spamhaus.org", dns.TypeA, "udp")
	if got := rdata(r.Answer); len(got) != 1 || got[0] != "127.0.1.4" {
		t.Errorf("DBL answer %v", got)
	}
	r = query(t, l.Env().Resolver, "shady-shop.com.dbl.spamhaus.org", dns.TypeTXT, "udp")
	if got := rdata(r.Answer); len(got) != 1 || got[0] != `"https://www.spamhaus.org/query/domain/shady-shop.com"` {
		t.Errorf("DBL TXT %v", got)
	}
}

// dialerFunc adapts the lab dialer to golang.org/x/net/proxy.Dialer, as the
// whois module does for likexian/whois.
type dialerFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func (d dialerFunc) Dial(network, addr string) (net.Conn, error) {
	return d(context.Background(), network, addr)
}

func TestLikexianWhoisClient(t *testing.T) {
	l := startDemo(t, Options{})
	c := whois.NewClient().SetDialer(dialerFunc(l.Env().Dial)).SetTimeout(5 * time.Second).SetDisableStats(true)
	out, err := c.Whois("nova-tracking.net")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Registry Expiry Date:") || !strings.Contains(out, "Privacy service provided by Withheld for Privacy ehf") {
		t.Errorf("likexian chain answer:\n%s", out)
	}
	p, err := whoisparser.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Registrar == nil || p.Registrar.Name != "NameCheap, Inc." || p.Domain.CreatedDateInTime == nil {
		t.Fatalf("parsed %+v %+v", p.Registrar, p.Domain)
	}
	if want := fixedNow.AddDate(0, 0, -16); !p.Domain.CreatedDateInTime.Equal(want) {
		t.Errorf("created %v, want %v", p.Domain.CreatedDateInTime, want)
	}
}
