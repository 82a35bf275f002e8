package hostile

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/ctlog"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// TestRateLimitedNeverNoResults: Cert Spotter and crt.sh answer 429 with
// Retry-After: 1. The module waits the second, asks once more, and reports
// rate-limited — never "ok" with no subdomains.
func TestRateLimitedNeverNoResults(t *testing.T) {
	w := loadWorld(t)
	w.RateLimits = []lab.RateLimit{{Service: "certspotter", PerSecond: 0, RetryAfter: 1}, {Service: "crtsh", PerSecond: 0, RetryAfter: 1}}
	l := startLab(t, w, lab.Options{})
	env := l.Env()
	shortLimits(env)
	rep := recon.NewScanner(env, modules.All()).Scan(context.Background(), target(t, "term-escapes.com"), recon.ScanOptions{Only: []string{"subdomains"}})
	m := rep.Module("subdomains")
	if m.Status != recon.StatusRateLimited || !strings.Contains(m.Err, "rate-limiting") {
		t.Fatalf("subdomains %s %q, want rate-limited", m.Status, m.Err)
	}
	for _, s := range rep.Assessment.Signals {
		if s.Rule == "no-subdomains" {
			t.Errorf("a rate limit was read as no results: %q", s.Text)
		}
	}
	for _, svc := range []string{"certspotter", "crtsh"} {
		reqs := l.Requests(svc)
		if len(reqs) != 2 {
			t.Fatalf("%s got %d requests, want 2 (one, then one retry after Retry-After)", svc, len(reqs))
		}
		if gap := reqs[1].At.Sub(reqs[0].At); gap < 900*time.Millisecond {
			t.Errorf("%s: retried after %s, before the Retry-After of 1s", svc, gap)
		}
	}
	for _, st := range env.Sources.Snapshot() {
		if st.Service == "certspotter" && st.RateLimited != 2 {
			t.Errorf("sources: certspotter rate_limited %d, want 2", st.RateLimited)
		}
	}
}

// TestTokenBucketKeepsRate: the lab refuses more than 4 Cert Spotter
// requests in any second. Seven concurrent requests through Sources with a
// 2/s limit (burst 2) are spread out and never refused; without the limit
// the lab refuses some (so the limit is what kept them under).
func TestTokenBucketKeepsRate(t *testing.T) {
	const n, perSecond = 7, 2.0
	w := loadWorld(t)
	w.RateLimits = []lab.RateLimit{{Service: "certspotter", PerSecond: 4, RetryAfter: 30}}

	burst := func(sources *recon.Sources) []lab.APIRequest {
		l := startLab(t, w, lab.Options{})
		env := l.Env()
		env.Sources = sources
		c := &ctlog.Client{Env: env}
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, _ = c.Certspotter(context.Background(), ctlog.Query{Domain: "term-escapes.com", MaxPages: 1})
			}()
		}
		wg.Wait()
		return l.Requests("certspotter")
	}

	reqs := burst(recon.NewSources(map[string]float64{"certspotter": perSecond}))
	if len(reqs) != n {
		t.Fatalf("%d requests reached the lab, want %d", len(reqs), n)
	}
	maxWindow := 0
	for i, r := range reqs {
		if r.Limited {
			t.Errorf("request %d was refused with 429: the token bucket let too many through", i)
		}
		k := 0
		for _, s := range reqs[i:] {
			if s.At.Sub(r.At) < time.Second {
				k++
			}
		}
		maxWindow = max(maxWindow, k)
	}
	span := reqs[n-1].At.Sub(reqs[0].At)
	if want := time.Duration(float64(n-2) / perSecond * float64(time.Second)); span < want-200*time.Millisecond {
		t.Errorf("%d requests took %s, want at least %s at %.0f/s with a burst of 2", n, span, want, perSecond)
	}
	if maxWindow > 4 {
		t.Errorf("%d requests within one second, want at most 4 (burst 2 + 2/s)", maxWindow)
	}
	t.Logf("with the token bucket: %d requests over %s, at most %d in any second, none refused", n, span.Round(time.Millisecond), maxWindow)

	limited := 0
	for _, r := range burst(nil) {
		if r.Limited {
			limited++
		}
	}
	if limited == 0 {
		t.Error("without the token bucket the lab refused nothing: the lab's limit is not working")
	}
}
