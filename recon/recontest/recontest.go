// Package recontest starts loopback servers that speak the real protocols,
// for hermetic tests of recon modules, named in the manner of net/http/httptest.
// Every server listens on 127.0.0.1 with an ephemeral port and is closed by
// t.Cleanup. Nothing here reaches a non-loopback address.
package recontest

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
)

// StartDNS serves h over UDP and TCP on 127.0.0.1 and returns "127.0.0.1:port".
func StartDNS(t testing.TB, h dns.Handler) string {
	t.Helper()
	// UDP and TCP must share one port: take an ephemeral UDP port, then the
	// same TCP port; when another process holds that TCP port, try again.
	var pc net.PacketConn
	var ln net.Listener
	var addr string
	for try := 0; ; try++ {
		var err error
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("recontest: listen udp: %v", err)
		}
		addr = pc.LocalAddr().String()
		ln, err = net.Listen("tcp", addr)
		if err == nil {
			break
		}
		pc.Close()
		if try == 20 {
			t.Fatalf("recontest: listen tcp on %s: %v", addr, err)
		}
	}
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: ln, Handler: h}
	var wg sync.WaitGroup
	for _, s := range []*dns.Server{udp, tcp} {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		wg.Add(1)
		go func() { defer wg.Done(); _ = s.ActivateAndServe() }()
		<-started
	}
	t.Cleanup(func() {
		_ = udp.Shutdown()
		_ = tcp.Shutdown()
		wg.Wait()
	})
	return addr
}

// Zone is a simple DNS handler: records in presentation format ("a.com. 300
// IN A 192.0.2.1"). Names not in the zone get NXDOMAIN; names present with
// other types get an empty NOERROR. Rcodes forces an rcode for a name.
type Zone struct {
	mu     sync.Mutex
	rrs    map[string][]dns.RR
	Rcodes map[string]int // lower-case FQDN -> rcode (e.g. dns.RcodeServerFailure)
	// Queries counts questions received, by "name type".
	Queries map[string]int
}

// NewZone parses records; it fails the test on a bad record.
func NewZone(t testing.TB, records ...string) *Zone {
	t.Helper()
	z := &Zone{rrs: map[string][]dns.RR{}, Rcodes: map[string]int{}, Queries: map[string]int{}}
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatalf("recontest: bad record %q: %v", s, err)
		}
		n := strings.ToLower(rr.Header().Name)
		z.rrs[n] = append(z.rrs[n], rr)
	}
	return z
}

// Count returns how many times name/type was asked.
func (z *Zone) Count(name string, qtype uint16) int {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.Queries[strings.ToLower(dns.Fqdn(name))+" "+dns.TypeToString[qtype]]
}

// ServeDNS implements dns.Handler.
func (z *Zone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	z.mu.Lock()
	z.Queries[name+" "+dns.TypeToString[q.Qtype]]++
	rc, forced := z.Rcodes[name]
	rrs, exists := z.rrs[name]
	z.mu.Unlock()
	switch {
	case forced:
		m.Rcode = rc
	case !exists:
		m.Rcode = dns.RcodeNameError
	default:
		for _, rr := range rrs {
			if rr.Header().Rrtype == q.Qtype || (rr.Header().Rrtype == dns.TypeCNAME && q.Qtype != dns.TypeCNAME) {
				m.Answer = append(m.Answer, dns.Copy(rr))
			}
		}
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := 512
		if o := r.IsEdns0(); o != nil {
			size = int(o.UDPSize())
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

// StartWhois serves WHOIS on 127.0.0.1: answer gets the query line (without
// CRLF) and returns the reply. It returns "127.0.0.1:port".
func StartWhois(t testing.TB, answer func(query string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("recontest: listen: %v", err)
	}
	Serve(t, ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		line, err := bufio.NewReader(io.LimitReader(c, 4096)).ReadString('\n')
		if err != nil {
			return
		}
		_, _ = io.WriteString(c, answer(strings.TrimRight(line, "\r\n")))
	})
	return ln.Addr().String()
}

// NewCert returns a self-signed certificate for the given SANs (the first is
// the subject CN), valid from notBefore to notAfter.
func NewCert(t testing.TB, notBefore, notAfter time.Time, sans ...string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cn := ""
	if len(sans) > 0 {
		cn = sans[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		DNSNames:              sans,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// RouteDialer returns a DialFunc that sends addr (as dialled, e.g.
// "185.220.101.47:443" or "whois.verisign-grs.com:43") to routes[addr],
// passes "127.0.0.1:port" through, and refuses anything else. Use it to point a module at loopback servers.
func RouteDialer(routes map[string]string) recon.DialFunc {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		to, ok := routes[addr]
		if !ok && strings.HasPrefix(addr, "127.0.0.1:") {
			to, ok = addr, true // a loopback test server addressed directly
		}
		if !ok {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errNoRoute(addr)}
		}
		return d.DialContext(ctx, network, to)
	}
}

type errNoRoute string

func (e errNoRoute) Error() string { return "recontest: no route for " + string(e) }

// Env returns an Env whose resolver is dnsAddr and whose dialer and HTTP
// client use RouteDialer(routes) (loopback only). Lab is true.
func Env(t testing.TB, dnsAddr string, routes map[string]string) *recon.Env {
	t.Helper()
	e := recon.Defaults()
	e.Resolver = dnsAddr
	e.Lab = true
	e.Sources = recon.NewSources(nil)
	e.Limits.DNSTimeout = 2 * time.Second
	e.Limits.ModuleTimeout = 5 * time.Second
	e.Dial = RouteDialer(routes)
	e.HTTP = recon.NewHTTPClient(e.Dial, nil, 5*time.Second, e.Limits.MaxRedirects)
	return e
}

// Corpus returns the path of a file or folder in the shared response corpus
// (../shared/corpus next to the repository, or $NETSPECTER_CORPUS), and skips
// the test with a clear message when the corpus is absent (a user's clone).
func Corpus(t testing.TB, rel ...string) string {
	t.Helper()
	root := os.Getenv("NETSPECTER_CORPUS")
	if root == "" {
		dir, _ := os.Getwd()
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root = filepath.Join(dir, "..", "shared", "corpus")
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	p := filepath.Join(append([]string{root}, rel...)...)
	if root == "" {
		t.Skipf("response corpus not found (set NETSPECTER_CORPUS or place it at ../shared/corpus); skipping")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("response corpus sample %s not present (%v); skipping", p, err)
	}
	return p
}

// Serve accepts connections on ln until the test ends and runs handle on
// each in its own goroutine; the connection is closed when handle returns.
// Cleanup closes ln and waits for every handler.
func Serve(t testing.TB, ln net.Listener, handle func(net.Conn)) {
	t.Helper()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
}
