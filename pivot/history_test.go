package pivot

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// moved is nova-parcels.com after a takedown: another IP, one more SAN.
var moved = func() dom {
	d := novaParcels
	d.ips = []string{"193.0.2.10"}
	d.sans = append([]string{}, novaParcels.sans...)
	d.sans = append(d.sans, "nova-refunds.org")
	return d
}()

func childValues(s *Session, id string) []string {
	var out []string
	for _, c := range s.Node(id).Children {
		out = append(out, s.Node(c).Value)
	}
	return out
}

func TestRescanKeepsHistory(t *testing.T) {
	s := NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID
	first := novaParcels.report()
	s.Attach(root, first, t0)
	e := s.Node(root).Entity
	if e.Rescanned() {
		t.Fatal("a first scan is not a rescan")
	}
	// Expanding another node of the entity re-attaches the same report: no history.
	s.Attach(root, first, t0.Add(time.Minute))
	if len(e.History) != 0 {
		t.Fatalf("re-attaching the same report made history: %d", len(e.History))
	}
	for i := 1; i <= MaxHistory+2; i++ {
		s.Attach(root, moved.report(), t0.Add(time.Duration(i)*time.Hour))
	}
	if len(e.History) != MaxHistory {
		t.Fatalf("history has %d entries, want the bound %d", len(e.History), MaxHistory)
	}
	// The oldest were dropped: the first kept is the report of hour 2.
	if got, want := e.History[0].At, t0.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("oldest kept at %v, want %v", got, want)
	}
	if got, want := e.History[MaxHistory-1].At, t0.Add(time.Duration(MaxHistory+1)*time.Hour); !got.Equal(want) {
		t.Errorf("newest kept at %v, want %v", got, want)
	}
	// Evidence is dropped from history, not from the report it came from.
	w := recon.FactsOf[recon.WhoisFacts](e.History[0].Scan, "whois")
	c := recon.FactsOf[recon.SSLFacts](e.History[0].Scan, "ssl")
	if w == nil || w.Raw != "" || w.Registrar != "NameCheap, Inc." || c == nil || c.Certs[0].PEM != "" || c.Certs[0].SHA256 != shaNova {
		t.Errorf("history report: whois %+v ssl %+v", w, c)
	}
	if recon.FactsOf[recon.WhoisFacts](first, "whois").Raw == "" || recon.FactsOf[recon.SSLFacts](first, "ssl").Certs[0].PEM == "" {
		t.Error("recording history stripped the evidence of the report itself")
	}
}

func TestReportAt(t *testing.T) {
	s := NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID
	a, b := novaParcels.report(), moved.report()
	s.Attach(root, a, t0.Add(time.Hour))
	s.Attach(root, b, t0.Add(3*time.Hour))
	e := s.Node(root).Entity
	tests := []struct {
		at     time.Time
		wantA  []string // the A records of the report at that time; nil: no report
		wantAt time.Time
	}{
		{t0, nil, time.Time{}},
		{t0.Add(time.Hour), []string{"185.220.101.47"}, t0.Add(time.Hour)},
		{t0.Add(2 * time.Hour), []string{"185.220.101.47"}, t0.Add(time.Hour)},
		{t0.Add(3 * time.Hour), []string{"193.0.2.10"}, t0.Add(3 * time.Hour)},
		{forever, []string{"193.0.2.10"}, t0.Add(3 * time.Hour)},
	}
	for _, tt := range tests {
		r, at := e.ReportAt(tt.at)
		var got []string
		if r != nil {
			got = recon.FactsOf[recon.DNSFacts](r, "dns").A
		}
		if strings.Join(got, ",") != strings.Join(tt.wantA, ",") || (r == nil) != (tt.wantA == nil) || !at.Equal(tt.wantAt) {
			t.Errorf("ReportAt(%v) = %v at %v, want %v at %v", tt.at, got, at, tt.wantA, tt.wantAt)
		}
	}
	if at, before := s.LastRescan(); !at.Equal(t0.Add(3*time.Hour)) || !before.Equal(t0.Add(time.Hour)) {
		t.Errorf("LastRescan = %v, %v", at, before)
	}
}

func TestAsOfPrunesWhatTheReportNoLongerYields(t *testing.T) {
	s := NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID
	s.Attach(root, novaParcels.report(), t0.Add(time.Hour))
	s.Attach(root, moved.report(), t0.Add(3*time.Hour))
	// The live tree keeps both addresses (Attach only adds).
	all := strings.Join(childValues(s, root), " ")
	if !strings.Contains(all, "185.220.101.47") || !strings.Contains(all, "193.0.2.10") {
		t.Fatalf("live tree: %s", all)
	}
	tests := []struct {
		name    string
		view    *Session
		has     []string
		hasNot  []string
		scanned bool
	}{
		{"before", s.AsOf(t0.Add(2 * time.Hour)), []string{"185.220.101.47", "nova-tracking.net"}, []string{"193.0.2.10", "nova-refunds.org"}, true},
		{"now", s.Current(), []string{"193.0.2.10", "nova-refunds.org", "nova-tracking.net"}, []string{"185.220.101.47"}, true},
		{"before any scan", s.AsOf(t0), nil, []string{"185.220.101.47", "193.0.2.10"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(childValues(tt.view, root), " ")
			for _, v := range tt.has {
				if !strings.Contains(got, v) {
					t.Errorf("children %q lack %s", got, v)
				}
			}
			for _, v := range tt.hasNot {
				if strings.Contains(got, v) {
					t.Errorf("children %q have %s", got, v)
				}
			}
			e := tt.view.Node(root).Entity
			if (e.Scan != nil) != tt.scanned || len(e.History) != 0 {
				t.Errorf("root scanned %v history %d", e.Scan != nil, len(e.History))
			}
		})
	}
	// The snapshot is independent: changing it leaves the session alone.
	s.MarkFalsePositive(root, "spoofable-mail", "parked", t0)
	v := s.Current()
	v.AddNote(root, "snapshot only", t0)
	v.MarkFalsePositive(root, "young-domain", "snapshot only", t0)
	if e := s.Node(root).Entity; len(e.Notes) != 0 || len(e.FalsePositives) != 1 {
		t.Error("a note or a false positive on the snapshot reached the session")
	}
}

// v2File is a session written before history existed (version 2).
const v2File = `{
  "version": 2,
  "created": "2026-11-20T10:00:00Z",
  "updated": "2026-11-20T10:01:00Z",
  "window_days": 7,
  "nodes": [
    {"id": "n1", "kind": "domain", "value": "nova-parcels.com", "parent": null, "relation": "",
     "state": "done", "scanned_at": "2026-11-20T10:01:00Z", "notes": [],
     "scan": {"target": {"kind": "domain", "value": "nova-parcels.com"},
              "modules": {"dns": {"status": "ok", "facts": {"name": "nova-parcels.com", "a": ["185.220.101.47"]},
                                  "signals": [], "pivots": [{"kind": "ip", "value": "185.220.101.47", "relation": "A"}]}},
              "assessment": {"level": "yellow", "signals": []}}},
    {"id": "n2", "kind": "ip", "value": "185.220.101.47", "parent": "n1", "relation": "A", "notes": []}
  ],
  "clusters": []
}`

func TestVersion2LoadsAndRescanWritesHistory(t *testing.T) {
	s, err := Unmarshal([]byte(v2File))
	if err != nil {
		t.Fatal(err)
	}
	e := s.Entity("domain:nova-parcels.com")
	if e == nil || e.Scan == nil || len(e.History) != 0 || e.State != StateDone {
		t.Fatalf("migrated entity: %+v", e)
	}
	s.Attach("n1", moved.report(), t0.Add(time.Hour))
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"version": 3`)) || !bytes.Contains(b, []byte(`"history": [`)) {
		t.Fatalf("rescanned file:\n%.2000s", b)
	}
	s2, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	e2 := s2.Entity("domain:nova-parcels.com")
	if len(e2.History) != 1 || !e2.History[0].At.Equal(time.Date(2026, 11, 20, 10, 1, 0, 0, time.UTC)) ||
		recon.FactsOf[recon.DNSFacts](e2.History[0].Scan, "dns").A[0] != "185.220.101.47" ||
		recon.FactsOf[recon.DNSFacts](e2.Scan, "dns").A[0] != "193.0.2.10" {
		t.Errorf("reloaded history: %+v", e2.History)
	}
	b2, err := Marshal(s2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Errorf("a file with history does not round-trip: %s", firstDiff(b, b2))
	}
}

func TestLoadBoundsHistory(t *testing.T) {
	s := NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID
	s.Attach(root, novaParcels.report(), t0)
	e := s.Node(root).Entity
	// A hand-made file with more history than the bound keeps the newest.
	for i := range MaxHistory + 3 {
		e.History = append(e.History, Past{At: t0.Add(time.Duration(i) * time.Minute), Scan: novaParcels.report()})
	}
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	h := s2.Entity(e.Key).History
	if len(h) != MaxHistory || !h[0].At.Equal(t0.Add(3*time.Minute)) {
		t.Errorf("loaded %d entries, first at %v", len(h), h[0].At)
	}
}

// Load (the streaming reader) keeps the history as Unmarshal does.
func TestSaveLoadKeepsHistory(t *testing.T) {
	s := NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID
	s.Attach(root, novaParcels.report(), t0)
	s.Attach(root, moved.report(), t0.Add(time.Hour))
	path := t.TempDir() + "/case.json"
	if err := Save(s, path); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e := l.Entity("domain:nova-parcels.com")
	if len(e.History) != 1 || !e.History[0].At.Equal(t0) || recon.FactsOf[recon.DNSFacts](e.History[0].Scan, "dns").A[0] != "185.220.101.47" {
		t.Errorf("loaded history %+v", e.History)
	}
	if got := l.AsOf(t0.Add(time.Minute)).Entity("domain:nova-refunds.org"); got != nil {
		t.Error("the SAN found by the rescan is in the state before it")
	}
}

// The state before the last rescan includes every report it replaced, even
// those of entities first scanned after another entity's earlier scan.
func TestLastRescanBaseline(t *testing.T) {
	s := NewSession(t0)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}).ID
	b := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-tracking.net"}).ID
	s.Attach(a, novaParcels.report(), t0)                    // first scan of a
	s.Attach(b, novaTracking.report(), t0.Add(time.Hour))    // b first scanned later
	s.Attach(b, novaTracking.report(), t0.Add(10*time.Hour)) // the rescan: b first …
	s.Attach(a, moved.report(), t0.Add(11*time.Hour))        // … then a, which finishes last
	_, before := s.LastRescan()
	old := s.AsOf(before)
	for _, k := range []EntityKey{"domain:nova-parcels.com", "domain:nova-tracking.net"} {
		if old.Entity(k).Scan == nil {
			t.Errorf("%s has no report before the rescan (baseline %v)", k, before)
		}
	}
}
