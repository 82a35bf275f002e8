package tui

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
	"github.com/netspecter/netspecter-tui/tui/changes"
	"github.com/netspecter/netspecter-tui/tui/clusters"
)

// ticking is a clock that moves one second per reading, so that every scan
// finishes at its own time.
type ticking struct{ n atomic.Int64 }

func (c *ticking) now() time.Time {
	return time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC).Add(time.Duration(c.n.Add(1)) * time.Second)
}

// labScanner starts a lab of world (loopback only) and returns a scan
// function over it.
func labScanner(t *testing.T, w *lab.World) func(ctx context.Context, tg recon.Target, only []string) *recon.Report {
	t.Helper()
	l, err := lab.Start(t.Context(), w, lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	sc := recon.NewScanner(l.Env(), modules.All())
	return func(ctx context.Context, tg recon.Target, only []string) *recon.Report {
		return sc.Scan(ctx, tg, recon.ScanOptions{Only: only})
	}
}

func markOf(h *harness, parent, value string) string {
	for _, id := range h.a.s.NodeIDs() {
		n := h.a.s.Node(id)
		if n.Value != value {
			continue
		}
		if p := h.a.s.Node(n.Parent); parent == "" && p == nil || p != nil && p.Value == parent {
			return h.a.rs.marks[id].Glyph
		}
	}
	return "(no node)"
}

// TestRescanAllMovedDomain is issue 20's acceptance case in the workbench:
// nova-parcels.com investigated at depth 1 on the demo world, then R on the
// world in which it moved and its certificate gained a SAN.
func TestRescanAllMovedDomain(t *testing.T) {
	moved, err := lab.LoadWorldFile("../testdata/lab/rescan-moved.json")
	if err != nil {
		t.Fatal(err)
	}
	before, after := labScanner(t, lab.Demo()), labScanner(t, moved)
	var clock ticking
	s := pivot.NewSession(clock.now())
	scanBefore := func(ctx context.Context, tg recon.Target) *recon.Report { return before(ctx, tg, nil) }
	if err := pivot.Investigate(t.Context(), s, recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}, scanBefore,
		pivot.InvestigateOptions{Depth: 1, Now: clock.now}); err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[func(context.Context, recon.Target, []string) *recon.Report]
	current.Store(&after)
	h := newHarness(t, Options{Session: s, Scan: func(ctx context.Context, tg recon.Target, only []string) *recon.Report {
		return (*current.Load())(ctx, tg, only)
	}})
	h.a.o.Now = clock.now
	rescannable := len(s.Rescannable())

	h.keys("R")
	if len(h.a.rs.waiting) != 0 || h.a.sched.running != 0 || h.a.rs.result == nil {
		t.Fatalf("rescan did not finish: waiting %d running %d", len(h.a.rs.waiting), h.a.sched.running)
	}
	r := h.a.rs.result
	var a, sans string
	for _, c := range r.Changed {
		if c.Entity == "nova-parcels.com" && c.Module == "dns" && c.Field == "A" {
			a = strings.Join(c.Removed, ",") + " → " + strings.Join(c.Added, ",")
		}
		if c.Entity == "nova-parcels.com" && c.Module == "ssl" && c.Field == "SANs" {
			sans = strings.Join(c.Added, ",")
		}
	}
	if a != "185.220.101.47 → 194.26.29.81" || sans != "nova-refunds.org" {
		t.Errorf("A %q, SANs added %q; changes: %s", a, sans, r.Summary())
	}
	for _, e := range s.Entities() {
		if e.Scan != nil && e.State != pivot.StateDone {
			t.Errorf("%s left %q", e.Value, e.State)
		}
	}
	if got := len(s.Entity("domain:nova-parcels.com").History); got != 1 {
		t.Errorf("nova-parcels.com has %d earlier reports, want 1", got)
	}

	// The tree marks them, with a glyph that reads without colour.
	for _, tt := range []struct{ parent, value, want string }{
		{"", "nova-parcels.com", "Δ"},
		{"nova-parcels.com", "194.26.29.81", "+"},
		{"nova-parcels.com", "nova-refunds.org", "+"},
		{"nova-parcels.com", "185.220.101.47", "−"},
		{"nova-parcels.com", "ns1.nova-dns.net", ""},
	} {
		if got := markOf(h, tt.parent, tt.value); got != tt.want {
			t.Errorf("mark of %s under %q = %q, want %q", tt.value, tt.parent, got, tt.want)
		}
	}
	h.selectValue("nova-parcels.com")
	h.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	view := h.a.View()
	if !strings.Contains(view, "Δ") || !strings.Contains(view, "−") || !strings.Contains(view, "+") {
		t.Errorf("the tree shows no change marks:\n%s", view)
	}

	// The changes view lists them; enter jumps to the node.
	h.keys("c", "4")
	if h.a.clus.Tab() != clusters.TabChanges || !h.a.showClusters {
		t.Fatal("c 4 did not open the changes view")
	}
	view = h.a.View()
	for _, want := range []string{"CHANGES", "dns A: +194.26.29.81 −185.220.101.47", "ssl SANs: +nova-refunds.org"} {
		if !strings.Contains(view, want) {
			t.Errorf("changes view lacks %q:\n%s", want, view)
		}
	}
	chg := h.a.clus.Changes()
	for range chg.Count() + 5 {
		if chg.Selected() == "ip:194.26.29.81" {
			break
		}
		h.keys("j")
	}
	if chg.Selected() != "ip:194.26.29.81" {
		t.Fatalf("no line for the new address; at %q", chg.Selected())
	}
	h.keys("enter")
	if n := h.selected(); n == nil || n.Value != "194.26.29.81" || h.a.showClusters {
		t.Errorf("enter selected %+v (clusters shown %v)", n, h.a.showClusters)
	}

	// R again on the same world: nothing changed.
	h.keys("R")
	if r := h.a.rs.result; r == nil || !r.Empty() {
		t.Errorf("a rescan on the same world reports changes: %s", r.Summary())
	}
	if len(s.Rescannable()) < rescannable {
		t.Errorf("rescannable entities went from %d to %d", rescannable, len(s.Rescannable()))
	}
}

func TestRescanAllBoundedAndStoppable(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com", Concurrency: 2})
	h.keys("g", "a") // scan the root's children: five scanned entities
	var clock ticking
	h.a.o.Now = clock.now
	total := len(h.a.s.Rescannable())
	if total < 4 {
		t.Fatalf("%d scanned entities", total)
	}
	held := h.a.rescanAll() // the scans' commands are not run yet
	if h.a.sched.running != 2 || len(h.a.sched.queue) != total-2 {
		t.Fatalf("running %d queued %d, want 2 and %d", h.a.sched.running, len(h.a.sched.queue), total-2)
	}
	if !strings.Contains(h.a.toast.text, "rescanning "+itoa(total)+" entities (2 at once)") {
		t.Errorf("toast %q", h.a.toast.text)
	}
	h.keys("R") // stop: the queued ones are dropped, the running ones finish
	if len(h.a.sched.queue) != 0 || len(h.a.rs.waiting) != 2 || !strings.Contains(h.a.toast.text, "rescan stopped") {
		t.Fatalf("after stop: queue %d waiting %d toast %q", len(h.a.sched.queue), len(h.a.rs.waiting), h.a.toast.text)
	}
	for _, e := range h.a.s.Entities() {
		if e.Scan != nil && e.State == pivot.StateQueued {
			t.Errorf("%s still queued", e.Value)
		}
	}
	h.run(held)
	if h.a.sched.running != 0 || len(h.a.rs.waiting) != 0 || h.a.rs.result == nil {
		t.Fatalf("running %d waiting %d", h.a.sched.running, len(h.a.rs.waiting))
	}
	rescanned := 0
	for _, e := range h.a.s.Entities() {
		if e.Rescanned() {
			rescanned++
		}
	}
	if rescanned != 2 {
		t.Errorf("%d entities rescanned, want the 2 that were running", rescanned)
	}
	// The fake world answers the same: nothing changed.
	if !h.a.rs.result.Empty() || !strings.Contains(h.a.toast.text, "no changes") {
		t.Errorf("result %s, toast %q", h.a.rs.result.Summary(), h.a.toast.text)
	}
}

func TestReopenedSessionShowsLastRescan(t *testing.T) {
	var clock ticking
	s := pivot.NewSession(clock.now())
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	s.Attach(root.ID, report(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"}), clock.now())
	moved := report(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	recon.FactsOf[recon.DNSFacts](moved, "dns").A = []string{"194.26.29.81"}
	s.Attach(root.ID, moved, clock.now())
	h := newHarness(t, Options{Session: s})
	if h.a.rs.result == nil || h.a.clus.Changes().Count() == 0 || h.a.rs.marks[root.ID].Glyph != changes.KindChanged.Glyph() {
		t.Errorf("reopened session: result %v, marks %v", h.a.rs.result, h.a.rs.marks)
	}
}

// A save in flight writes its snapshot; the rescan's reports are attached
// and compared at once (the save used to hold them back).
func TestRescanAllDuringSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.json")
	h := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: path})
	var clock ticking
	h.a.o.Now = clock.now
	save := h.a.saveTo(path, true) // a save in flight
	h.keys("R")
	if h.a.rs.result == nil || !h.a.rs.result.Empty() || h.a.toast.text != "rescan done: no changes · c then 4 lists them" {
		t.Errorf("during the save: result %v, toast %q", h.a.rs.result, h.a.toast.text)
	}
	save()
	if s, err := pivot.Load(path); err != nil || s.Entity("domain:nova-parcels.com").Rescanned() {
		t.Errorf("the save wrote the rescan made after its snapshot (err %v)", err)
	}
	if !h.a.s.Entity("domain:nova-parcels.com").Rescanned() {
		t.Error("the rescan was not attached")
	}
}

// At 80 columns the pane's tab line still shows every view, the changes
// view included.
func TestTabsFitNarrowPane(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("c", "4")
	first := strings.SplitN(h.a.View(), "\n", 2)[0]
	for _, want := range []string{"CLUS", "MATRIX", "TIME", "CHG 0"} {
		if !strings.Contains(first, want) {
			t.Errorf("tab line %q lacks %q", first, want)
		}
	}
	if !strings.Contains(h.a.View(), "No rescan yet") {
		t.Errorf("changes view:\n%s", h.a.View())
	}
}

// R queues through the scheduler like every scan: r on an entity R queued
// moves its one job instead of adding a second, and stopping R leaves no
// entity marked queued in the scheduler.
func TestRescanAllQueuesThroughTheScheduler(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com", Concurrency: 1})
	h.keys("g", "a")
	h.a.rescanAll() // the running scan's command is not run
	if len(h.a.sched.queue) < 2 {
		t.Fatalf("queued %d", len(h.a.sched.queue))
	}
	j := h.a.sched.queue[len(h.a.sched.queue)-1]
	if !h.a.sched.queued[j.key] {
		t.Errorf("%s is in the queue but not marked queued", j.key)
	}
	h.a.tree.Select(j.nodeID)
	h.keys("r")
	n := 0
	for _, q := range h.a.sched.queue {
		if q.key == j.key {
			n++
		}
	}
	if n != 1 {
		t.Errorf("r on a node R queued: %d jobs of %s, want 1", n, j.key)
	}
	h.keys("R") // stop
	for k := range h.a.sched.queued {
		t.Errorf("%s still marked queued after the stop (queue %d)", k, len(h.a.sched.queue))
	}
}
