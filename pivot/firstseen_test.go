package pivot

import (
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// TestFirstSeenIsStable: first_seen is when a value entered the case and
// never moves — not on a rescan, and a root added later does not take the
// session's start time (issue 16 item 10).
func TestFirstSeenIsStable(t *testing.T) {
	s := NewSession(t0)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	rep := dom{name: "nova-parcels.com", ips: []string{"185.220.101.47"}, registrar: "NameCheap, Inc."}.report()
	rep.Started = t0.Add(time.Minute)
	s.Attach(a.ID, rep, t0.Add(2*time.Minute))

	// A root added an hour later, scanned then.
	b := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "late.example"})
	late := dom{name: "late.example", ips: []string{"198.51.100.1"}}.report()
	late.Started = t0.Add(time.Hour)
	s.Attach(b.ID, late, t0.Add(time.Hour+time.Minute))

	// A rescan of the first root the next day finds a new address.
	again := dom{name: "nova-parcels.com", ips: []string{"185.220.101.47", "193.0.2.10"}, registrar: "NameCheap, Inc."}.report()
	again.Started = t0.Add(24 * time.Hour)
	s.Attach(a.ID, again, t0.Add(24*time.Hour+time.Minute))

	tests := []struct {
		key  EntityKey
		want time.Time
	}{
		{"domain:nova-parcels.com", t0.Add(time.Minute)},       // its first scan's start, not the rescan
		{"ip:185.220.101.47", t0.Add(2 * time.Minute)},         // found by the first scan, kept on rescan
		{"ip:193.0.2.10", t0.Add(24*time.Hour + time.Minute)},  // found by the rescan
		{"domain:late.example", t0.Add(time.Hour)},             // not the session start
		{"ip:198.51.100.1", t0.Add(time.Hour + time.Minute)},   // found by the late root's scan
		{"registrar:namecheap, inc.", t0.Add(2 * time.Minute)}, // first seen under the first root
	}
	check := func(s *Session, when string) {
		for _, tt := range tests {
			e := s.Entity(tt.key)
			if e == nil {
				t.Fatalf("%s: no entity %s", when, tt.key)
			}
			if !e.FirstSeen.Equal(tt.want) {
				t.Errorf("%s: %s first seen %v, want %v", when, tt.key, e.FirstSeen, tt.want)
			}
		}
	}
	check(s, "live")
	b2, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Unmarshal(b2)
	if err != nil {
		t.Fatal(err)
	}
	check(s2, "reloaded")
}

// TestFirstSeenOfAnOlderFile: a file without "first_seen" gets the best
// time it holds — a root the start of its earliest kept scan, a pivot the
// end of its parent's earliest kept scan — and re-saves it.
func TestFirstSeenOfAnOlderFile(t *testing.T) {
	s, err := Unmarshal([]byte(v2File))
	if err != nil {
		t.Fatal(err)
	}
	root := s.Node(s.Roots()[0]).Entity
	if root.Scan == nil || !root.FirstSeen.Equal(root.Scan.Started) {
		t.Errorf("root first seen %v, want its scan's start", root.FirstSeen)
	}
	for _, id := range s.Node(s.Roots()[0]).Children {
		if e := s.Node(id).Entity; !e.FirstSeen.Equal(root.ScannedAt) {
			t.Errorf("%s first seen %v, want the end of the root's scan %v", e.Key, e.FirstSeen, root.ScannedAt)
		}
	}
}
