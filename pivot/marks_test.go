package pivot

import (
	"strconv"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestClusterMarksAndUndo(t *testing.T) {
	at := time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC)
	s := NewSession(at)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "Nova-Parcels.com"})
	b := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-tracking.net"})
	s.MarkFalsePositive(a.ID, ClusterFalsePositive("ip:185.220.101.47"), "shared hosting", at)
	s.MarkFalsePositive(b.ID, FPCluster+":registrar", "everyone uses it", at)
	s.MarkFalsePositive(b.ID, "young-domain:domain registered 3 days ago", "not a cluster mark", at)
	c := Cluster{Members: []string{"nova-parcels.com", "nova-tracking.net"}, Shared: []string{"ip:185.220.101.47", "registrar:namecheap, inc.", "cert:ab"}}
	ms := s.ClusterMarks(c)
	if len(ms) != 2 || ms[0].Domain != "nova-parcels.com" || ms[0].Shared != "ip:185.220.101.47" || ms[1].Shared != "registrar" {
		t.Fatalf("marks %+v", ms)
	}
	for sh, want := range map[string]int{"ip:185.220.101.47": 1, "registrar:namecheap, inc.": 1, "cert:ab": 0} {
		if got := len(MarksOn(ms, sh)); got != want {
			t.Errorf("MarksOn(%q) = %d, want %d", sh, got, want)
		}
	}
	// A domain a mark took out of the cluster still shows its mark.
	if got := s.ClusterMarks(Cluster{Members: []string{"nova-tracking.net", "x.com"}, Shared: []string{"ip:185.220.101.47"}}); len(got) != 2 {
		t.Errorf("marks of a non-member on a shared link: %+v", got)
	}
	if !s.UnmarkFalsePositive(a.ID, ClusterFalsePositive("ip:185.220.101.47"), at) {
		t.Fatal("unmark reported no mark")
	}
	if a.Entity.FalsePositives != nil || s.UnmarkFalsePositive(a.ID, "nope", at) {
		t.Errorf("after undo: %v", a.Entity.FalsePositives)
	}
	if len(s.ClusterMarks(c)) != 1 {
		t.Error("undone mark still listed")
	}
}

func TestEditNote(t *testing.T) {
	at := time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC)
	s := NewSession(at)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	s.AddNote(a.ID, "one", at)
	s.AddNote(a.ID, "two", at)
	if !s.EditNote(a.ID, 1, "two, corrected", at.Add(time.Hour)) || a.Entity.Notes[1].Text != "two, corrected" || !a.Entity.Notes[1].At.Equal(at.Add(time.Hour)) {
		t.Fatalf("edit: %+v", a.Entity.Notes)
	}
	if !s.EditNote(a.ID, 0, "  ", at) || len(a.Entity.Notes) != 1 || a.Entity.Notes[0].Text != "two, corrected" {
		t.Fatalf("delete: %+v", a.Entity.Notes)
	}
	if s.EditNote(a.ID, 5, "x", at) || s.EditNote("nope", 0, "x", at) {
		t.Error("edit of a missing note reported success")
	}
	s.EditNote(a.ID, 0, "", at)
	if a.Entity.Notes != nil {
		t.Errorf("notes after deleting all: %+v", a.Entity.Notes)
	}
}

// BenchmarkAttach5000SANs attaches a report whose certificate has 5,000
// SANs (the hostile world's many-sans.com): linear in the pivots.
func BenchmarkAttach5000SANs(b *testing.B) {
	var ps []recon.Pivot
	for i := range 5000 {
		ps = append(ps, recon.Pivot{Kind: recon.PivotDomain, Value: "s" + strconv.Itoa(i) + ".many-sans.com", Relation: recon.RelSAN})
	}
	rep := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: "many-sans.com"},
		Modules: map[string]*recon.ModuleResult{"ssl": {Status: recon.StatusOK, Pivots: ps}}}
	at := time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC)
	for range b.N {
		s := NewSession(at)
		n := s.AddRoot(rep.Target)
		s.Attach(n.ID, rep, at)
		if s.Len() != 5001 {
			b.Fatalf("%d nodes", s.Len())
		}
	}
}
