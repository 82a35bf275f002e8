package recon_test

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

// testProxy is a loopback proxy (HTTP CONNECT or SOCKS5) that records the
// address of every tunnel asked for. Tunnels to public addresses end at
// backend (a loopback server standing for the internet: nothing leaves the
// machine); tunnels to loopback addresses go there.
type testProxy struct {
	addr    string
	backend string
	mu      sync.Mutex
	asked   []string
}

func (p *testProxy) record(target string) string {
	p.mu.Lock()
	p.asked = append(p.asked, target)
	p.mu.Unlock()
	host, _, _ := net.SplitHostPort(target)
	if a, err := netip.ParseAddr(host); err == nil && a.IsLoopback() {
		return target
	}
	return p.backend
}

func (p *testProxy) tunnels() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asked...)
}

func startProxy(t *testing.T, socks bool, backend string) *testProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &testProxy{addr: ln.Addr().String(), backend: backend}
	recontest.Serve(t, ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		br := bufio.NewReader(c)
		var target string
		if socks {
			target = socks5Handshake(br, c)
		} else {
			req, err := http.ReadRequest(br)
			if err != nil || req.Method != http.MethodConnect {
				return
			}
			target = req.Host
		}
		if target == "" {
			return
		}
		up, err := net.Dial("tcp", p.record(target))
		if err != nil {
			return
		}
		defer up.Close()
		if !socks {
			_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		}
		// Tunnels live at most a few seconds: the test's clients keep
		// idle connections, and Serve waits for every handler.
		_ = up.SetDeadline(time.Now().Add(3 * time.Second))
		go func() { _, _ = io.Copy(up, br); up.Close() }()
		_, _ = io.Copy(c, up)
	})
	return p
}

// socks5Handshake serves RFC 1928 without authentication and one CONNECT;
// it returns the target "host:port" ("" on a bad request).
func socks5Handshake(br *bufio.Reader, c net.Conn) string {
	h := make([]byte, 2)
	if _, err := io.ReadFull(br, h); err != nil || h[0] != 5 {
		return ""
	}
	if _, err := io.ReadFull(br, make([]byte, h[1])); err != nil {
		return ""
	}
	_, _ = c.Write([]byte{5, 0})
	req := make([]byte, 4)
	if _, err := io.ReadFull(br, req); err != nil || req[1] != 1 {
		return ""
	}
	var host string
	switch req[3] {
	case 1:
		b := make([]byte, 4)
		_, _ = io.ReadFull(br, b)
		host = net.IP(b).String()
	case 3:
		n, _ := br.ReadByte()
		b := make([]byte, n)
		_, _ = io.ReadFull(br, b)
		host = string(b)
	case 4:
		b := make([]byte, 16)
		_, _ = io.ReadFull(br, b)
		host = net.IP(b).String()
	default:
		return ""
	}
	pb := make([]byte, 2)
	_, _ = io.ReadFull(br, pb)
	_, _ = c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(pb))))
}

func startBackend(t *testing.T) (string, *int) {
	t.Helper()
	var mu sync.Mutex
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*n++
		mu.Unlock()
		_, _ = io.WriteString(w, "hello from "+r.Host)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), n
}

// zone: api.example.net is public, inside.example.net points inward.
func proxyZone(t *testing.T) string {
	return recontest.StartDNS(t, recontest.NewZone(t,
		"api.example.net. 60 IN A 93.184.216.34",
		"inside.example.net. 60 IN A 10.0.0.5",
	))
}

func TestProxyCarriesEveryConnection(t *testing.T) {
	for _, socks := range []bool{false, true} {
		name := map[bool]string{false: "http", true: "socks5"}[socks]
		t.Run(name, func(t *testing.T) {
			backend, served := startBackend(t)
			p := startProxy(t, socks, backend)
			env := recon.Defaults()
			env.Resolver = proxyZone(t)
			if err := env.UseNetwork(recon.NetworkOptions{Proxy: name + "://" + p.addr}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(env.HTTP.CloseIdleConnections)
			if env.Proxy != name+"://"+p.addr {
				t.Errorf("Env.Proxy = %q", env.Proxy)
			}
			// An HTTP API, by name: resolved, checked, then tunnelled.
			resp, err := env.HTTP.Get("http://api.example.net/v1/x")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "hello from api.example.net" || *served != 1 {
				t.Errorf("through the proxy: %q, %d served", body, *served)
			}
			// WHOIS is plain TCP through env.Dial.
			c, err := env.Dial(context.Background(), "tcp", "api.example.net:43")
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
			// The guard still holds behind a proxy: an inward address is
			// never handed to it.
			_, err = env.Dial(context.Background(), "tcp", "inside.example.net:443")
			if !errors.Is(err, recon.ErrNonPublic) {
				t.Errorf("inward address: %v", err)
			}
			// No UDP around the proxy.
			if _, err := env.Dial(context.Background(), "udp", "93.184.216.34:53"); err == nil {
				t.Error("UDP went around the proxy")
			}
			got := strings.Join(p.tunnels(), " ")
			if got != "93.184.216.34:80 93.184.216.34:43" {
				t.Errorf("tunnels %q", got)
			}
		})
	}
}

func TestProxyFromEnvironment(t *testing.T) {
	backend, _ := startBackend(t)
	p := startProxy(t, true, backend)
	env := recon.Defaults()
	env.Resolver = proxyZone(t)
	vars := map[string]string{"ALL_PROXY": "socks5://" + p.addr}
	if err := env.UseNetwork(recon.NetworkOptions{ProxyFromEnv: true, Getenv: func(k string) string { return vars[k] }}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.HTTP.CloseIdleConnections)
	resp, err := env.HTTP.Get("http://api.example.net/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(p.tunnels()) != 1 {
		t.Errorf("ALL_PROXY not used: %v", p.tunnels())
	}
	for _, bad := range []string{"ftp://127.0.0.1:21", "socks5://127.0.0.1", "http://user:secret@:3128", "http://127.0.0.1:3128/path"} {
		err := recon.Defaults().UseNetwork(recon.NetworkOptions{Proxy: bad})
		if !errors.Is(err, recon.ErrProxy) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// dohServer answers RFC 8484 POST and GET wire-format queries from a
// zone over TLS on loopback.
func dohServer(t *testing.T, getOnly bool, records ...string) (*httptest.Server, *int) {
	t.Helper()
	zone := recontest.NewZone(t, records...)
	zaddr := recontest.StartDNS(t, zone)
	n := new(int)
	var mu sync.Mutex
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b []byte
		switch {
		case r.URL.Path != "/dns-query":
			http.Error(w, "not a DoH query", http.StatusBadRequest)
			return
		case r.Method == http.MethodPost && getOnly:
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		case r.Method == http.MethodPost && r.Header.Get("Content-Type") == "application/dns-message":
			b, _ = io.ReadAll(io.LimitReader(r.Body, 65536))
		case r.Method == http.MethodGet:
			var err error
			if b, err = base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns")); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		default:
			http.Error(w, "not a DoH query", http.StatusBadRequest)
			return
		}
		mu.Lock()
		*n++
		mu.Unlock()
		q := new(dns.Msg)
		if err := q.Unpack(b); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp, err := dns.Exchange(q, zaddr)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out, _ := resp.Pack()
		w.Header().Set("Content-Type", "application/dns-message")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

func TestDNSOverHTTPS(t *testing.T) {
	srv, asked := dohServer(t, false, "api.example.net. 60 IN A 93.184.216.34", "inside.example.net. 60 IN A 10.0.0.5")
	for _, viaProxy := range []bool{false, true} {
		t.Run(map[bool]string{false: "direct", true: "through a proxy"}[viaProxy], func(t *testing.T) {
			backend, served := startBackend(t)
			env := recon.Defaults()
			env.Resolver = srv.URL + "/dns-query"
			env.RootCAs = x509.NewCertPool()
			env.RootCAs.AddCert(srv.Certificate())
			opts := recon.NetworkOptions{Bootstrap: func(context.Context, string) ([]netip.Addr, error) {
				t.Error("bootstrap asked for an IP literal")
				return nil, errors.New("no")
			}}
			var p *testProxy
			if viaProxy {
				p = startProxy(t, false, backend)
				opts.Proxy = "http://" + p.addr
			}
			if err := env.UseNetwork(opts); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(env.HTTP.CloseIdleConnections)
			before := *asked
			r, err := env.Exchange(context.Background(), "api.example.net", dns.TypeA)
			if err != nil {
				t.Fatal(err)
			}
			if a := recon.AddrsOf(r); len(a) != 1 || a[0].String() != "93.184.216.34" || *asked != before+1 {
				t.Errorf("DoH answer %v, %d queries", a, *asked-before)
			}
			// The guard uses DoH answers too.
			if _, err := env.Dial(context.Background(), "tcp", "inside.example.net:443"); !errors.Is(err, recon.ErrNonPublic) {
				t.Errorf("inward address via DoH: %v", err)
			}
			if viaProxy {
				resp, err := env.HTTP.Get("http://api.example.net/")
				if err != nil || *served != 1 {
					t.Fatalf("API through the proxy after a DoH answer: %v", err)
				}
				resp.Body.Close()
				doh := strings.TrimPrefix(srv.URL, "https://")
				var dohTunnels int
				for _, tn := range p.tunnels() {
					if tn == doh {
						dohTunnels++
					}
				}
				if dohTunnels == 0 {
					t.Errorf("DNS did not go through the proxy: %v", p.tunnels())
				}
			}
		})
	}
}

func TestDoHRejectsWrongAnswers(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>login page</html>")
	}))
	t.Cleanup(srv.Close)
	env := recon.Defaults()
	env.Resolver = srv.URL + "/dns-query"
	env.RootCAs = x509.NewCertPool()
	env.RootCAs.AddCert(srv.Certificate())
	env.Limits.DNSTimeout = time.Second
	if err := env.UseNetwork(recon.NetworkOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.HTTP.CloseIdleConnections)
	_, err := env.Exchange(context.Background(), "api.example.net", dns.TypeA)
	if err == nil || !strings.Contains(err.Error(), "application/dns-message") {
		t.Errorf("HTML answer: %v", err)
	}
}

// A DoH server that refuses POST (405) is asked with GET (?dns=).
func TestDoHGet(t *testing.T) {
	srv, asked := dohServer(t, true, "api.example.net. 60 IN A 93.184.216.34")
	env := recon.Defaults()
	env.Resolver = srv.URL + "/dns-query"
	env.RootCAs = x509.NewCertPool()
	env.RootCAs.AddCert(srv.Certificate())
	if err := env.UseNetwork(recon.NetworkOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.HTTP.CloseIdleConnections)
	r, err := env.Exchange(context.Background(), "api.example.net", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if a := recon.AddrsOf(r); len(a) != 1 || a[0].String() != "93.184.216.34" || *asked != 1 {
		t.Errorf("GET answer %v after %d answered queries", a, *asked)
	}
}
