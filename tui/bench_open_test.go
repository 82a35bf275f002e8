package tui

import (
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// BenchmarkOpenSession is the workbench opening a session file as
// cmd/netspecter-tui does: pivot.Open reads the tree, New and the first
// WindowSizeMsg and View draw the first frame while the reports decode,
// then the reports are put in place (reportsReadMsg) and the frame drawn
// again. NS_BENCH_SESSION names the file (scripts/bench passes the
// 92k-node bench300 session); without it the benchmark is skipped.
// first-frame-ms is launch → first frame minus the process start;
// complete-ms is until the reports are in place and drawn.
func BenchmarkOpenSession(b *testing.B) {
	path := os.Getenv("NS_BENCH_SESSION")
	if path == "" {
		b.Skip("NS_BENCH_SESSION not set")
	}
	var load, open, frame, first, complete time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		o, err := pivot.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		a := New(Options{Opening: o, Scan: (&world{}).scan, Now: func() time.Time { return now }})
		a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
		a.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		t2 := time.Now()
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty frame")
		}
		t3 := time.Now()
		<-o.Done()
		a.Update(reportsReadMsg{})
		if a.opening() || a.reading.err != nil {
			b.Fatal("the reports were not put in place:", a.reading.err)
		}
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty frame")
		}
		load, open, frame = load+t1.Sub(t0), open+t2.Sub(t1), frame+t3.Sub(t2)
		first, complete = first+t3.Sub(t0), complete+time.Since(t0)
		n++
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(ms(load), "tree-ms")
	b.ReportMetric(ms(open), "new-ms")
	b.ReportMetric(ms(frame), "view-ms")
	b.ReportMetric(ms(first), "first-frame-ms")
	b.ReportMetric(ms(complete), "complete-ms")
}

// BenchmarkLiveBuild is the tree of NS_BENCH_SESSION built live, as a on
// its root does: the root's report is attached, then each iteration lands
// the scan of one more child (in the order the file has them) and presses
// a key (down or up) and draws the frame, as a user moving through the
// tree while the scans land (four in flight: the workbench's rule for a
// burst; clusters follow each landed scan). ns/op is the cost of one landed scan plus one
// key press and its frame; key-ms is the key press and frame alone.
func BenchmarkLiveBuild(b *testing.B) {
	path := os.Getenv("NS_BENCH_SESSION")
	if path == "" {
		b.Skip("NS_BENCH_SESSION not set")
	}
	src, err := pivot.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	reps := map[pivot.EntityKey]*recon.Report{}
	for _, e := range src.Entities() {
		if e.Scan != nil {
			reps[e.Key] = e.Scan
		}
	}
	root := src.Node(src.Roots()[0])
	s := pivot.NewSession(now)
	r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: root.Value})
	s.Attach(r.ID, reps[root.Entity.Key], now)
	a := New(Options{Session: s, Scan: (&world{}).scan, Now: func() time.Time { return now }})
	a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	a.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	var todo []*pivot.Node
	for _, c := range s.Node(r.ID).Children {
		n := s.Node(c)
		if reps[n.Entity.Key] != nil && n.Entity.Key != root.Entity.Key {
			todo = append(todo, n)
		}
	}
	if len(todo) < 100 {
		b.Fatalf("only %d scanned children", len(todo))
	}
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	var keyTime time.Duration
	i := 0
	for b.Loop() {
		if i < len(todo) {
			n := todo[i]
			a.sched.running = 4                                                                                                                     // more scans in flight: the burst goes on
			a.Update(scanDoneMsg{NodeID: n.ID, EntityKey: n.Entity.Key, Report: reps[n.Entity.Key], Seq: a.sched.seq[n.Entity.Key], Expand: false}) // a queues children unexpanded
			_ = a.View()
		}
		t0 := time.Now()
		if i%2 == 0 {
			a.Update(down)
		} else {
			a.Update(up)
		}
		_ = a.View()
		keyTime += time.Since(t0)
		i++
	}
	b.ReportMetric(float64(keyTime.Milliseconds())/float64(i), "key-ms")
	b.ReportMetric(float64(s.Len()), "nodes")
}
