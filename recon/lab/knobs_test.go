package lab

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

const knobsWorld = `{
  "name": "knobs",
  "tlds": {"com": "whois.verisign-grs.com"},
  "registrars": {"whois.example-registrar.com": {"name": "Example Registrar, Inc."}},
  "domains": {
    "a-shop.com": {"records": {"@": {"A": ["192.0.2.10"]}}, "cert": "a"},
    "b-shop.com": {"records": {"@": {"A": ["192.0.2.11"]}}, "cert": "b"},
    "c-shop.com": {"records": {"@": {"A": ["192.0.2.11"]}}, "cert": "c"},
    "held.com": {"records": {"@": {"A": ["192.0.2.12"], "NS": ["ns1.held.com."]}, "www": {"A": ["192.0.2.12"]}},
      "whois": {"registrar_whois_server": "whois.example-registrar.com", "created": "-40d", "status": ["serverHold", "clientTransferProhibited"]}}
  },
  "certificates": [
    {"id": "a", "sans": ["a-shop.com"], "key": "kit"},
    {"id": "b", "sans": ["b-shop.com"], "key": "kit"},
    {"id": "c", "sans": ["c-shop.com"]},
    {"id": "default", "sans": ["hosting.example.net"]}
  ],
  "ips": {"192.0.2.11": {"cert": "default"}},
  "rate_limits": [{"service": "whois", "per_second": 1}]
}`

func startWorld(t *testing.T, src string) *Lab {
	t.Helper()
	w, err := LoadWorld(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	l, err := Start(context.Background(), w, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// leafOf handshakes with addr (SNI sni, "" for none) and returns the leaf.
func leafOf(t *testing.T, l *Lab, addr, sni string) []byte {
	t.Helper()
	raw, err := l.Env().Dial(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := tls.Client(raw, &tls.Config{ServerName: sni, InsecureSkipVerify: sni == "", RootCAs: l.Env().RootCAs})
	defer c.Close()
	if err := c.Handshake(); err != nil {
		t.Fatalf("%s (%q): %v", addr, sni, err)
	}
	return c.ConnectionState().PeerCertificates[0].Raw
}

func TestDeterministicCertificates(t *testing.T) {
	l1, l2 := startDemo(t, Options{}), startDemo(t, Options{})
	for _, id := range []string{"nova", "meridian", "parcelpoint"} {
		c1, _ := l1.Certificate(id)
		c2, _ := l2.Certificate(id)
		if !bytes.Equal(c1.Leaf.Raw, c2.Leaf.Raw) || c1.Leaf.SerialNumber.Cmp(c2.Leaf.SerialNumber) != 0 {
			t.Errorf("certificate %s differs between two starts of the same world", id)
		}
	}
	if !bytes.Equal(l1.CACertPEM(), l2.CACertPEM()) {
		t.Error("lab CA differs between two starts")
	}
	// Another world gets other keys.
	l3 := startWorld(t, knobsWorld)
	a, _ := l3.Certificate("c")
	n, _ := l1.Certificate("nova")
	if bytes.Equal(a.Leaf.RawSubjectPublicKeyInfo, n.Leaf.RawSubjectPublicKeyInfo) {
		t.Error("two worlds share a key")
	}
}

func TestCertificateKeyAndNoSNI(t *testing.T) {
	l := startWorld(t, knobsWorld)
	spki := func(id string) [32]byte {
		c, ok := l.Certificate(id)
		if !ok {
			t.Fatalf("no certificate %s", id)
		}
		return sha256.Sum256(c.Leaf.RawSubjectPublicKeyInfo)
	}
	if spki("a") != spki("b") {
		t.Error(`certificates with "key": "kit" do not share their key`)
	}
	if spki("a") == spki("c") {
		t.Error("a certificate without key shares one")
	}
	a, _ := l.Certificate("a")
	b, _ := l.Certificate("b")
	if bytes.Equal(a.Leaf.Raw, b.Leaf.Raw) {
		t.Error("two certificates with one key are the same certificate")
	}
	def, _ := l.Certificate("default")
	if got := leafOf(t, l, "192.0.2.11:443", ""); !bytes.Equal(got, def.Leaf.Raw) {
		t.Error("without SNI the IP does not present its explicit certificate")
	}
	c, _ := l.Certificate("c")
	if got := leafOf(t, l, "c-shop.com:443", "c-shop.com"); !bytes.Equal(got, c.Leaf.Raw) {
		t.Error("with SNI the domain's certificate is not presented")
	}
}

func TestHeldDomainIsNXDOMAIN(t *testing.T) {
	l := startWorld(t, knobsWorld)
	for _, name := range []string{"held.com", "www.held.com"} {
		if m := query(t, l.Env().Resolver, name, dns.TypeA, "udp"); m.Rcode != dns.RcodeNameError {
			t.Errorf("%s: rcode %s, want NXDOMAIN (serverHold)", name, dns.RcodeToString[m.Rcode])
		}
	}
	if m := query(t, l.Env().Resolver, "a-shop.com", dns.TypeA, "udp"); m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
		t.Errorf("a-shop.com: %v", m)
	}
}

func TestWhoisRateLimit(t *testing.T) {
	l := startWorld(t, knobsWorld)
	first := whoisQuery(t, l, "whois.verisign-grs.com:43", "held.com")
	second := whoisQuery(t, l, "whois.verisign-grs.com:43", "held.com")
	if strings.Contains(first, "LIMIT EXCEEDED") || !strings.Contains(strings.ToLower(first), "serverhold") {
		t.Errorf("first answer: %q", first)
	}
	if second != WhoisLimitAnswer {
		t.Errorf("second answer within the second: %q", second)
	}
	if iana := whoisQuery(t, l, "whois.iana.org:43", "com"); strings.Contains(iana, "LIMIT") {
		t.Error("IANA is rate-limited too")
	}
}
