package tui

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// onlyRecorder wraps the fake world and records the module lists asked for;
// a partial scan returns a new ssl result with one more SAN.
type onlyRecorder struct {
	w    *world
	mu   sync.Mutex
	only [][]string
}

func (o *onlyRecorder) scan(ctx context.Context, t recon.Target, only []string) *recon.Report {
	o.mu.Lock()
	o.only = append(o.only, slices.Clone(only))
	o.mu.Unlock()
	full := o.w.scan(ctx, t, nil)
	if len(only) == 0 || full == nil {
		return full
	}
	part := &recon.Report{Target: t, Modules: map[string]*recon.ModuleResult{}, Started: now.Add(time.Hour)}
	for _, id := range only {
		if m := full.Modules[id]; m != nil {
			c := *m
			c.Started = now.Add(time.Hour)
			part.Modules[id] = &c
		}
	}
	if m := part.Modules["ssl"]; m != nil {
		f := *m.Facts.(*recon.SSLFacts)
		cert := f.Certs[0]
		cert.SANs = append(slices.Clone(cert.SANs), "nova-refunds.com")
		f.Certs = []recon.CertFacts{cert}
		m.Facts = &f
		m.Pivots = append(slices.Clone(m.Pivots), recon.Pivot{Kind: recon.PivotDomain, Value: "nova-refunds.com", Relation: recon.RelSAN})
	}
	if m := part.Modules["headers"]; m != nil {
		m.Status, m.Err = recon.StatusOK, ""
		m.Facts = &recon.HeadersFacts{URL: "https://" + t.Value, StatusCode: 200}
	}
	recon.Assess(part, now)
	return part
}

func childValues(s *pivot.Session, id string) []string {
	var out []string
	for _, c := range s.Node(id).Children {
		out = append(out, s.Node(c).Value)
	}
	return out
}

func TestModulePickerRunsOnlyCheckedAndMerges(t *testing.T) {
	rec := &onlyRecorder{w: &world{}}
	h := newHarness(t, Options{Target: "nova-parcels.com", Scan: rec.scan})
	root := h.a.s.Roots()[0]
	before := h.a.s.Node(root).Entity.Scan
	whoisBefore := before.Modules["whois"]

	h.keys("m")
	if h.a.curChecklist() == nil {
		t.Fatal("m did not open the module picker")
	}
	c := h.a.curChecklist()
	// A domain is offered every module; the failed ones and those that never
	// ran are pre-checked.
	if !slices.Equal(h.a.offeredModules(), recon.ModuleIDs) {
		t.Fatalf("offered %v", h.a.offeredModules())
	}
	var pre []string
	for _, i := range c.Selected() {
		pre = append(pre, h.a.offeredModules()[i])
	}
	// geoip and headers failed in the fixture; a module declared since it
	// was made never ran on it and is offered checked too.
	want := []string{}
	for _, id := range recon.ModuleIDs {
		if m := before.Modules[id]; m == nil || id == "geoip" || id == "headers" {
			want = append(want, id)
		}
	}
	if !slices.Equal(pre, want) {
		t.Fatalf("pre-checked %v, want %v", pre, want)
	}
	if !has(h.a.View(), "Run modules on nova-parcels.com") {
		t.Fatalf("picker not drawn:\n%s", h.a.View())
	}
	// Uncheck all, check ssl (cursor down twice) and headers, then run.
	h.keys("a", "a", "down", "down", "space")
	for range 6 {
		h.keys("j")
	}
	h.keys("space", "enter")
	if h.a.curChecklist() != nil {
		t.Fatal("picker still open after enter")
	}
	if got := rec.only[len(rec.only)-1]; !slices.Equal(got, []string{"ssl", "headers"}) {
		t.Fatalf("scan asked for %v, want [ssl headers]", got)
	}
	e := h.a.s.Node(root).Entity
	after := e.Scan
	if after == before {
		t.Fatal("report not replaced")
	}
	if after.Modules["whois"].Facts != whoisBefore.Facts {
		t.Error("whois result not kept")
	}
	if after.Modules["headers"].Status != recon.StatusOK {
		t.Errorf("headers not replaced: %v", after.Modules["headers"].Status)
	}
	if !after.Modules["ssl"].Started.Equal(now.Add(time.Hour)) || !after.Modules["dns"].Started.Equal(before.Modules["dns"].Started) {
		t.Error("module Started times not kept per module")
	}
	if before.Modules["headers"].Status != recon.StatusError {
		t.Error("the old report was modified in place")
	}
	// The assessment is recomputed over the merged modules.
	for _, g := range after.Assessment.Signals {
		if g.Module == "headers" && has(g.Text, "connection refused") {
			t.Errorf("stale headers signal %q", g.Text)
		}
	}
	if e.State != pivot.StateDone {
		t.Errorf("state %q", e.State)
	}
	// The new SAN became a child; the old children stayed.
	kids := childValues(h.a.s, root)
	if !slices.Contains(kids, "nova-refunds.com") || !slices.Contains(kids, "nova-tracking.net") {
		t.Errorf("children %v", kids)
	}
}

func TestModulePickerNeedsAChoiceAndCancels(t *testing.T) {
	rec := &onlyRecorder{w: &world{}}
	h := newHarness(t, Options{Target: "nova-parcels.com", Scan: rec.scan})
	n := len(rec.only)
	h.keys("m", "a", "a") // all, then none
	h.keys("enter")
	if h.a.curChecklist() == nil || h.a.curChecklist().Err == "" {
		t.Fatal("enter with nothing checked must keep the picker open with a hint")
	}
	h.keys("esc")
	if h.a.curChecklist() != nil || len(rec.only) != n {
		t.Fatal("esc must close the picker without scanning")
	}
	// An IP is offered only the modules that apply to an IP.
	h.selectValue("185.220.101.47")
	h.keys("m")
	if h.a.curChecklist() == nil || slices.Contains(h.a.offeredModules(), "whois") || !slices.Contains(h.a.offeredModules(), "geoip") {
		t.Fatalf("IP offered %v", h.a.offeredModules())
	}
	h.keys("esc")
	// A registrar is not scanned.
	h.selectValue("NameCheap, Inc.")
	h.keys("m")
	if h.a.curChecklist() != nil {
		t.Fatal("picker opened on a registrar")
	}
}

// TestModuleMergeDuringSave: a module run that lands while a save is in
// flight is merged at once; the save writes the report of its snapshot.
func TestModuleMergeDuringSave(t *testing.T) {
	rec := &onlyRecorder{w: &world{}}
	path := filepath.Join(t.TempDir(), "case.json")
	h := newHarness(t, Options{Target: "nova-parcels.com", Scan: rec.scan, SessionPath: path})
	root := h.a.s.Roots()[0]
	before := h.a.s.Node(root).Entity.Scan
	save := h.a.saveTo(path, true) // a save in flight
	h.a.sched.running++            // as if the module scan were in flight
	_, cmd := h.a.Update(scanDoneMsg{NodeID: root, EntityKey: h.a.s.Node(root).Entity.Key, Seq: h.a.sched.seq[h.a.s.Node(root).Entity.Key], Only: []string{"ssl"},
		Report: rec.scan(context.Background(), recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}, []string{"ssl"})})
	_ = cmd
	if h.a.s.Node(root).Entity.Scan == before {
		t.Fatal("merge not applied while a save was in flight")
	}
	if !slices.Contains(childValues(h.a.s, root), "nova-refunds.com") {
		t.Error("new pivot not attached")
	}
	save()
	s, err := pivot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(childValues(s, s.Roots()[0]), "nova-refunds.com") {
		t.Error("the save wrote the merge made after its snapshot")
	}
}

// TestModulePickerWheel: the mouse wheel over the module picker (m) moves
// its cursor, as the keys do; space then ticks the module under it.
func TestModulePickerWheel(t *testing.T) {
	rec := &onlyRecorder{w: &world{}}
	h := newHarness(t, Options{Target: "nova-parcels.com", Scan: rec.scan})
	h.keys("m")
	c := h.a.curChecklist()
	if c == nil || len(c.Items) < 3 {
		t.Fatal("no module picker")
	}
	for _, b := range []tea.MouseButton{tea.MouseButtonWheelDown, tea.MouseButtonWheelDown, tea.MouseButtonWheelUp} {
		h.send(tea.MouseMsg{X: 40, Y: 10, Action: tea.MouseActionPress, Button: b})
	}
	if c = h.a.curChecklist(); c == nil || c.Cursor != 1 {
		t.Fatalf("wheel down, down, up: picker %v", c)
	}
	before := slices.Clone(c.Checked)
	h.keys("space")
	if c.Checked[1] == before[1] {
		t.Errorf("space did not toggle the item under the wheel's cursor")
	}
}
