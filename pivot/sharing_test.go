package pivot

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

// TestSharingFollowsReports: Sharing's index is kept across changes that do
// not touch a report (a note, a state change) and rebuilt by every one that
// does (Attach, Changed), so its answers always match the reports.
func TestSharingFollowsReports(t *testing.T) {
	mk := func(name, ns string) *recon.Report {
		return dom{name: name, ips: []string{"192.0.2.1"}, asn: 64500, ns: []string{ns}, registrar: "NameCheap, Inc.",
			created: "2026-01-01", cert: name + "-cert", pub: name + "-pub", posture: "spf:none dmarc:none"}.report()
	}
	s := NewSession(t0)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "a.example"})
	b := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "b.example"})
	c := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "c.example"})
	ka, kb, kc := a.Entity.Key, b.Entity.Key, c.Entity.Key
	kns := KeyOf(recon.PivotNS, "ns1.shared.example") // the name server's own node, first once a scan added it
	for _, step := range []struct {
		name string
		do   func()
		want []EntityKey // Sharing(ns, ns1.shared.example)
	}{
		{"nothing scanned", func() {}, nil},
		{"a scanned", func() { s.Attach(a.ID, mk("a.example", "ns1.shared.example"), t0) }, []EntityKey{kns, ka}},
		{"a note on b", func() { s.AddNote(b.ID, "later", t0) }, []EntityKey{kns, ka}},
		{"b queued", func() { s.SetState(b.ID, StateQueued, "") }, []EntityKey{kns, ka}},
		{"b scanned", func() { s.Attach(b.ID, mk("b.example", "ns1.shared.example"), t0) }, []EntityKey{kns, ka, kb}},
		{"c scanned elsewhere", func() { s.Attach(c.ID, mk("c.example", "ns1.other.example"), t0) }, []EntityKey{kns, ka, kb}},
		{"a rescanned elsewhere", func() { s.Attach(a.ID, mk("a.example", "ns1.other.example"), t0) }, []EntityKey{kns, kb}},
		{"c's report edited in place", func() {
			c.Entity.Scan = mk("c.example", "ns1.shared.example")
			s.Changed()
		}, []EntityKey{kns, kb, kc}},
	} {
		step.do()
		if got := s.Sharing(recon.PivotNS, "ns1.shared.example"); !slices.Equal(got, step.want) {
			t.Errorf("%s: Sharing = %v, want %v", step.name, got, step.want)
		}
	}
}

// TestSharingIncrementalMatchesRebuild: reports attached one by one while
// the index is warm (added in place) give the same answers, in the same
// order, as an index rebuilt from scratch — whatever the scan order, with
// rescans (which drop the index) mixed in.
func TestSharingIncrementalMatchesRebuild(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run("seed"+itoa(int(seed)), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0))
			s := NewSession(t0)
			root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "root.example"})
			mk := func(name string) *recon.Report {
				g := r.IntN(3)
				return dom{name: name, ips: []string{"192.0.2." + itoa(g)}, asn: uint32(64500 + g), ns: []string{"ns" + itoa(r.IntN(4)) + ".example"},
					registrar: "NameCheap, Inc.", created: "2026-01-01", cert: "cert" + itoa(r.IntN(3)), pub: "pub",
					sans: []string{"s" + itoa(r.IntN(20)) + ".example", "s" + itoa(r.IntN(20)) + ".example"}, posture: "spf:none dmarc:none"}.report()
			}
			s.Attach(root.ID, mk("root.example"), t0)
			var queries []recon.Pivot
			for range 40 {
				s.Sharing(recon.PivotNS, "ns1.example") // keep the index warm
				kids := s.Node(root.ID).Children
				n := s.Node(kids[r.IntN(len(kids))])
				if !Scannable(n.Kind) {
					continue
				}
				rep := mk(n.Value)
				queries = append(queries, rep.Pivots()...)
				s.Attach(n.ID, rep, t0)
			}
			for _, q := range queries {
				got := s.Sharing(q.Kind, q.Value)
				warm := s.sharing
				s.sharing = nil
				want := s.Sharing(q.Kind, q.Value)
				s.sharing = warm
				if !slices.Equal(got, want) {
					t.Fatalf("Sharing(%s %s) = %v, rebuilt %v", q.Kind, q.Value, got, want)
				}
			}
		})
	}
}
