package pivot

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// world is a fake ScanFunc over hand-built reports; it counts scans.
type world struct {
	mu    sync.Mutex
	reps  map[string]*recon.Report
	calls map[string]int
}

func newWorld(doms ...dom) *world {
	w := &world{reps: map[string]*recon.Report{}, calls: map[string]int{}}
	for _, d := range doms {
		w.reps[d.name] = d.report()
	}
	return w
}

func (w *world) ip(ip string, ptr ...string) *world {
	r := &recon.Report{Target: recon.Target{Kind: recon.KindIP, Value: ip}, Modules: map[string]*recon.ModuleResult{}}
	var piv []recon.Pivot
	for _, p := range ptr {
		piv = append(piv, recon.Pivot{Kind: recon.PivotDomain, Value: p, Relation: recon.RelPTR})
	}
	r.Modules["dns"] = &recon.ModuleResult{Status: recon.StatusOK, Facts: &recon.DNSFacts{Name: ip, PTR: ptr}, Pivots: piv}
	w.reps[ip] = r
	return w
}

func (w *world) scan(_ context.Context, t recon.Target) *recon.Report {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls[t.Value]++
	return w.reps[t.Value] // nil for an unknown name: a failed scan
}

func (w *world) scanned() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for k, n := range w.calls {
		out = append(out, k)
		if n != 1 {
			out = append(out, "DUPLICATE:"+k)
		}
	}
	slices.Sort(out)
	return out
}

func domainTarget(v string) recon.Target { return recon.Target{Kind: recon.KindDomain, Value: v} }

func fixedNow() time.Time { return t0 }

func TestInvestigateDepthAndFollow(t *testing.T) {
	mk := func() *world {
		return newWorld(novaParcels, novaTracking, novaReturns).ip("185.220.101.47", "srv47.bulletproof.example")
	}
	cases := []struct {
		name    string
		opts    InvestigateOptions
		scanned []string
	}{
		{"depth 0", InvestigateOptions{Depth: 0}, []string{"nova-parcels.com"}},
		{"depth 1 defaults", InvestigateOptions{Depth: 1},
			[]string{"185.220.101.47", "nova-parcels.com", "nova-returns.co", "nova-tracking.net"}},
		{"depth 2 defaults: SANs, IPs, not NS", InvestigateOptions{Depth: 2},
			[]string{"185.220.101.47", "nova-parcels.com", "nova-returns.co", "nova-tracking.net"}},
		{"depth 2 with ptr", InvestigateOptions{Depth: 2, Follow: []Follow{FollowSAN, FollowIP, FollowPTR}},
			[]string{"185.220.101.47", "nova-parcels.com", "nova-returns.co", "nova-tracking.net", "srv47.bulletproof.example"}},
		{"ns only", InvestigateOptions{Depth: 1, Follow: []Follow{FollowNS}},
			[]string{"dns1.registrar-servers.com", "dns2.registrar-servers.com", "nova-parcels.com"}},
		{"max scans", InvestigateOptions{Depth: 2, MaxScans: 2}, []string{"185.220.101.47", "nova-parcels.com"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := mk()
			s := NewSession(t0)
			tc.opts.Now = fixedNow
			var last Progress
			tc.opts.Progress = func(p Progress) { last = p }
			if err := Investigate(t.Context(), s, domainTarget("nova-parcels.com"), w.scan, tc.opts); err != nil {
				t.Fatal(err)
			}
			got := w.scanned()
			if !reflect.DeepEqual(got, tc.scanned) {
				t.Fatalf("scanned %v, want %v", got, tc.scanned)
			}
			if last.Running != 0 || last.Queued != 0 || last.Done+last.Failed != len(tc.scanned) || last.Total != len(tc.scanned) {
				t.Errorf("final progress %+v", last)
			}
			for _, e := range s.Entities() {
				if e.State == StateQueued || e.State == StateRunning {
					t.Errorf("%s left %s", e.Key, e.State)
				}
			}
		})
	}
}

func TestInvestigateDedupAcrossPaths(t *testing.T) {
	// root r.example has SANs x and y; both x and y have SAN z.
	w := newWorld(
		dom{name: "r.example", cert: "c0", sans: []string{"x.example", "y.example"}},
		dom{name: "x.example", cert: "c1", sans: []string{"z.example", "r.example"}},
		dom{name: "y.example", cert: "c2", sans: []string{"z.example"}},
		dom{name: "z.example", cert: "c3", sans: []string{"leaf.example"}},
		dom{name: "leaf.example"},
	)
	s := NewSession(t0)
	err := Investigate(t.Context(), s, domainTarget("r.example"), w.scan, InvestigateOptions{Depth: 3, Concurrency: 4, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.scanned(), []string{"leaf.example", "r.example", "x.example", "y.example", "z.example"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("scanned %v, want %v", got, want)
	}
	z := s.NodesOf("domain:z.example")
	if len(z) != 2 {
		t.Fatalf("z.example has %d nodes, want 2 (under x and under y)", len(z))
	}
	if s.Node(s.Node(z[0]).Parent).Value != "x.example" || s.Node(s.Node(z[1]).Parent).Value != "y.example" {
		t.Errorf("z parents not in queue order")
	}
	if s.Node(z[0]).Entity.Scan == nil || s.Node(z[0]).Entity != s.Node(z[1]).Entity {
		t.Error("the two nodes of z.example do not share the scan")
	}
	if len(s.Node(z[1]).Children) != 0 {
		t.Error("the second node of z.example was expanded again")
	}
	if leaf := s.Entity("domain:leaf.example"); leaf == nil || leaf.Scan == nil || leaf.ScannedAt != t0 {
		t.Errorf("leaf %+v", leaf)
	}
	if s.Entity("domain:missing.example") != nil {
		t.Error("phantom entity")
	}
}

func TestInvestigateDeterministicTree(t *testing.T) {
	doms := []dom{{name: "r.example", cert: "c0", sans: []string{"a.example", "b.example", "c.example", "d.example", "e.example"}}}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		doms = append(doms, dom{name: n + ".example", ips: []string{"5.5.5." + itoa(len(n)+int(n[0]))}, cert: "c" + n, sans: []string{"s" + n + ".example", "a.example"}})
	}
	var first []byte
	for i := range 5 {
		s := NewSession(t0)
		w := newWorld(doms...)
		// finish scans in reverse order of launch to shake completion order
		var gate sync.Mutex
		scan := func(ctx context.Context, tg recon.Target) *recon.Report {
			gate.Lock()
			gate.Unlock()
			return w.scan(ctx, tg)
		}
		if err := Investigate(t.Context(), s, domainTarget("r.example"), scan, InvestigateOptions{Depth: 2, Concurrency: 1 + i, Now: fixedNow}); err != nil {
			t.Fatal(err)
		}
		b, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("run %d built another tree:\n%s", i, firstDiff(first, b))
		}
	}
}

func TestInvestigateConcurrency(t *testing.T) {
	const limit = 3
	sans := []string{"a.example", "b.example", "c.example", "d.example", "e.example", "f.example", "g.example"}
	w := newWorld(dom{name: "r.example", cert: "c", sans: sans})
	for _, n := range sans {
		w.reps[n] = dom{name: n}.report()
	}
	var inflight, peak atomic.Int32
	full := make(chan struct{})
	var once sync.Once
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	scan := func(ctx context.Context, tg recon.Target) *recon.Report {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if tg.Value != "r.example" {
			if n == limit {
				once.Do(func() { close(full) })
			}
			select { // hold every child scan until `limit` of them run at once
			case <-full:
			case <-ctx.Done():
				return nil
			}
		}
		return w.scan(ctx, tg)
	}
	before := runtime.NumGoroutine()
	if err := Investigate(ctx, NewSession(t0), domainTarget("r.example"), scan, InvestigateOptions{Depth: 1, Concurrency: limit}); err != nil {
		t.Fatalf("Investigate: %v (never reached %d scans at once?)", err, limit)
	}
	noLeak(t, before)
	if got := peak.Load(); got != limit {
		t.Errorf("peak %d scans in flight, want %d", got, limit)
	}
	if len(w.scanned()) != len(sans)+1 {
		t.Errorf("scanned %v", w.scanned())
	}
}

func TestInvestigateCancel(t *testing.T) {
	sans := []string{"a.example", "b.example", "c.example", "d.example", "e.example"}
	w := newWorld(dom{name: "r.example", cert: "c", sans: sans})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var started, returned atomic.Int32
	scan := func(ctx context.Context, tg recon.Target) *recon.Report {
		if tg.Value == "r.example" {
			return w.scan(ctx, tg)
		}
		if started.Add(1) == 2 {
			cancel() // two child scans are in flight: stop the investigation
		}
		<-ctx.Done() // a scan that only ends when cancelled
		returned.Add(1)
		if tg.Value == "a.example" {
			return dom{name: "a.example", sans: []string{"deeper.example"}, cert: "x"}.report() // a partial result is kept
		}
		return nil
	}
	before := runtime.NumGoroutine()
	s := NewSession(t0)
	var last Progress
	err := Investigate(ctx, s, domainTarget("r.example"), scan, InvestigateOptions{Depth: 3, Concurrency: 2, Now: fixedNow,
		Progress: func(p Progress) { last = p }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	noLeak(t, before)
	if started.Load() != 2 || returned.Load() != 2 {
		t.Errorf("started %d, returned %d: in-flight scans must be waited for, nothing more launched", started.Load(), returned.Load())
	}
	if s.Entity("domain:r.example").State != StateDone || s.Entity("domain:a.example").Scan == nil {
		t.Error("results found before the cancel are lost")
	}
	if s.Entity("domain:deeper.example") == nil || s.Entity("domain:deeper.example").Scan != nil {
		t.Error("pivots of the partial scan should be in the tree, unscanned")
	}
	for _, n := range sans[1:] {
		if e := s.Entity(KeyOf(recon.PivotDomain, n)); e.State != StateNone || e.Scan != nil {
			t.Errorf("%s: state %q, want not scanned", n, e.State)
		}
	}
	if last.Running != 0 || last.Queued != 0 || last.Done != 2 || last.Failed != 0 {
		t.Errorf("final progress %+v", last)
	}
	// the session can be saved and the investigation resumed
	if _, err := Marshal(s); err != nil {
		t.Fatal(err)
	}
	w2 := newWorld(dom{name: "r.example"}, dom{name: "b.example"}, dom{name: "c.example"}, dom{name: "d.example"}, dom{name: "e.example"}, dom{name: "deeper.example"})
	if err := Investigate(t.Context(), s, domainTarget("r.example"), w2.scan, InvestigateOptions{Depth: 3, Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if got, want := w2.scanned(), []string{"b.example", "c.example", "d.example", "deeper.example", "e.example"}; !reflect.DeepEqual(got, want) {
		t.Errorf("resume scanned %v, want %v (done entities are not rescanned)", got, want)
	}
}

func TestInvestigateFailures(t *testing.T) {
	w := newWorld(dom{name: "r.example", cert: "c", sans: []string{"gone.example", "*.wild.example", "ok.example"}}, dom{name: "ok.example"})
	s := NewSession(t0)
	var fails []string
	failed := 0
	err := Investigate(t.Context(), s, domainTarget("r.example"), w.scan, InvestigateOptions{Depth: 1, Now: fixedNow,
		Progress: func(p Progress) {
			if p.Failed > failed && p.Last != "" {
				fails = append(fails, p.Last+": "+p.Err)
			}
			failed = p.Failed
		}})
	if err != nil {
		t.Fatal(err)
	}
	if e := s.Entity("domain:gone.example"); e.State != StateFailed || e.Err == "" {
		t.Errorf("gone.example: %+v", e)
	}
	if e := s.Entity("domain:*.wild.example"); e.State != StateFailed || e.Err == "" {
		t.Errorf("wildcard: %+v", e)
	}
	if s.Entity("domain:ok.example").State != StateDone {
		t.Error("ok.example not scanned")
	}
	if len(fails) != 2 || !strings.HasPrefix(fails[0], "*.wild.example: ") || !strings.HasPrefix(fails[1], "gone.example: ") {
		t.Errorf("progress errors %q", fails)
	}
	if err := Investigate(t.Context(), s, domainTarget("r.example"), nil, InvestigateOptions{}); err == nil {
		t.Error("nil ScanFunc accepted")
	}
}

// noLeak fails when goroutines started during the test are still alive.
func noLeak(t *testing.T, before int) {
	t.Helper()
	// A goroutine that has ended may still be counted for a moment; on a
	// loaded machine under -race that moment outlasted 10,000 Gosched calls.
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines leaked", n-before)
	}
}

func TestParseFollow(t *testing.T) {
	cases := []struct {
		in   string
		want []Follow
		err  string
	}{
		{"san,ip,ns", []Follow{FollowSAN, FollowIP, FollowNS}, ""},
		{" SAN , ptr,,san", []Follow{FollowSAN, FollowPTR}, ""},
		{"mx,subdomain,cname,hostname", []Follow{FollowMX, FollowSubdomain, FollowCNAME, FollowHostname}, ""},
		{"san,asn", nil, `unknown pivot to follow "asn"; use a comma-separated list of san, ip, ns, mx, subdomain, ptr, cname, hostname`},
		{"", nil, "nothing to follow"},
	}
	for _, tc := range cases {
		got, err := ParseFollow(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseFollow(%q) err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFollow(%q) = %v, %v", tc.in, got, err)
		}
	}
}
