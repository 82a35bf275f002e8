package tui

import (
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// TestSaveAndExportWhileScansLand: a save and an export write their
// snapshots in other goroutines while Update attaches scans, adds a note
// and a mark and recomputes the clusters. Run with -race: the snapshot is
// the only thing those goroutines read.
func TestSaveAndExportWhileScansLand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "case.json")
	exported := make(chan int, 1)
	h := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: path,
		Export: func(_ string, s *pivot.Session, p string) error {
			b, err := pivot.Marshal(s)
			s.Sharing(recon.PivotIP, "185.220.101.47")
			exported <- s.Len()
			_ = b
			return err
		}})
	h.keys("c") // the clusters are up to date: the snapshots share them
	h.keys("c")
	nodes := h.a.s.Len()
	msgs := make(chan tea.Msg, 2)
	for _, cmd := range []tea.Cmd{h.a.saveTo(path, true), h.a.exportTo("json", filepath.Join(dir, "case.export.json"))} {
		go func() { msgs <- cmd() }()
	}
	h.keys("g", "a") // scan every child: the scans land meanwhile
	h.keys("g", "n")
	h.typeText("while saving")
	h.keys("enter")
	h.a.s.MarkFalsePositive(h.a.s.Roots()[0], pivot.FPCluster, "test", now)
	h.a.changed()
	h.keys("c")
	if got := <-exported; got != nodes {
		t.Errorf("the export saw %d nodes, want the %d of its snapshot", got, nodes)
	}
	for range 2 {
		h.send(<-msgs)
	}
	s, err := pivot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != nodes && s.Len() != h.a.s.Len() {
		t.Errorf("saved %d nodes: neither the snapshot's %d nor the session's %d", s.Len(), nodes, h.a.s.Len())
	}
	if h.a.s.Len() <= nodes {
		t.Error("no scan landed during the save")
	}
}
