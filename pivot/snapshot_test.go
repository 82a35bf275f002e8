package pivot

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// snapCase is a session with a bit of everything a snapshot copies:
// children, shared entities, notes, tags, false positives, history.
func snapCase(t *testing.T) *Session {
	t.Helper()
	s := sessionOf(novaParcels, novaTracking, wellRun)
	root := s.Roots()[0]
	s.AddNote(root, "first", t0)
	s.AddNote(root, "second", t0)
	s.MarkFalsePositive(root, "young-domain", "known", t0)
	s.Node(root).Entity.Tags = []string{"phish"}
	s.Attach(root, novaParcels.report(), t0.Add(time.Hour)) // a rescan: history
	if len(s.Node(root).Entity.History) == 0 {
		t.Fatal("no history in the case")
	}
	return s
}

func marshal(t *testing.T, s *Session) []byte {
	t.Helper()
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSnapshotIsACopy: the snapshot marshals like the session, and no
// change made to the session afterwards reaches it.
func TestSnapshotIsACopy(t *testing.T) {
	at := t0.Add(2 * time.Hour)
	for _, tc := range []struct {
		name   string
		change func(s *Session, root string)
	}{
		{"attach a new report", func(s *Session, root string) { s.Attach(root, novaReturns.report(), at) }},
		{"add a child", func(s *Session, root string) {
			s.AddChild(root, recon.Pivot{Kind: recon.PivotDomain, Value: "late.example", Relation: recon.RelSAN})
		}},
		{"add a root", func(s *Session, _ string) { s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "new.example"}) }},
		{"add a note", func(s *Session, root string) { s.AddNote(root, "third", at) }},
		{"edit a note", func(s *Session, root string) { s.EditNote(root, 0, "edited", at) }},
		{"delete a note", func(s *Session, root string) { s.EditNote(root, 0, "", at) }},
		{"mark a false positive", func(s *Session, root string) { s.MarkFalsePositive(root, "no-spf", "why", at) }},
		{"take a mark back", func(s *Session, root string) { s.UnmarkFalsePositive(root, "young-domain", at) }},
		{"change the state", func(s *Session, root string) { s.SetState(root, StateFailed, "timeout") }},
		{"change the window", func(s *Session, _ string) { s.Window = time.Hour; s.Changed() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := snapCase(t)
			before := marshal(t, s)
			snap := s.Snapshot()
			if got := marshal(t, snap); !bytes.Equal(got, before) {
				t.Fatalf("the snapshot marshals differently from the session:\n%s\nwant\n%s", got, before)
			}
			tc.change(s, s.Roots()[0])
			if bytes.Equal(marshal(t, s), before) {
				t.Fatal("the change did not change the session")
			}
			if got := marshal(t, snap); !bytes.Equal(got, before) {
				t.Errorf("the change reached the snapshot:\n%s", got)
			}
			for name, x := range map[string]*Session{"session": s, "snapshot": snap} {
				if err := oneEntityObject(x); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
			// A second change of the same objects, now the session's own.
			tc.change(s, s.Roots()[0])
			if got := marshal(t, snap); !bytes.Equal(got, before) {
				t.Errorf("the second change reached the snapshot:\n%s", got)
			}
		})
	}
}

// oneEntityObject checks that every node of an entity shows the entity
// the session holds under its key (exporters index entities by pointer).
func oneEntityObject(s *Session) error {
	for _, id := range s.NodeIDs() {
		n := s.Node(id)
		if n == nil || n.Entity != s.Entity(n.Entity.Key) {
			return fmt.Errorf("node %s shows another copy of %s than the session holds", id, n.Entity.Key)
		}
	}
	return nil
}

// TestSnapshotSharesUpToDateClusters: clusters computed before the
// snapshot are not computed again for it.
func TestSnapshotSharesUpToDateClusters(t *testing.T) {
	s := snapCase(t)
	want := s.Clusters()
	snap := s.Snapshot()
	if got := snap.Clusters(); len(got) == 0 || &got[0] != &want[0] {
		t.Error("the snapshot recomputed the clusters")
	}
	s.AddNote(s.Roots()[0], "x", t0) // stale now
	if snap2 := s.Snapshot(); snap2.clusters != nil {
		t.Error("a snapshot took stale clusters")
	}
}

// TestSnapshotSaveWhileScansLand is the workbench's and the autosaver's
// pattern: a snapshot is written by another goroutine while the owner goes
// on attaching scans, adding notes and marks, and reading the clusters.
// Run with -race.
func TestSnapshotSaveWhileScansLand(t *testing.T) {
	s := snapCase(t)
	s.Clusters()
	s.Sharing(recon.PivotIP, "185.220.101.47")
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 3 {
		snap := s.Snapshot()
		wg.Go(func() {
			if err := Save(snap, filepath.Join(dir, "case"+itoa(i)+".json")); err != nil {
				t.Error(err)
			}
			snap.Sharing(recon.PivotASN, "AS205100")
			snap.AsOf(t0)
		})
		at := t0.Add(time.Duration(i+1) * time.Hour)
		for j, d := range []dom{novaReturns, cfProxied, novaTracking} {
			n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.name})
			s.SetState(n.ID, StateRunning, "")
			s.Attach(n.ID, d.report(), at)
			for _, c := range s.Node(n.ID).Children {
				s.Attach(c, wellRun.report(), at)
				break
			}
			s.AddNote(n.ID, "note "+itoa(j), at)
			s.EditNote(s.Roots()[0], 0, "edited "+itoa(i), at)
			s.MarkFalsePositive(n.ID, "rule"+itoa(j), "why", at)
			s.UnmarkFalsePositive(s.Roots()[0], "young-domain", at)
			s.Clusters()
			s.Sharing(recon.PivotIP, "185.220.101.47")
		}
	}
	wg.Wait()
	for i := range 3 {
		if _, err := Load(filepath.Join(dir, "case"+itoa(i)+".json")); err != nil {
			t.Error(err)
		}
	}
}

// TestInvestigateSavesSnapshots is the headless autosave's pattern: the
// Progress hook takes a snapshot under the lock while the workers attach
// scans, and another goroutine saves it. Every file written is a complete
// session, and the last one, taken after the run, has every scan. Run
// with -race.
func TestInvestigateSavesSnapshots(t *testing.T) {
	w := newWorld(novaParcels, novaTracking, novaReturns, wellRun, cfProxied).ip("185.220.101.47", "nova-parcels.com")
	s := NewSession(t0)
	dir := t.TempDir()
	var wg sync.WaitGroup
	saves := 0
	progress := func(p Progress) {
		s.Lock()
		snap := s.Snapshot()
		s.Unlock()
		saves++
		path := filepath.Join(dir, "case"+itoa(saves)+".json")
		wg.Go(func() {
			if err := Save(snap, path); err != nil {
				t.Error(err)
			}
			snap.Clusters()
		})
	}
	err := Investigate(t.Context(), s, recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}, w.scan,
		InvestigateOptions{Depth: 2, Concurrency: 4, Progress: progress, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if saves == 0 {
		t.Fatal("no progress reported")
	}
	for i := 1; i <= saves; i++ {
		if _, err := Load(filepath.Join(dir, "case"+itoa(i)+".json")); err != nil {
			t.Errorf("save %d: %v", i, err)
		}
	}
	last := marshal(t, s.Snapshot())
	if !bytes.Equal(last, marshal(t, s)) {
		t.Error("a snapshot after the run differs from the session")
	}
	if err := oneEntityObject(s); err != nil {
		t.Error(err)
	}
}

// TestClustersAfterSnapshotCopies: the changes after a snapshot copy the
// entities they touch (ownEntity); the incremental clusters follow the
// copies, not the snapshot's originals.
func TestClustersAfterSnapshotCopies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(s *Session, ids []string)
	}{
		{"rescan with another report", func(s *Session, ids []string) {
			s.Attach(ids[0], dom{name: "nova-parcels.com", ips: []string{"192.0.2.9"}}.report(), t0.Add(time.Hour))
		}},
		{"keep a member out of clusters", func(s *Session, ids []string) { s.MarkFalsePositive(ids[1], FPCluster, "known", t0) }},
		{"drop one shared key", func(s *Session, ids []string) {
			s.MarkFalsePositive(ids[2], ClusterFalsePositive("ip:185.220.101.47"), "shared hosting", t0)
		}},
		{"state and note only", func(s *Session, ids []string) { s.SetState(ids[0], StateFailed, "x"); s.AddNote(ids[1], "n", t0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sessionOf(novaParcels, novaTracking, novaReturns)
			checkClusters(t, s, "before")
			snap := s.Snapshot()
			tc.change(s, s.Roots())
			checkClusters(t, s, "after the snapshot and the change")
			checkClusters(t, snap, "the snapshot")
		})
	}
}

// TestLoadedSessionCopies: a loaded session lists each entity's nodes as
// it loads (indexNode), so the first change after a snapshot re-points
// every node of the entity it copies.
func TestLoadedSessionCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.json")
	if err := Save(snapCase(t), path); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	k := KeyOf(recon.PivotDomain, "nova-tracking.net") // a root and a SAN of nova-parcels.com
	if s.byEntity == nil || len(s.byEntity[k]) != 2 || len(s.NodesOf(k)) != 2 {
		t.Fatalf("index of %s: %v (nodes %v)", k, s.byEntity[k], s.NodesOf(k))
	}
	before := marshal(t, s)
	snap := s.Snapshot()
	s.MarkFalsePositive(s.NodesOf(k)[1], "no-dmarc", "known", t0)
	if err := oneEntityObject(s); err != nil {
		t.Error(err)
	}
	if e := s.Node(s.NodesOf(k)[0]).Entity; e.FalsePositives["no-dmarc"] != "known" {
		t.Error("the entity's other node does not show the mark")
	}
	if !bytes.Equal(marshal(t, snap), before) {
		t.Error("the mark reached the snapshot")
	}
}
