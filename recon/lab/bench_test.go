package lab_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/headers"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

const bench300 = "../../testdata/lab/bench300.json"

func benchLab(b *testing.B, w *lab.World, latency time.Duration) *lab.Lab {
	b.Helper()
	l, err := lab.Start(context.Background(), w, lab.Options{Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

func loadWorld(b *testing.B, path string) *lab.World {
	b.Helper()
	w, err := lab.LoadWorldFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// tracer collects the round trips of one scan (recon.TraceEvent).
type tracer struct {
	mu     sync.Mutex
	events []recon.TraceEvent
}

func (t *tracer) add(ev recon.TraceEvent) {
	t.mu.Lock()
	t.events = append(t.events, ev)
	t.mu.Unlock()
}

// tracedEnv is a fresh lab Env (new HTTP client: no connection reuse
// between scans, as in a new process) whose DNS and TCP round trips go to t.
func tracedEnv(l *lab.Lab, t *tracer) *recon.Env {
	env := l.Env()
	env.Trace = t.add
	env.Dial = recon.TraceDial(env.Dial, t.add)
	env.HTTP = recon.NewHTTPClient(env.Dial, env.RootCAs, 15*time.Second, env.Limits.MaxRedirects)
	return env
}

// BenchmarkFullScan is one Full Scan of the demo's nova-parcels.com against
// the lab at latency 0 and 200 ms. The technology index is built before
// the timer starts (in a fresh process it is built while the lab starts,
// see headers.Warm). It logs the critical path of the last scan: the module
// that finished last and the round trips it waited for.
func BenchmarkFullScan(b *testing.B) {
	headers.Tech(nil, nil) // compile the fingerprints outside the timer
	for _, lat := range []time.Duration{0, 200 * time.Millisecond} {
		b.Run("latency="+lat.String(), func(b *testing.B) {
			l := benchLab(b, lab.Demo(), lat)
			target := recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}
			var rep *recon.Report
			var tr *tracer
			var began time.Time
			for b.Loop() {
				tr = &tracer{}
				sc := recon.NewScanner(tracedEnv(l, tr), modules.All())
				began = time.Now()
				rep = sc.Scan(context.Background(), target, recon.ScanOptions{})
			}
			b.ReportMetric(float64(rep.DurationMS), "scan-ms")
			b.Log(criticalPath(rep, tr, began))
		})
	}
}

// criticalPath names the module that finished last and lists its round
// trips (and the target's A/AAAA lookups, shared by every module).
func criticalPath(rep *recon.Report, tr *tracer, began time.Time) string {
	last := ""
	for id, m := range rep.Modules {
		if last == "" || m.DurationMS > rep.Modules[last].DurationMS || (m.DurationMS == rep.Modules[last].DurationMS && id < last) {
			last = id
		}
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	evs := slices.Clone(tr.events)
	slices.SortFunc(evs, func(a, b recon.TraceEvent) int { return a.Start.Compare(b.Start) })
	var sb strings.Builder
	fmt.Fprintf(&sb, "critical path: %s finished last, %d ms (scan %d ms); its round trips:", last, rep.Modules[last].DurationMS, rep.DurationMS)
	ms := func(t time.Time) int64 { return t.Sub(began).Milliseconds() }
	for _, ev := range evs {
		shared := ev.Module != last && strings.HasPrefix(ev.What, "dns A") && strings.HasSuffix(ev.What, " "+rep.Target.Value)
		if ev.Module != last && !shared {
			continue
		}
		note := ""
		if shared {
			note = " (shared, asked by " + ev.Module + ")"
		}
		fmt.Fprintf(&sb, "\n  %4d → %4d ms  %s%s", ms(ev.Start), ms(ev.End), ev.What, note)
	}
	return sb.String()
}

// BenchmarkInvestigate300 follows the 300 SANs of bench300's certificate
// (300 scans) at lab latency 50 ms, 32 scans at once (the CLI's default),
// without the CLI's autosave: the engine's ceiling for the fan-out row of
// scripts/bench. It logs where the time goes: the root scan (its pivots
// are needed before the level starts), the span of the level, how long a
// scan took on average and how many were in flight.
func BenchmarkInvestigate300(b *testing.B) {
	l := benchLab(b, loadWorld(b, bench300), 50*time.Millisecond)
	sc := recon.NewScanner(l.Env(), modules.All())
	var mu sync.Mutex
	type span struct{ t0, t1 time.Time }
	var spans []span
	scan := func(ctx context.Context, t recon.Target) *recon.Report {
		t0 := time.Now()
		r := sc.Scan(ctx, t, recon.ScanOptions{})
		mu.Lock()
		spans = append(spans, span{t0, time.Now()})
		mu.Unlock()
		return r
	}
	root := recon.Target{Kind: recon.KindDomain, Value: "bench000.net"}
	for b.Loop() {
		spans = spans[:0]
		s := pivot.NewSession(time.Now())
		err := pivot.Investigate(context.Background(), s, root, scan, pivot.InvestigateOptions{Depth: 1, Follow: []pivot.Follow{pivot.FollowSAN}, MaxScans: 400, Concurrency: 32})
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.SortFunc(spans, func(x, y span) int { return x.t0.Compare(y.t0) })
	if len(spans) > 1 {
		var busy time.Duration
		end := spans[1].t1
		for _, sp := range spans[1:] {
			busy += sp.t1.Sub(sp.t0)
			if sp.t1.After(end) {
				end = sp.t1
			}
		}
		level := end.Sub(spans[1].t0)
		b.Logf("root scan %v; level of %d scans %v; a scan %v on average, %.1f in flight",
			spans[0].t1.Sub(spans[0].t0).Round(time.Millisecond), len(spans)-1, level.Round(time.Millisecond),
			(busy / time.Duration(len(spans)-1)).Round(time.Millisecond), float64(busy)/float64(level))
	}
}

// BenchmarkFanOutLimits shows that per-service rate limits hold while 32
// scans (the CLI's default) run at once: bench300's fan-out (40 scans) with the real-mode
// default limits scaled ×10 (so it takes seconds, not minutes) must never
// send more requests to a service in any one-second window than its token
// bucket allows (rate + burst). WHOIS requests are counted at the dialer
// (one connection per query), the HTTP APIs in the lab's request log. It
// reports the busiest second of each service.
func BenchmarkFanOutLimits(b *testing.B) {
	limits := recon.DefaultRateLimits()
	for k := range limits {
		limits[k] *= 10
	}
	l := benchLab(b, loadWorld(b, bench300), 0)
	for b.Loop() {
		env := l.Env()
		env.Sources = recon.NewSources(limits)
		var mu sync.Mutex
		var whois []time.Time
		dial := env.Dial
		env.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if strings.HasSuffix(addr, ":43") {
				mu.Lock()
				whois = append(whois, time.Now())
				mu.Unlock()
			}
			return dial(ctx, network, addr)
		}
		env.HTTP = recon.NewHTTPClient(env.Dial, env.RootCAs, 15*time.Second, env.Limits.MaxRedirects)
		sc := recon.NewScanner(env, modules.All())
		scan := func(ctx context.Context, t recon.Target) *recon.Report { return sc.Scan(ctx, t, recon.ScanOptions{}) }
		s := pivot.NewSession(time.Now())
		since := time.Now()
		err := pivot.Investigate(context.Background(), s, recon.Target{Kind: recon.KindDomain, Value: "bench000.net"}, scan,
			pivot.InvestigateOptions{Depth: 1, Follow: []pivot.Follow{pivot.FollowSAN}, MaxScans: 40, Concurrency: 32})
		if err != nil {
			b.Fatal(err)
		}
		seen := map[string][]time.Time{"whois": whois}
		for _, svc := range []string{"certspotter", "internetdb"} {
			for _, r := range l.Requests(svc) {
				if !r.At.Before(since) {
					seen[svc] = append(seen[svc], r.At)
				}
			}
		}
		for svc, times := range seen {
			rps := limits[svc]
			// A second's tokens plus the burst, plus 2 for scheduling
			// jitter between the client's limiter and the lab's log.
			allowed := int(rps) + int(rps+0.999) + 2
			got := busiestSecond(times)
			if len(times) == 0 {
				b.Fatalf("%s: no requests seen; the bench does not exercise it", svc)
			}
			if got > allowed {
				b.Fatalf("%s: %d requests in one second, limit %.0f/s (bucket allows %d)", svc, got, rps, allowed)
			}
			b.ReportMetric(float64(got), svc+"-max/s")
			b.ReportMetric(rps, svc+"-limit/s")
		}
	}
}

// busiestSecond returns the most events in any one-second window.
func busiestSecond(ts []time.Time) int {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= time.Second {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}
