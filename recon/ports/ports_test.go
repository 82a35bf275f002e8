package ports

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/recontest"
)

// hostBody builds an InternetDB Host object (the shape of openapi.json; no
// raw 200 body with a named source exists in the corpus).
func hostBody(ip, ports, hostnames, vulns string) string {
	return fmt.Sprintf(`{"cpes":["cpe:/a:nginx:nginx"],"hostnames":%s,"ip":%q,"ports":%s,"tags":["self-signed"],"vulns":%s}`, hostnames, ip, ports, vulns)
}

// setup starts an InternetDB stand-in and a DNS zone, and returns an Env
// pointing at both.
func setup(t *testing.T, h http.HandlerFunc, records ...string) *recon.Env {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	env := recontest.Env(t, recontest.StartDNS(t, recontest.NewZone(t, records...)), nil)
	env.InternetDBURL = srv.URL
	return env
}

func scan(t *testing.T, env *recon.Env, target string, timeout time.Duration) *recon.ModuleResult {
	t.Helper()
	tg, err := recon.ParseTarget(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	m := &module{retryDelay: time.Millisecond}
	return m.Run(ctx, recon.NewRun(env, tg))
}

func portsFacts(t *testing.T, res *recon.ModuleResult) *recon.PortsFacts {
	t.Helper()
	f, ok := res.Facts.(*recon.PortsFacts)
	if !ok || f == nil {
		t.Fatalf("facts %T (result %+v)", res.Facts, res)
	}
	return f
}

func TestOK(t *testing.T) {
	var path atomic.Value
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		path.Store(r.URL.Path)
		fmt.Fprint(w, hostBody("185.220.101.47", `[22,80,443,8443]`, `["Mail.Nova-Parcels.com.","nova-parcels.com","not a name"]`, `["CVE-2023-44487"]`))
	})
	res := scan(t, env, "185.220.101.47", 5*time.Second)
	f := portsFacts(t, res)
	if res.Status != recon.StatusOK || len(f.Hosts) != 1 {
		t.Fatalf("result %+v", res)
	}
	h := f.Hosts[0]
	if h.IP != "185.220.101.47" || !slices.Equal(h.Ports, []int{22, 80, 443, 8443}) || h.Vulns[0] != "CVE-2023-44487" || h.CDN != "" || h.NoData {
		t.Errorf("host %+v", h)
	}
	if h.Hostnames[0] != "Mail.Nova-Parcels.com." {
		t.Errorf("hostname not stored unchanged: %q", h.Hostnames[0])
	}
	want := []recon.Pivot{{Kind: recon.PivotDomain, Value: "mail.nova-parcels.com", Relation: "hostname"}, {Kind: recon.PivotDomain, Value: "nova-parcels.com", Relation: "hostname"}}
	if !slices.Equal(res.Pivots, want) {
		t.Errorf("pivots %+v", res.Pivots)
	}
	if p := path.Load(); p != "/185.220.101.47" {
		t.Errorf("asked %v", p)
	}
}

func TestCDNAndDomainConcurrency(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		ip := strings.TrimPrefix(r.URL.Path, "/")
		fmt.Fprint(w, hostBody(ip, `[80,443,8080]`, `[]`, `[]`))
	},
		"shop.example. 60 IN A 104.16.1.1",
		"shop.example. 60 IN A 192.0.2.1", "shop.example. 60 IN A 192.0.2.2", "shop.example. 60 IN A 192.0.2.3",
		"shop.example. 60 IN A 192.0.2.4", "shop.example. 60 IN A 192.0.2.5",
		"shop.example. 60 IN AAAA 2606:4700::1",
	)
	res := scan(t, env, "shop.example", 5*time.Second)
	f := portsFacts(t, res)
	if res.Status != recon.StatusOK || len(f.Hosts) != 7 {
		t.Fatalf("result %+v hosts %d", res, len(f.Hosts))
	}
	cdns := 0
	for _, h := range f.Hosts {
		if h.CDN == "cloudflare" {
			cdns++
		}
	}
	if cdns != 2 {
		t.Errorf("%d CDN edges, want 2 (104.16.1.1, 2606:4700::1)", cdns)
	}
	if m := maxInFlight.Load(); m > maxParallel {
		t.Errorf("%d requests in flight, limit %d", m, maxParallel)
	}
}

func TestNotFound(t *testing.T) {
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"detail":"No information available"}`)
	})
	res := scan(t, env, "192.0.2.1", 5*time.Second)
	f := portsFacts(t, res)
	if res.Status != recon.StatusOK || len(f.Hosts) != 1 || !f.Hosts[0].NoData || f.Hosts[0].IP != "192.0.2.1" {
		t.Fatalf("result %+v facts %+v", res, f)
	}
}

func TestRateLimited(t *testing.T) {
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	before := time.Now()
	res := scan(t, env, "192.0.2.1", 5*time.Second)
	if res.Status != recon.StatusRateLimited || !strings.Contains(res.Err, "429") || !strings.Contains(res.Err, "2m0s") {
		t.Fatalf("result %+v", res)
	}
	if f := portsFacts(t, res); len(f.Hosts) != 0 {
		t.Errorf("rate limit shown as results: %+v", f.Hosts)
	}
	var st recon.SourceStats
	for _, s := range env.Sources.Snapshot() {
		if s.Service == Service {
			st = s
		}
	}
	if st.RateLimited != 1 || st.LimitedUntil.Before(before.Add(119*time.Second)) {
		t.Errorf("source stats %+v", st)
	}
}

func TestServerErrorRetriedOnce(t *testing.T) {
	var n atomic.Int32
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "upstream down", http.StatusInternalServerError)
	})
	res := scan(t, env, "192.0.2.1", 5*time.Second)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "500") || !strings.Contains(res.Err, "retry") {
		t.Fatalf("result %+v", res)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2 (one retry)", n.Load())
	}

	n.Store(0)
	env = setup(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, hostBody("192.0.2.1", `[25]`, `[]`, `[]`))
	})
	res = scan(t, env, "192.0.2.1", 5*time.Second)
	if res.Status != recon.StatusOK || portsFacts(t, res).Hosts[0].Ports[0] != 25 {
		t.Fatalf("after a retry: %+v", res)
	}
}

func TestMalformed(t *testing.T) {
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ip":"192.0.2.1","ports":[80,`)
	})
	res := scan(t, env, "192.0.2.1", 5*time.Second)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "not valid JSON") {
		t.Fatalf("result %+v", res)
	}
}

func TestSlowServer(t *testing.T) {
	release := make(chan struct{})
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	begin := time.Now()
	res := scan(t, env, "192.0.2.1", 200*time.Millisecond)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "deadline") {
		t.Fatalf("result %+v", res)
	}
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestOversizedBody(t *testing.T) {
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, hostBody("192.0.2.1", `[80]`, `["`+strings.Repeat("a", 4096)+`.example"]`, `[]`))
	})
	env.Limits.MaxBody = 1024
	res := scan(t, env, "192.0.2.1", 5*time.Second)
	if res.Status != recon.StatusError || !strings.Contains(res.Err, "larger than 1024 bytes") {
		t.Fatalf("result %+v", res)
	}
}

func TestNonPublicNotAsked(t *testing.T) {
	var n atomic.Int32
	env := setup(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1) },
		"evil.example. 60 IN A 10.0.0.1", "evil.example. 60 IN A 169.254.169.254")
	env.Lab = false
	res := scan(t, env, "evil.example", 5*time.Second)
	if res.Status != recon.StatusSkipped || !strings.Contains(res.Err, "169.254.169.254") || n.Load() != 0 {
		t.Fatalf("result %+v, %d requests", res, n.Load())
	}
}

func TestPartialFailure(t *testing.T) {
	var mu sync.Mutex
	env := setup(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/192.0.2.2" {
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, hostBody(strings.TrimPrefix(r.URL.Path, "/"), `[443]`, `[]`, `[]`))
	}, "two.example. 60 IN A 192.0.2.1", "two.example. 60 IN A 192.0.2.2")
	res := scan(t, env, "two.example", 5*time.Second)
	f := portsFacts(t, res)
	if res.Status != recon.StatusRateLimited || len(f.Hosts) != 1 || f.Hosts[0].IP != "192.0.2.1" {
		t.Fatalf("result %+v facts %+v", res, f)
	}
}
