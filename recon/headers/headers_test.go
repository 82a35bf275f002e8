package headers

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

const site = "site.test"

// start serves h over TLS (certificate for site.test) and plain HTTP on
// loopback and returns an env where site.test:443 and :80 reach them and
// site.test resolves to ips.
func start(t *testing.T, h http.Handler, ips ...string) *recon.Env {
	t.Helper()
	cert := recontest.NewCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), site, "*."+site)
	tlsSrv := httptest.NewUnstartedServer(h)
	tlsSrv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	return envFor(t, cert, tlsSrv.Listener.Addr().String(), plain.Listener.Addr().String(), ips...)
}

func envFor(t *testing.T, cert tls.Certificate, tlsAddr, plainAddr string, ips ...string) *recon.Env {
	t.Helper()
	var rrs []string
	for _, ip := range ips {
		rrs = append(rrs, fmt.Sprintf("%s. 300 IN A %s", site, ip))
	}
	if len(rrs) == 0 {
		rrs = []string{site + ". 300 IN TXT \"no address\""}
	}
	dnsAddr := recontest.StartDNS(t, recontest.NewZone(t, rrs...))
	routes := map[string]string{site + ":443": tlsAddr}
	if plainAddr != "" {
		routes[site+":80"] = plainAddr
	}
	env := recontest.Env(t, dnsAddr, routes)
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	env.RootCAs = pool
	env.HTTP = recon.NewHTTPClient(env.Dial, pool, 5*time.Second, env.Limits.MaxRedirects)
	return env
}

func run(t *testing.T, env *recon.Env, timeout time.Duration) (*recon.ModuleResult, *recon.HeadersFacts) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res := New().Run(ctx, recon.NewRun(env, recon.Target{Kind: recon.KindDomain, Value: site}))
	f, _ := res.Facts.(*recon.HeadersFacts)
	switch {
	case f == nil && res.Facts == nil && res.Status == recon.StatusError:
		return res, &recon.HeadersFacts{} // nothing answered: no facts
	case f == nil:
		t.Fatalf("facts are %T (status %s, err %s)", res.Facts, res.Status, res.Err)
	}
	return res, f
}

func present(f *recon.HeadersFacts) []string {
	var out []string
	for _, c := range f.Security {
		if c.Present {
			out = append(out, c.Name)
		}
	}
	return out
}

func TestSecurityHeaders(t *testing.T) {
	all := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Strict-Transport-Security", "max-age=63072000")
		h.Set("Content-Security-Policy", "default-src 'self'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "geolocation=()")
		h.Set("Server", "Apache")
		fmt.Fprint(w, "<html>hi</html>")
	})
	none := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") })
	for _, tc := range []struct {
		name string
		h    http.Handler
		want []string
	}{
		{"all present", all, SecurityHeaders},
		{"none", none, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := start(t, tc.h, "192.0.2.10")
			res, f := run(t, env, 5*time.Second)
			if res.Status != recon.StatusOK {
				t.Fatalf("status %s: %s", res.Status, res.Err)
			}
			if len(f.Security) != 6 {
				t.Fatalf("security = %v", f.Security)
			}
			for i, c := range f.Security {
				if c.Name != SecurityHeaders[i] {
					t.Errorf("order: %d is %s", i, c.Name)
				}
			}
			if got := present(f); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("present = %v, want %v", got, tc.want)
			}
			if f.StatusCode != 200 || f.FinalURL != "https://site.test/" || f.URL != "https://site.test/" || f.HTTPSError != "" || f.Cloudflare {
				t.Errorf("facts = %+v", f)
			}
			if tc.name == "all present" && (f.Security[0].Value != "max-age=63072000" || f.Server != "Apache" || f.Raw["X-Frame-Options"][0] != "DENY") {
				t.Errorf("values: %+v", f)
			}
		})
	}
}

func TestCloudflare(t *testing.T) {
	tests := []struct {
		name     string
		h        http.HandlerFunc
		ips      []string
		evidence string
	}{
		{"cf-ray", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("CF-RAY", "8a1b2c3d4e5f-AMS") }, []string{"192.0.2.10"}, "cf-ray: 8a1b2c3d4e5f-AMS"},
		{"server", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Server", "cloudflare") }, []string{"192.0.2.10"}, "server: cloudflare"},
		{"address", func(w http.ResponseWriter, r *http.Request) {}, []string{"104.16.1.1"}, "address 104.16.1.1 is in Cloudflare's ranges"},
		{"not cloudflare", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Server", "nginx") }, []string{"192.0.2.10"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := start(t, tc.h, tc.ips...)
			_, f := run(t, env, 5*time.Second)
			if f.Cloudflare != (tc.evidence != "") || f.CloudflareEvidence != tc.evidence {
				t.Errorf("cloudflare=%v evidence=%q", f.Cloudflare, f.CloudflareEvidence)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusMovedPermanently) })
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://www.site.test/c", http.StatusFound)
	})
	mux.HandleFunc("/c", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Frame-Options", "SAMEORIGIN") })
	env := start(t, mux, "192.0.2.10")
	routed := env.Dial
	env.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == "www.site.test:443" {
			addr = site + ":443"
		}
		return routed(ctx, network, addr)
	}
	env.HTTP = recon.NewHTTPClient(env.Dial, env.RootCAs, 5*time.Second, env.Limits.MaxRedirects)
	res, f := run(t, env, 5*time.Second)
	if res.Status != recon.StatusOK {
		t.Fatalf("status %s: %s", res.Status, res.Err)
	}
	want := []string{"https://site.test/a", "https://site.test/b", "https://www.site.test/c"}
	if !reflect.DeepEqual(f.Redirects, want) || f.FinalURL != want[2] || f.StatusCode != 200 {
		t.Errorf("redirects=%v final=%s status=%d", f.Redirects, f.FinalURL, f.StatusCode)
	}
	if got := present(f); !reflect.DeepEqual(got, []string{"X-Frame-Options"}) {
		t.Errorf("present = %v", got)
	}

	// The limit: 2 redirects allowed, 3 needed.
	env.Limits.MaxRedirects = 2
	res, f = run(t, env, 5*time.Second)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "too many redirects") || len(f.Redirects) != 2 || f.StatusCode != http.StatusFound {
		t.Errorf("status %s err %q redirects %v code %d", res.Status, res.Err, f.Redirects, f.StatusCode)
	}
}

func TestRedirectLoop(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "loop/1.0")
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/", http.StatusFound) })
	var plainHits atomic.Int32
	env := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			plainHits.Add(1)
		}
		mux.ServeHTTP(w, r)
	}), "192.0.2.10")
	res, f := run(t, env, 5*time.Second)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "redirect loop") {
		t.Fatalf("status %s err %q", res.Status, res.Err)
	}
	if !reflect.DeepEqual(f.Redirects, []string{"https://site.test/loop"}) || f.StatusCode != http.StatusFound || f.URL != "https://site.test/" {
		t.Errorf("facts kept: %+v", f)
	}
	if plainHits.Load() != 0 {
		t.Error("a redirect loop must not fall back to http://")
	}
}

func TestHeaderBomb(t *testing.T) {
	env := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 5000; i++ {
			w.Header().Set(fmt.Sprintf("X-Bomb-%d", i), strings.Repeat("b", 100))
		}
	}), "192.0.2.10")
	res, f := run(t, env, 5*time.Second)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "exceeded") {
		t.Errorf("status %s err %q", res.Status, res.Err)
	}
	if len(f.Raw) != 0 {
		t.Errorf("bomb headers stored: %d", len(f.Raw))
	}
}

func TestSlowServer(t *testing.T) {
	release := make(chan struct{})
	// The handler answers only when the test ends (the deferred close runs
	// before the servers' cleanups), never when the client gives up: an
	// empty 200 written on disconnect could race the module's deadline.
	env := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}), "192.0.2.10")
	defer close(release)
	begin := time.Now()
	res, _ := run(t, env, 300*time.Millisecond)
	if d := time.Since(begin); d > 2*time.Second {
		t.Fatalf("took %s", d)
	}
	if res.Status != recon.StatusError {
		t.Errorf("status %s", res.Status)
	}
}

func TestHTTPFallback(t *testing.T) {
	// The TLS listener's certificate is not trusted: https fails, http works.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Server", "plain") })
	bad := httptest.NewTLSServer(h)
	t.Cleanup(bad.Close)
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	cert := recontest.NewCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), site)
	env := envFor(t, cert, bad.Listener.Addr().String(), plain.Listener.Addr().String(), "192.0.2.10")
	res, f := run(t, env, 5*time.Second)
	if res.Status != recon.StatusOK || f.URL != "http://site.test/" || f.HTTPSError == "" || f.Server != "plain" {
		t.Errorf("status %s err %q facts %+v", res.Status, res.Err, f)
	}
	// An answer over http:// cannot carry HSTS (browsers ignore it there):
	// it is not checked, so not "missing"; the other headers are.
	for _, c := range f.Security {
		if c.Name == "Strict-Transport-Security" {
			t.Errorf("HSTS checked on an http:// answer: %+v", f.Security)
		}
	}
	if len(f.Security) != len(SecurityHeaders)-1 {
		t.Errorf("security checks %+v", f.Security)
	}

	// Both fail: the error names both attempts, and there are no facts
	// (no "cloudflare": false, no header list, from a site that sent nothing).
	env2 := envFor(t, cert, bad.Listener.Addr().String(), "", "192.0.2.10")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res2 := New().Run(ctx, recon.NewRun(env2, recon.Target{Kind: recon.KindDomain, Value: site}))
	if res2.Status != recon.StatusError || !strings.Contains(res2.Err, "https:") || !strings.Contains(res2.Err, "http:") || res2.Facts != nil {
		t.Errorf("status %s err %q facts %+v", res2.Status, res2.Err, res2.Facts)
	}
}

func TestNonPublicSkipped(t *testing.T) {
	env := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), "10.0.0.1")
	env.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &recon.NonPublicError{Addr: "10.0.0.1", Reason: "private"}
	}
	env.HTTP = recon.NewHTTPClient(env.Dial, env.RootCAs, 5*time.Second, 5)
	res, _ := run(t, env, 5*time.Second)
	if res.Status != recon.StatusSkipped || !strings.Contains(res.Err, "non-public") && !strings.Contains(res.Err, "private") {
		t.Errorf("status %s err %q", res.Status, res.Err)
	}
}

func TestTechFromHeaders(t *testing.T) {
	env := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.18.0")
		w.Header().Set("X-Powered-By", "PHP/8.1.2")
		fmt.Fprint(w, "<html><head><title>x</title></head><body></body></html>")
	}), "192.0.2.10")
	_, f := run(t, env, 10*time.Second)
	joined := strings.Join(f.Tech, ",")
	if !strings.Contains(joined, "Nginx") || !strings.Contains(joined, "PHP") {
		t.Errorf("tech = %v", f.Tech)
	}
	if !sortedStrings(f.Tech) {
		t.Errorf("tech not sorted: %v", f.Tech)
	}
	if f.PoweredBy != "PHP/8.1.2" || f.Server != "nginx/1.18.0" {
		t.Errorf("server %q powered %q", f.Server, f.PoweredBy)
	}
}

func sortedStrings(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] < s[i-1] {
			return false
		}
	}
	return true
}

func TestModuleMetadata(t *testing.T) {
	m := New()
	if m.ID() != "headers" || m.Touch() != recon.TouchTarget || m.Applies(recon.KindIP) || !m.Applies(recon.KindEmail) {
		t.Error("metadata wrong")
	}
}
