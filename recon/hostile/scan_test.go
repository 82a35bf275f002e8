package hostile

import (
	"net/http"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon/headers"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
)

// TestScanEveryDomainBounded scans every domain of the hostile world (and
// the IP with the hostile PTR) at once with every module: each module ends
// within its timeout, nothing panics, and the heap stays bounded although
// the world serves a 20 MB WHOIS answer, a 1 GB CT answer, a header bomb
// and a 5,000-SAN certificate.
func TestScanEveryDomainBounded(t *testing.T) {
	w := loadWorld(t)
	l := startLab(t, w, lab.Options{})
	env := l.Env()
	shortLimits(env)
	var targets []recon.Target
	for _, d := range domains(w) {
		targets = append(targets, target(t, d))
	}
	targets = append(targets, target(t, "203.0.113.10"))

	// The headers module builds its technology index once per process
	// (about 2 MB live; wappalyzergo's own compile held 95 MB): build it
	// first, and collect garbage
	// more eagerly, so that the peak measures what the hostile answers
	// cost, not how far the collector let garbage grow.
	headers.Tech(http.Header{}, nil)
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc

	stop := heapPeak()
	start := time.Now()
	reps := scanAll(env, targets)
	wall := time.Since(start)
	peak := stop()

	const slack = 1500 * time.Millisecond // the scanner's grace period and scheduling on 2 cores
	var longest time.Duration
	var longestWhat string
	for _, tg := range targets {
		rep := reps[tg.Value]
		if rep == nil {
			t.Fatalf("%s: no report", tg.Value)
		}
		for _, id := range recon.SortedModuleIDs(rep) {
			m := rep.Modules[id]
			d := time.Duration(m.DurationMS) * time.Millisecond
			if d > longest {
				longest, longestWhat = d, tg.Value+"/"+id
			}
			if d > moduleTimeout+slack {
				t.Errorf("%s/%s ran %s, beyond the %s module timeout", tg.Value, id, d, moduleTimeout)
			}
			if m.Status == recon.StatusError && containsAny(m.Err, "internal error in module") {
				t.Errorf("%s/%s panicked: %s", tg.Value, id, m.Err)
			}
			t.Logf("%-22s %-10s %-12s %5dms %.160q", tg.Value, id, m.Status, m.DurationMS, m.Err)
		}
	}
	t.Logf("peak heap %.1f MB (%.1f MB before the scans); longest module %s (%s); wall %s", float64(peak)/(1<<20), float64(base)/(1<<20), longest, longestWhat, wall)
	if raceEnabled {
		return
	}
	if peak > 200<<20 || peak-base > 120<<20 {
		t.Errorf("peak heap %d MB (%d MB above the start), want < 200 MB (and < 120 MB above the start)", peak>>20, (peak-base)>>20)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if len(sub) > 0 && len(s) >= len(sub) {
			for i := 0; i+len(sub) <= len(s); i++ {
				if s[i:i+len(sub)] == sub {
					return true
				}
			}
		}
	}
	return false
}
