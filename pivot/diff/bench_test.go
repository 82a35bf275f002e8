package diff

import (
	"fmt"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// BenchmarkCompare: a session of 1,000 scanned domains (about 10,000 nodes)
// against itself after a rescan that moved every tenth domain — the work
// the workbench does after each scan once R has run.
func BenchmarkCompare(b *testing.B) {
	s := pivot.NewSession(t0)
	var roots []string
	for i := range 1000 {
		d := parcels.with(func(d *site) {
			d.name = fmt.Sprintf("d%04d.example", i)
			d.ips = []string{fmt.Sprintf("10.%d.%d.1", i/256, i%256)}
			d.sans = []string{fmt.Sprintf("www.d%04d.example", i), fmt.Sprintf("d%04d.example.net", i)}
		})
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.name})
		s.Attach(n.ID, d.report(), t0)
		roots = append(roots, n.ID)
	}
	for i, id := range roots {
		if i%10 == 0 {
			rep := s.Node(id).Entity.Scan
			d := parcels.with(func(d *site) { d.name = rep.Target.Value; d.ips = []string{"192.0.2.1"} })
			s.Attach(id, d.report(), t0.Add(time.Hour))
		}
	}
	b.Logf("%d nodes", s.Len())
	b.ResetTimer()
	for b.Loop() {
		r := Compare(s.AsOf(t0.Add(time.Minute)), s)
		if len(r.Changed) == 0 {
			b.Fatal("no changes")
		}
	}
}
