package stixcheck_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/export"
	"github.com/netspecter/netspecter-tui/export/internal/stixcheck"
	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// labSession investigates the demo world for real (loopback lab, every
// module): the nova case plus the two contrasting domains, depth 2.
func labSession(t *testing.T) *pivot.Session {
	t.Helper()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	l, err := lab.Start(context.Background(), lab.Demo(), lab.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	sc := recon.NewScanner(l.Env(), modules.All())
	scan := func(ctx context.Context, tg recon.Target) *recon.Report { return sc.Scan(ctx, tg, recon.ScanOptions{}) }
	s := pivot.NewSession(now)
	for _, root := range []string{"nova-parcels.com", "meridian-freight.com", "parcelpoint-status.com"} {
		tg, _ := recon.ParseTarget(root)
		if err := pivot.Investigate(context.Background(), s, tg, scan, pivot.InvestigateOptions{Depth: 2, Now: func() time.Time { return now }}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestSTIXOfTheDemoInvestigation validates every object of the bundle made
// from a real investigation of the demo world against the official
// schemas (the other STIX tests use a hand-built session).
func TestSTIXOfTheDemoInvestigation(t *testing.T) {
	st := stixcheck.Load(t)
	s := labSession(t)
	var b bytes.Buffer
	if err := export.Write(&b, "stix", s, export.Options{Now: time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	objs := stixcheck.CheckBundle(t, st, b.Bytes())
	if len(objs) < 50 {
		t.Fatalf("only %d objects from the demo investigation", len(objs))
	}
	groupings := 0
	for _, o := range objs {
		if o["type"] == "grouping" {
			groupings++
		}
	}
	if groupings != 1 {
		t.Errorf("%d groupings, want 1 (the nova cluster)", groupings)
	}
}
