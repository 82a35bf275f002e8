package pivot

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// investigated returns a session of nova-parcels.com at depth 1 on w.
func investigated(t *testing.T, w *world) *Session {
	t.Helper()
	s := NewSession(t0)
	if err := Investigate(t.Context(), s, domainTarget("nova-parcels.com"), w.scan, InvestigateOptions{Depth: 1, Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRescan(t *testing.T) {
	before := newWorld(novaParcels, novaTracking, novaReturns).ip("185.220.101.47")
	s := investigated(t, before)
	scanned := len(s.Rescannable())
	if scanned != 4 {
		t.Fatalf("%d scanned entities, want 4 (the root, two SANs, the IP)", scanned)
	}
	after := newWorld(moved, novaTracking, novaReturns).ip("185.220.101.47")
	later := t0.Add(24 * time.Hour)
	var last Progress
	err := Rescan(t.Context(), s, after.scan, RescanOptions{Concurrency: 2, Now: func() time.Time { return later },
		Progress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	if last.Done != 4 || last.Total != 4 || last.Running != 0 || last.Queued != 0 {
		t.Errorf("progress %+v", last)
	}
	if got := len(after.scanned()); got != 4 {
		t.Errorf("rescanned %v", after.scanned())
	}
	root := s.Entity("domain:nova-parcels.com")
	if len(root.History) != 1 || !root.History[0].At.Equal(t0) || !root.ScannedAt.Equal(later) ||
		recon.FactsOf[recon.DNSFacts](root.Scan, "dns").A[0] != "193.0.2.10" {
		t.Errorf("root after rescan: history %d, scanned at %v", len(root.History), root.ScannedAt)
	}
	// The new SAN is in the tree, unscanned; the old state is still readable.
	if e := s.Entity("domain:nova-refunds.org"); e == nil || e.Scan != nil {
		t.Errorf("new SAN: %+v", e)
	}
	if e := s.AsOf(t0).Entity("domain:nova-refunds.org"); e != nil {
		t.Error("the new SAN is in the state before the rescan")
	}
}

func TestRescanFailureKeepsReport(t *testing.T) {
	s := investigated(t, newWorld(novaParcels, novaTracking, novaReturns).ip("185.220.101.47"))
	empty := newWorld() // every scan returns no report
	var last Progress
	if err := Rescan(t.Context(), s, empty.scan, RescanOptions{Progress: func(p Progress) { last = p }}); err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Entities() {
		if e.Rescanned() || (e.Scan != nil && e.State != StateDone) {
			t.Errorf("%s: state %q, history %d", e.Value, e.State, len(e.History))
		}
	}
	if last.Failed != 4 || last.Done != 0 {
		t.Errorf("progress %+v", last)
	}
}

func TestRescanBoundedAndCancellable(t *testing.T) {
	const limit = 2
	s := investigated(t, newWorld(novaParcels, novaTracking, novaReturns).ip("185.220.101.47"))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var inflight, peak, started atomic.Int32
	var once sync.Once
	scan := func(ctx context.Context, tg recon.Target) *recon.Report {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if started.Add(1) == limit {
			once.Do(cancel) // two in flight: stop
		}
		<-ctx.Done()
		if tg.Value == "nova-parcels.com" {
			return moved.report() // a scan that finished as it was cancelled is kept
		}
		return nil
	}
	before := runtime.NumGoroutine()
	err := Rescan(ctx, s, scan, RescanOptions{Concurrency: limit, Now: func() time.Time { return t0.Add(time.Hour) }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	noLeak(t, before)
	if peak.Load() != limit || started.Load() != limit {
		t.Errorf("peak %d, started %d; want %d", peak.Load(), started.Load(), limit)
	}
	rescanned := 0
	for _, e := range s.Entities() {
		if e.Rescanned() {
			rescanned++
		}
		if e.Scan != nil && e.State != StateDone {
			t.Errorf("%s left %q", e.Value, e.State)
		}
	}
	if rescanned != 1 || !s.Entity("domain:nova-parcels.com").Rescanned() {
		t.Errorf("%d rescanned, want only nova-parcels.com", rescanned)
	}
}
