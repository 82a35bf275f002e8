package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/render"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/detail"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// scheduler is the scan queue: the jobs waiting for a slot (at most
// Options.Concurrency run at once), the scans running and their progress,
// each entity's scan sequence number (a result with an older one is
// stale), and the spinner shown while scans run.
type scheduler struct {
	ctx      context.Context // cancelled when the workbench quits
	cancel   context.CancelFunc
	queue    []job
	queued   map[pivot.EntityKey]bool // entities with a job in queue
	running  int
	seq      map[pivot.EntityKey]int
	inflight map[pivot.EntityKey]int
	progress map[pivot.EntityKey]detail.Progress // modules done so far, per running scan
	spin     spinner.Model
	frame    int
	spinning bool
}

// job is one scan waiting for a slot.
type job struct {
	nodeID string
	key    pivot.EntityKey
	target recon.Target
	expand bool     // open the node when its children arrive
	only   []string // run only these modules and merge their results
}

// scanDoneMsg carries a finished scan back to Update, tagged with who asked
// and the entity's scan sequence number so that stale results are dropped.
type scanDoneMsg struct {
	NodeID    string
	EntityKey pivot.EntityKey
	Report    *recon.Report
	Seq       int
	Err       string
	Expand    bool
	Only      []string // the modules run; the report is merged into the entity's
}

type spinTickMsg struct{}

func sanitizeLine(s string) string { return sanitize.Line(s) }

// progressMsg reports the modules done so far of one scan in flight.
type progressMsg struct {
	EntityKey pivot.EntityKey
	Seq       int
	P         detail.Progress
	ch        chan detail.Progress
}

// scanCmd runs fn (or pfn, which reports progress on ch) on copies of its
// inputs; it never reads the model.
func scanCmd(ctx context.Context, fn ScanFunc, pfn ProgressScanFunc, ch chan detail.Progress, j job, seq int) tea.Cmd {
	t, nodeID, key, expand, only := j.target, j.nodeID, j.key, j.expand, slices.Clone(j.only)
	return func() (msg tea.Msg) {
		done := scanDoneMsg{NodeID: nodeID, EntityKey: key, Seq: seq, Expand: expand, Only: only}
		if ch != nil {
			defer close(ch)
		}
		defer func() {
			if r := recover(); r != nil {
				done.Report = nil
				done.Err = fmt.Sprintf("the scan crashed (%v); please report this", r)
				msg = done
			}
		}()
		var rep *recon.Report
		switch {
		case pfn != nil:
			rep = pfn(ctx, t, slices.Clone(only), func(latest detail.Progress) {
				for {
					select {
					case ch <- latest:
						return
					default: // the UI has not read the last one: replace it
						select {
						case <-ch:
						default:
						}
					}
				}
			})
		case fn != nil:
			rep = fn(ctx, t, slices.Clone(only))
		default:
			done.Err = "no scanner configured"
			return done
		}
		if rep == nil {
			done.Err = "the scan returned no report"
			if ctx.Err() != nil {
				done.Err = "scan cancelled"
			}
		}
		done.Report = rep
		return done
	}
}

// waitProgress waits for the next progress report of one scan; Update
// re-arms it until the scan ends and the channel closes.
func waitProgress(ch chan detail.Progress, key pivot.EntityKey, seq int) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return progressMsg{EntityKey: key, Seq: seq, P: p, ch: ch}
	}
}

func (a *App) onProgress(m progressMsg) tea.Cmd {
	if m.Seq == a.sched.seq[m.EntityKey] && a.sched.inflight[m.EntityKey] > 0 {
		if a.sched.progress == nil {
			a.sched.progress = map[pivot.EntityKey]detail.Progress{}
		}
		a.sched.progress[m.EntityKey] = m.P
		a.tree.SetProgress(m.EntityKey, fmt.Sprintf("%d/%d", len(m.P.Done), len(m.P.Done)+len(m.P.Pending)))
		if n := a.tree.Selected(); n != nil && n.Entity.Key == m.EntityKey {
			a.rev++ // the detail pane shows the progress
		}
	}
	return waitProgress(m.ch, m.EntityKey, m.Seq)
}

// enqueue puts node id's scan in the queue. It reports false (and why) when
// the node cannot be scanned now.
func (a *App) enqueue(id string, expand bool) (bool, string) {
	j, why := a.job(id, expand)
	if why != "" {
		return false, why
	}
	a.sched.push(j)
	a.s.SetState(id, pivot.StateQueued, "")
	a.changed()
	return true, ""
}

// job builds the scan job of node id, or says why it cannot be queued.
func (a *App) job(id string, expand bool) (job, string) {
	n := a.s.Node(id)
	if n == nil {
		return job{}, "no such node"
	}
	t, err := n.Target()
	if err != nil {
		return job{}, err.Error()
	}
	e := n.Entity
	if a.sched.queued[e.Key] {
		return job{}, sanitizeLine(n.Value) + " is already queued"
	}
	if e.State == pivot.StateRunning && a.sched.inFlight(e.Key) {
		return job{}, sanitizeLine(n.Value) + " is already being scanned"
	}
	return job{nodeID: id, key: e.Key, target: t, expand: expand}, ""
}

// push appends j to the queue (O(1)).
func (q *scheduler) push(j job) {
	if q.queued == nil {
		q.queued = map[pivot.EntityKey]bool{}
	}
	q.queued[j.key] = true
	q.queue = append(q.queue, j)
}

// unqueue removes entity k's waiting job, if any.
func (q *scheduler) unqueue(k pivot.EntityKey) {
	if !q.queued[k] {
		return
	}
	delete(q.queued, k)
	for i, j := range q.queue {
		if j.key == k {
			q.queue = append(q.queue[:i], q.queue[i+1:]...)
			return
		}
	}
}

// active reports whether scans are running or waiting: a burst is under way.
func (q *scheduler) active() bool { return q.running > 0 || len(q.queue) > 0 }

// queueMany queues the scans of nodes ids in one step: one job each
// (O(1) apiece) and a single session change, so that thousands of
// children queue at once instead of rebuilding the tree and the clusters
// after every one. It returns how many were queued.
func (a *App) queueMany(ids []string) int {
	var queued []string
	for _, id := range ids {
		j, why := a.job(id, false)
		if why != "" {
			continue
		}
		a.sched.push(j)
		queued = append(queued, id)
	}
	if len(queued) > 0 {
		for _, id := range queued {
			a.s.SetState(id, pivot.StateQueued, "")
		}
		a.changed()
	}
	return len(queued)
}

// inFlight reports whether a scan of entity k is running.
func (q *scheduler) inFlight(k pivot.EntityKey) bool {
	return q.running > 0 && q.seq[k] > 0 && q.inflight[k] > 0
}

// pump starts queued scans while slots are free.
func (a *App) pump() tea.Cmd {
	var cmds []tea.Cmd
	var started []string
	for a.sched.running < a.o.Concurrency && len(a.sched.queue) > 0 {
		j := a.sched.queue[0]
		a.sched.queue[0] = job{}
		a.sched.queue = a.sched.queue[1:]
		delete(a.sched.queued, j.key)
		a.sched.seq[j.key]++
		a.sched.running++
		if a.sched.inflight == nil {
			a.sched.inflight = map[pivot.EntityKey]int{}
		}
		a.sched.inflight[j.key]++
		started = append(started, j.nodeID)
		var ch chan detail.Progress
		if a.o.ScanProgress != nil {
			ch = make(chan detail.Progress, 1)
		}
		cmds = append(cmds, scanCmd(a.sched.ctx, a.o.Scan, a.o.ScanProgress, ch, j, a.sched.seq[j.key]))
		if ch != nil {
			cmds = append(cmds, waitProgress(ch, j.key, a.sched.seq[j.key]))
		}
	}
	if len(started) > 0 {
		for _, id := range started {
			a.s.SetState(id, pivot.StateRunning, "")
		}
		a.changed()
	}
	if a.sched.running > 0 && !a.sched.spinning {
		a.sched.spinning = true
		cmds = append(cmds, a.spinTick())
	}
	return tea.Batch(cmds...)
}

func (a *App) spinTick() tea.Cmd {
	return a.seam.after(a.sched.spin.Spinner.FPS, func(time.Time) tea.Msg { return spinTickMsg{} })
}

func (a *App) onSpin() tea.Cmd {
	if a.sched.running == 0 {
		a.sched.spinning = false
		return nil
	}
	a.sched.frame++
	return a.spinTick()
}

func (a *App) onScanDone(m scanDoneMsg) (res tea.Cmd) {
	a.sched.running--
	if a.sched.inflight[m.EntityKey] > 0 {
		a.sched.inflight[m.EntityKey]--
	}
	if a.sched.inflight[m.EntityKey] == 0 {
		delete(a.sched.progress, m.EntityKey)
		a.tree.SetProgress(m.EntityKey, "")
	}
	if m.Seq != a.sched.seq[m.EntityKey] {
		return a.pump() // stale: the entity was rescanned since
	}
	defer func() { res = tea.Batch(res, a.rescanStep(m.EntityKey)) }()
	at := a.o.Now()
	var toast tea.Cmd
	switch {
	case m.Report == nil:
		id, why, partial := m.NodeID, m.Err, len(m.Only) > 0
		// A failed module run keeps the report the entity already has.
		if n := a.s.Node(id); partial && n != nil && n.Entity.Scan != nil {
			a.s.SetState(id, pivot.StateDone, "")
		} else {
			a.s.SetState(id, pivot.StateFailed, why)
		}
		a.changed()
		if n := a.s.Node(m.NodeID); n != nil {
			toast = a.toastCmd("scan of "+sanitizeLine(n.Value)+" failed: "+sanitizeLine(why), true)
		}
	case len(m.Only) > 0:
		if n := a.s.Node(m.NodeID); n != nil {
			// A new merged report: the one attached may be in a snapshot
			// a save is writing.
			a.s.Attach(n.ID, recon.MergeReports(n.Entity.Scan, m.Report, at), at)
			if m.Expand {
				a.tree.SetOpen(n.ID, true)
			}
			a.changed()
			toast = a.toastCmd("ran "+strings.Join(m.Only, ", ")+" on "+sanitizeLine(n.Value)+"; results merged", false)
		}
	default:
		a.s.Attach(m.NodeID, m.Report, at)
		if m.Expand {
			a.tree.SetOpen(m.NodeID, true)
		}
		a.changed()
	}
	return tea.Batch(toast, a.pump(), a.requestAutosave())
}

// enter scans an unscanned node, toggles an already scanned one, and on a
// value that is a link between domains rather than a target of its own
// (registrar, ASN, network, certificate, key — and name servers and mail
// exchangers, where the seed asks "who else uses these name servers")
// moves the focus to the list of who shares it.
func (a *App) enter() tea.Cmd {
	n := a.tree.Selected()
	if n == nil {
		return nil
	}
	if !pivot.Scannable(n.Kind) || n.Kind == recon.PivotNS || n.Kind == recon.PivotMX {
		return a.showSharing(n)
	}
	e := n.Entity
	switch {
	case e.Busy():
		return a.toastCmd(sanitizeLine(n.Value)+" is already being scanned", false)
	case e.Scan != nil:
		if len(n.Children) == 0 && len(e.Scan.Pivots()) > 0 {
			// The entity was scanned at another place of the tree: reuse it here.
			a.s.Attach(n.ID, e.Scan, e.ScannedAt)
			a.tree.SetOpen(n.ID, true)
			a.changed()
			return nil
		}
		a.tree.SetOpen(n.ID, !a.tree.Open(n.ID))
		return nil
	}
	if ok, why := a.enqueue(n.ID, true); !ok {
		return a.toastCmd(why, true)
	}
	return a.pump()
}

// showSharing moves the focus to the detail pane's list of the entities
// that share n, or says that none does yet.
func (a *App) showSharing(n *pivot.Node) tea.Cmd {
	a.sync()
	if len(a.detail.Links()) == 0 {
		msg := "nothing else in this session shares " + sanitizeLine(n.Value) + " yet; scan more nodes (a)"
		if pivot.Scannable(n.Kind) {
			msg += "; r scans the host itself"
		}
		return a.toastCmd(msg, false)
	}
	a.setFocus(focusDetail)
	return nil
}

// rescan scans the selected node again; an earlier result still in flight
// is dropped when it arrives.
func (a *App) rescan() tea.Cmd {
	n := a.tree.Selected() // the table's guard (scannable)
	a.sched.unqueue(n.Entity.Key)
	if a.sched.inflight[n.Entity.Key] > 0 {
		a.sched.seq[n.Entity.Key]++ // the running scan's result is now stale
	}
	t, err := n.Target()
	if err != nil {
		return a.toastCmd(err.Error(), true)
	}
	a.sched.push(job{nodeID: n.ID, key: n.Entity.Key, target: t, expand: true})
	a.s.SetState(n.ID, pivot.StateQueued, "")
	a.changed()
	verb := "rescanning "
	if n.Entity.Scan == nil {
		verb = "scanning "
	}
	return tea.Batch(a.toastCmd(verb+sanitizeLine(n.Value), false), a.pump())
}

// askAbove is how many scans a accepts without asking first.
const askAbove = 200

// scanChildren queues every unscanned scannable child of the selection;
// above askAbove it asks first.
func (a *App) scanChildren() tea.Cmd {
	n := a.tree.Selected() // the table's guard (hasSelection)
	var ids []string
	seen := map[pivot.EntityKey]bool{}
	for _, c := range n.Children {
		cn := a.s.Node(c)
		if cn == nil || !pivot.Scannable(cn.Kind) || cn.Entity.Scan != nil || cn.Entity.Busy() || seen[cn.Entity.Key] {
			continue
		}
		seen[cn.Entity.Key] = true
		ids = append(ids, c)
	}
	if len(ids) == 0 {
		return a.toastCmd("no unscanned children to scan here", false)
	}
	a.tree.SetOpen(n.ID, true)
	if len(ids) > askAbove {
		p := dialog.NewPicker(a.st, "scan-many", fmt.Sprintf("Queue %s of %s?", render.Count(len(ids), "scan"), sanitizeLine(n.Value)), []string{
			fmt.Sprintf("queue all %d (%d at once)", len(ids), a.o.Concurrency),
			fmt.Sprintf("queue the first %d", askAbove),
			"cancel",
		}).OnPick(func(i int) tea.Cmd {
			switch i {
			case 0:
				return a.queueChildren(ids)
			case 1:
				return a.queueChildren(ids[:askAbove])
			}
			return nil
		})
		p.Hint = "every scan asks the sources again: many scans take long and may hit rate limits"
		a.open(p)
		return nil
	}
	return a.queueChildren(ids)
}

// queueChildren queues ids and says so.
func (a *App) queueChildren(ids []string) tea.Cmd {
	count := a.queueMany(ids)
	if count == 0 {
		return a.toastCmd("no unscanned children to scan here", false)
	}
	return tea.Batch(a.toastCmd(fmt.Sprintf("queued %s (%d at once)", render.Count(count, "scan"), a.o.Concurrency), false), a.pump())
}

// addTarget adds input as a new root, selects it and queues its scan.
func (a *App) addTarget(input string) {
	t, err := recon.ParseTarget(input)
	if err != nil {
		a.openTargetPrompt(sanitizeLine(err.Error()))
		return
	}
	id := a.s.AddRoot(t).ID
	a.changed()
	a.tree.Select(id)
	if n := a.s.Node(id); n != nil && n.Entity.Scan == nil {
		a.enqueue(id, true)
	}
}

// runModules queues a scan of node id that runs only the modules ids.
func (a *App) runModules(id string, ids []string) tea.Cmd {
	n := a.s.Node(id)
	if n == nil {
		return nil
	}
	t, err := n.Target()
	if err != nil {
		return a.toastCmd(sanitizeLine(err.Error()), true)
	}
	e := n.Entity
	if e.Busy() {
		return a.toastCmd(sanitizeLine(n.Value)+" is already being scanned; try again when it is done", true)
	}
	a.sched.push(job{nodeID: id, key: e.Key, target: t, expand: true, only: slices.Clone(ids)})
	a.s.SetState(id, pivot.StateQueued, "")
	a.changed()
	return tea.Batch(a.toastCmd("running "+strings.Join(ids, ", ")+" on "+sanitizeLine(n.Value), false), a.pump())
}
