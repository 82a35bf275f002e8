package lab

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestNetworkFaultsDNS(t *testing.T) {
	for _, tt := range []struct {
		faults string
		name   string
		qtype  uint16
		rcode  int
		want   string // the answer's rdata, joined
	}{
		{"", "no-such-name-x1.com", dns.TypeA, dns.RcodeNameError, ""},
		{"nxdomain=rewrite", "no-such-name-x1.com", dns.TypeA, dns.RcodeSuccess, NXRewriteAddr},
		{"nxdomain=rewrite", "no-such-name-x1.com", dns.TypeMX, dns.RcodeNameError, ""},
		{"nxdomain=rewrite", "nova-parcels.com", dns.TypeA, dns.RcodeSuccess, "185.220.101.47"},
		{"nxdomain=rewrite", "1.0.0.127.zen.spamhaus.org", dns.TypeA, dns.RcodeNameError, ""},
		{"resolver=refused", "nova-parcels.com", dns.TypeA, dns.RcodeRefused, ""},
		{"resolver=refused", "no-such-name-x1.com", dns.TypeA, dns.RcodeRefused, ""},
		{"dnsbl=refused", "47.101.220.185.zen.spamhaus.org", dns.TypeA, dns.RcodeSuccess, "127.255.255.254"},
		{"dnsbl=refused", "nova-parcels.com.dbl.spamhaus.org", dns.TypeA, dns.RcodeSuccess, "127.255.255.254"},
		{"dnsbl=refused", "zen.spamhaus.org", dns.TypeNS, dns.RcodeSuccess, "a.gns.spamhaus.org. b.gns.spamhaus.org."},
		{"dnsbl=refused", "a.gns.spamhaus.org", dns.TypeA, dns.RcodeSuccess, SpamhausNSAddr.String()},
		{"dnsbl=refused", "nova-parcels.com", dns.TypeA, dns.RcodeSuccess, "185.220.101.47"},
		{"", "47.101.220.185.zen.spamhaus.org", dns.TypeA, dns.RcodeSuccess, "127.0.0.2 127.0.0.4"},
	} {
		f, err := ParseFaults(tt.faults)
		if err != nil {
			t.Fatal(err)
		}
		l := startDemo(t, Options{Faults: f})
		r := query(t, l.Env().Resolver, tt.name, tt.qtype, "udp")
		got := strings.Join(rdata(r.Answer), " ")
		if r.Rcode != tt.rcode || got != tt.want {
			t.Errorf("%s: %s %s = %s %q, want %s %q", tt.faults, dns.TypeToString[tt.qtype], tt.name,
				dns.RcodeToString[r.Rcode], got, dns.RcodeToString[tt.rcode], tt.want)
		}
	}
}

// Under dnsbl=refused the zones' own name servers, reached through the lab
// dialer at the address their NS records give, still answer.
func TestDNSBLRefusedAuthoritative(t *testing.T) {
	l := startDemo(t, Options{Faults: Faults{DNSBLRefused: true}})
	env := l.Env()
	ask := func(name string) *dns.Msg {
		conn, err := env.Dial(context.Background(), "udp", net.JoinHostPort(SpamhausNSAddr.String(), "53"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(name), dns.TypeA)
		c := &dns.Client{Timeout: 3 * time.Second}
		r, _, err := c.ExchangeWithConnContext(context.Background(), m, &dns.Conn{Conn: conn})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := ask("47.101.220.185.zen.spamhaus.org"); !r.Authoritative || strings.Join(rdata(r.Answer), " ") != "127.0.0.2 127.0.0.4" {
		t.Errorf("direct listed answer: %v", r)
	}
	if r := ask("1.0.0.127.zen.spamhaus.org"); r.Rcode != dns.RcodeNameError {
		t.Errorf("direct test point 127.0.0.1: %s", dns.RcodeToString[r.Rcode])
	}
	if r := ask("nova-parcels.com"); r.Rcode != dns.RcodeRefused {
		t.Errorf("the zones' server answered for another zone: %s", dns.RcodeToString[r.Rcode])
	}
}

func TestBlockPorts(t *testing.T) {
	l := startDemo(t, Options{Faults: Faults{Block: []int{43, 443}}})
	env := l.Env()
	for _, addr := range []string{"whois.iana.org:43", "nova-parcels.com:443", "185.220.101.47:443", strings.TrimPrefix(l.Addrs()["rdap"], "http://")} {
		_, err := env.Dial(context.Background(), "tcp", addr)
		if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), addr) {
			t.Errorf("dial %s: %v, want connection refused naming the address", addr, err)
		}
	}
	c, err := env.Dial(context.Background(), "tcp", "nova-parcels.com:80")
	if err != nil {
		t.Fatalf("port 80 is not blocked: %v", err)
	}
	c.Close()
}

func TestTLSIntercept(t *testing.T) {
	l := startDemo(t, Options{Faults: Faults{TLSIntercept: true}})
	env := l.Env()
	raw, err := env.Dial(context.Background(), "tcp", "nova-parcels.com:443")
	if err != nil {
		t.Fatal(err)
	}
	c := tls.Client(raw, &tls.Config{ServerName: "nova-parcels.com", RootCAs: env.RootCAs})
	if err := c.Handshake(); err != nil {
		t.Fatalf("the machine trusts its proxy: %v", err)
	}
	defer c.Close()
	chain := c.ConnectionState().PeerCertificates
	leaf := chain[0]
	if leaf.Issuer.CommonName != InterceptCAName || strings.Join(leaf.DNSNames, ",") != "nova-parcels.com" {
		t.Errorf("intercepted leaf: issuer %v, SANs %v", leaf.Issuer, leaf.DNSNames)
	}
	inter := x509.NewCertPool()
	for _, ic := range chain[1:] {
		inter.AddCert(ic)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "nova-parcels.com", Roots: env.PublicRoots, Intermediates: inter}); err == nil {
		t.Error("the proxy's certificate verifies against the public roots")
	}
}
