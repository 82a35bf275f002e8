package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// TestClustersFollowBurst: each landed scan updates the clusters (the
// session updates them from the scan's entity), unless the last update
// cost more than clusterBudget and other scans are still in flight: then
// at most every clusterEvery, and always at the scan that ends the burst.
// The badges and the detail pane's clusters then agree with the session.
func TestClustersFollowBurst(t *testing.T) {
	for _, tc := range []struct {
		name       string
		inFlight   int  // scans still running after the landing
		wantFresh  bool // clusters recomputed by the landing
		clustersAt time.Duration
		cost       time.Duration // of the last computation
	}{
		{"burst goes on, cheap", 3, true, 0, time.Millisecond},
		{"burst goes on, costly, recomputed just now", 3, false, 0, time.Second},
		{"burst goes on, costly, last computed long ago", 3, true, -time.Hour, time.Second},
		{"last scan of the burst, costly", 0, true, 0, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pivot.NewSession(now)
			root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
			s.Attach(root.ID, report(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}), now)
			a := New(Options{Session: s, Scan: (&world{}).scan, Now: func() time.Time { return now }})
			a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
			a.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
			var child *pivot.Node
			for _, c := range s.Node(root.ID).Children {
				if n := s.Node(c); n.Value == "nova-tracking.net" {
					child = n
				}
			}
			if child == nil {
				t.Fatal("no nova-tracking.net child")
			}
			if got := a.clu.of[child.Entity.Key]; len(got) != 0 {
				t.Fatalf("unscanned child already in clusters %v", got)
			}
			a.clu.at, a.clu.cost = time.Now().Add(tc.clustersAt), tc.cost
			a.sched.running = tc.inFlight + 1
			a.Update(scanDoneMsg{NodeID: child.ID, EntityKey: child.Entity.Key, Report: report(recon.Target{Kind: recon.KindDomain, Value: "nova-tracking.net"}), Seq: a.sched.seq[child.Entity.Key]})
			want := s.ClusterOf(child.Entity.Key)
			if len(want) == 0 {
				t.Fatal("the session puts the scanned child in no cluster: the test world is wrong")
			}
			got := a.clu.of[child.Entity.Key]
			if fresh := len(got) > 0; fresh != tc.wantFresh {
				t.Fatalf("clusters recomputed = %v (of = %v), want %v", fresh, got, tc.wantFresh)
			}
			if a.clu.stale == tc.wantFresh {
				t.Errorf("clustersStale = %v", a.clu.stale)
			}
			// Showing the clusters brings them up to date in any case.
			a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'c'}})
			if got := a.clu.of[child.Entity.Key]; len(got) != len(want) || got[0] != want[0] {
				t.Errorf("after c: clusterOf = %v, session says %v", got, want)
			}
		})
	}
}

// TestAutosaveFollowsBurst: while scans are still running a landed scan
// saves at most every autosaveEvery (each save writes the whole session);
// the scan that ends the burst always saves.
func TestAutosaveFollowsBurst(t *testing.T) {
	for _, tc := range []struct {
		name      string
		inFlight  int           // scans still running after the landing
		lastSave  time.Duration // when the last autosave of the burst began, from now
		wantSaved bool
	}{
		{"burst goes on, saved just now", 3, 0, false},
		{"burst goes on, saved long ago", 3, -time.Minute, true},
		{"last scan of the burst, saved just now", 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pivot.NewSession(now)
			root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
			s.Attach(root.ID, report(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}), now)
			a := New(Options{Session: s, Scan: (&world{}).scan, Now: func() time.Time { return now },
				AutosavePath: t.TempDir() + "/autosave.json"})
			a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
			a.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
			child := s.Node(s.Node(root.ID).Children[0])
			a.file.autosavedAt = time.Now().Add(tc.lastSave)
			a.sched.running = tc.inFlight + 1
			a.Update(scanDoneMsg{NodeID: child.ID, EntityKey: child.Entity.Key, Report: report(recon.Target{Kind: recon.KindDomain, Value: child.Value}), Seq: a.sched.seq[child.Entity.Key]})
			if saving := a.file.saving > 0; saving != tc.wantSaved {
				t.Errorf("a save began = %v, want %v", saving, tc.wantSaved)
			}
		})
	}
}
