package lab_test

import (
	"context"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

func benchLab(b *testing.B, world string, latency time.Duration) *lab.Lab {
	b.Helper()
	w, err := lab.LoadWorldFile(world)
	if err != nil {
		b.Fatal(err)
	}
	l, err := lab.Start(context.Background(), w, lab.Options{Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// BenchmarkInvestigate300 follows the 300 SANs of bench300's certificate.
func BenchmarkInvestigate300(b *testing.B) {
	l := benchLab(b, "../../testdata/lab/bench300.json", 0)
	sc := recon.NewScanner(l.Env(), modules.All())
	scan := func(ctx context.Context, t recon.Target) *recon.Report { return sc.Scan(ctx, t, recon.ScanOptions{}) }
	root := recon.Target{Kind: recon.KindDomain, Value: "bench000.net"}
	for b.Loop() {
		s := pivot.NewSession(time.Now())
		err := pivot.Investigate(context.Background(), s, root, scan, pivot.InvestigateOptions{Depth: 1, Follow: []pivot.Follow{pivot.FollowSAN}, MaxScans: 400, Concurrency: 16})
		if err != nil {
			b.Fatal(err)
		}
	}
}

