package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// bigSession builds a session of about n nodes: a scanned root, 100
// scanned domains under it, the rest unscanned children of those.
func bigSession(n int) *pivot.Session {
	s := pivot.NewSession(now)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	s.Attach(root.ID, report(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}), now)
	per := n / 100
	for i := 0; s.Len() < n && i < 100; i++ {
		d := s.AddChild(root.ID, recon.Pivot{Kind: recon.PivotDomain, Value: fmt.Sprintf("host%03d.nova-parcels.com", i), Relation: recon.RelCT})
		s.Attach(d.ID, report(recon.Target{Kind: recon.KindDomain, Value: "nova-tracking.net"}), now)
		for j := 0; j < per && s.Len() < n; j++ {
			s.AddChild(d.ID, recon.Pivot{Kind: recon.PivotSubdomain, Value: fmt.Sprintf("x%04d.host%03d.nova-parcels.com", j, i), Relation: recon.RelCT})
		}
	}
	return s
}

func benchApp(b *testing.B) *App {
	s := bigSession(10000)
	a := New(Options{Session: s, Scan: (&world{}).scan, Now: func() time.Time { return now }})
	a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	a.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
	for _, id := range s.NodeIDs() {
		a.tree.SetOpen(id, true)
	}
	a.tree.Move(5000)
	a.sync()
	if got := len(a.tree.Rows()); got < 9000 {
		b.Fatalf("only %d rows", got)
	}
	return a
}

// BenchmarkView renders a frame of a 10,000-node session.
func BenchmarkView(b *testing.B) {
	a := benchApp(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.View()
	}
}

// BenchmarkCursorMove moves the cursor one row (Update with the detail
// refresh), alternating down and up; BenchmarkView covers the frame.
func BenchmarkCursorMove(b *testing.B) {
	a := benchApp(b)
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			a.Update(down)
		} else {
			a.Update(up)
		}
	}
}

// BenchmarkScanChildren5000 is a on a node with 5,000 unscanned children
// (the hostile world's many-sans.com): asking, queueing every scan and the
// first frame after. The bar is "queued shows within a second".
func BenchmarkScanChildren5000(b *testing.B) {
	for range b.N {
		b.StopTimer()
		s := pivot.NewSession(now)
		root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "many-sans.com"})
		s.Attach(root.ID, manySANs(5000)(nil, recon.Target{Kind: recon.KindDomain, Value: "many-sans.com"}, nil), now)
		a := New(Options{Session: s, Scan: (&world{}).scan, Now: func() time.Time { return now }})
		a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
		a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		a.tree.Select(root.ID)
		b.StartTimer()
		a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a'}})
		a.Update(tea.KeyMsg{Type: tea.KeyEnter})
		_ = a.View()
		if len(a.sched.queue)+a.sched.running != 5000 {
			b.Fatalf("queued %d", len(a.sched.queue)+a.sched.running)
		}
	}
}
