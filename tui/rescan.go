package tui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/pivot/diff"
	"github.com/netspecter/netspecter-tui/recon/render"
	"github.com/netspecter/netspecter-tui/tui/changes"
	"github.com/netspecter/netspecter-tui/tui/treeview"
)

// rescanState is the rescan of every scanned entity (R) and what it changed.
type rescanState struct {
	// before is the state the changes are measured from: the instant the
	// last rescan began (zero: no rescan known).
	before time.Time
	// waiting are the entities of the running rescan still to finish.
	waiting map[pivot.EntityKey]bool
	total   int
	result  *diff.Result
	marks   map[string]treeview.Mark
	glyphs  changes.Styles
	stale   bool // scans finished since result was computed
}

// initRescan picks up the last rescan a reopened session holds, so its
// changes show at once.
func (a *App) initRescan() {
	a.rs.glyphs = changes.DefaultStyles()
	if _, before := a.s.LastRescan(); !before.IsZero() {
		a.rs.before = before
		a.refreshChanges()
	}
}

// rescanAll queues a rescan of every scanned entity (at most
// Options.Concurrency at once); R again while it runs stops it, keeping
// what was rescanned.
func (a *App) rescanAll() tea.Cmd {
	if len(a.rs.waiting) > 0 {
		return a.stopRescan()
	}
	ids := a.s.Rescannable()
	if len(ids) == 0 {
		return a.toastCmd("nothing scanned yet to rescan", true)
	}
	before := a.o.Now()
	for _, e := range a.s.Entities() {
		if e.ScannedAt.After(before) {
			before = e.ScannedAt
		}
	}
	a.rs.before = before
	a.rs.waiting = map[pivot.EntityKey]bool{}
	a.rs.total = 0
	queued := false
	for _, id := range ids {
		n := a.s.Node(id)
		if n == nil || a.rs.waiting[n.Entity.Key] {
			continue
		}
		if n.Entity.Busy() {
			a.rs.waiting[n.Entity.Key] = true // its scan in flight counts as its rescan
			a.rs.total++
			continue
		}
		t, err := n.Target()
		if err != nil {
			continue
		}
		a.sched.push(job{nodeID: id, key: n.Entity.Key, target: t})
		a.rs.waiting[n.Entity.Key] = true
		a.rs.total++
		a.s.SetState(id, pivot.StateQueued, "")
		queued = true
	}
	if queued {
		a.changed()
	}
	return tea.Batch(a.toastCmd(fmt.Sprintf("rescanning %s (%d at once) · R again to stop", render.Count(a.rs.total, "entity"), a.o.Concurrency), false), a.pump())
}

// stopRescan drops the rescan's queued scans; the ones running finish and
// are kept.
func (a *App) stopRescan() tea.Cmd {
	kept := a.sched.queue[:0]
	dropped := 0
	for _, j := range a.sched.queue {
		if a.rs.waiting[j.key] && len(j.only) == 0 {
			dropped++
			delete(a.rs.waiting, j.key)
			delete(a.sched.queued, j.key)
			if n := a.s.Node(j.nodeID); n != nil && n.Entity.Scan != nil {
				a.s.SetState(j.nodeID, pivot.StateDone, "")
			} else {
				a.s.SetState(j.nodeID, pivot.StateNone, "")
			}
			continue
		}
		kept = append(kept, j)
	}
	a.sched.queue = kept
	if dropped > 0 {
		a.changed()
	}
	msg := fmt.Sprintf("rescan stopped: %d not rescanned", dropped)
	if len(a.rs.waiting) > 0 {
		msg += fmt.Sprintf(", %d still running", len(a.rs.waiting))
	} else {
		a.refreshChanges()
	}
	return a.toastCmd(msg, false)
}

// rescanStep counts a finished scan towards the running rescan and, after
// the last one, shows what changed.
func (a *App) rescanStep(k pivot.EntityKey) tea.Cmd {
	if !a.rs.waiting[k] {
		// Another scan after R (r, enter, a): keep the view true, once the
		// burst of scans is over (a diff of a 10,000-node session costs
		// about 0.1 s of CPU; BenchmarkCompare in pivot/diff).
		if !a.rs.before.IsZero() && len(a.rs.waiting) == 0 {
			a.rs.stale = true
		}
		if a.rs.stale && !a.sched.active() {
			a.refreshChanges()
		}
		return nil
	}
	delete(a.rs.waiting, k)
	if n := len(a.rs.waiting); n > 0 {
		return a.toastCmd(fmt.Sprintf("rescanning: %d of %d done · R to stop", a.rs.total-n, a.rs.total), false)
	}
	a.refreshChanges()
	return a.toastCmd(a.rescanDoneText(), false)
}

func (a *App) rescanDoneText() string {
	if a.rs.result == nil {
		return "rescan done"
	}
	return "rescan done: " + a.rs.result.Summary() + " · c then 4 lists them"
}

// refreshChanges compares the session with itself before the last rescan
// and updates the changes view and the tree's marks.
func (a *App) refreshChanges() {
	if a.rs.before.IsZero() {
		return
	}
	a.rs.stale = false
	a.rs.result = diff.Compare(a.s.AsOf(a.rs.before), a.s)
	kinds := changes.Marks(a.s, a.rs.before, a.rs.result)
	a.rs.marks = make(map[string]treeview.Mark, len(kinds))
	for id, k := range kinds {
		a.rs.marks[id] = treeview.Mark{Glyph: k.Glyph(), Style: a.rs.glyphs[k]}
	}
	a.tree.SetMarks(a.rs.marks)
	a.clus.Changes().SetResult(a.rs.result, a.rs.before)
}
