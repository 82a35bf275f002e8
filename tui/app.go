package tui

import (
	"context"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/doctor"
	"github.com/netspecter/netspecter-tui/tui/clusters"
	"github.com/netspecter/netspecter-tui/tui/detail"
	"github.com/netspecter/netspecter-tui/tui/dialog"
	"github.com/netspecter/netspecter-tui/tui/statusbar"
	"github.com/netspecter/netspecter-tui/tui/styles"
	"github.com/netspecter/netspecter-tui/tui/treeview"
)

// ScanFunc runs a Full Scan of t (or only the given module ids). The TUI
// calls it from a tea.Cmd with copied inputs; it must honour ctx.
type ScanFunc func(ctx context.Context, t recon.Target, only []string) *recon.Report

// ScanUpdate is a running scan's progress: the modules done, with their
// results (before the assessment), and those still running.
type ScanUpdate = detail.Progress

// ProgressScanFunc is a ScanFunc that also reports its progress as each
// module finishes (calls serialised, none after it returns).
type ProgressScanFunc func(ctx context.Context, t recon.Target, only []string, progress func(ScanUpdate)) *recon.Report

// Options configure the workbench.
type Options struct {
	Scan ScanFunc // runs a scan; injected (lab or real); tests pass a fake
	// ScanProgress, when set, is used instead of Scan: the detail pane and
	// the tree then show each module as it finishes.
	ScanProgress ProgressScanFunc
	Session      *pivot.Session // an existing (reopened) session, or nil for a new one
	// Opening, when set, is the session file being opened (pivot.Open):
	// its tree is drawn at once and its reports put in place when they are
	// decoded (Session is then ignored). Run returns the error of a file
	// whose reports do not decode.
	Opening      *pivot.Opening
	SessionPath  string // where s saves; "" → autosave to AutosavePath and s asks for a path
	AutosavePath string // e.g. $XDG_STATE_HOME/netspecter-tui/autosave-<time>.json
	Target       string // optional: scan this at start
	Now          func() time.Time
	Concurrency  int // scans at once (default 4)
	Sources      func() []recon.SourceStats
	// Checks runs the same source checks as the doctor command (a few
	// seconds; off the UI loop); the sources panel (p) shows them. nil:
	// no checks.
	Checks     func(ctx context.Context) []doctor.Check
	KeysLoaded []string // names of API keys loaded (never values)
	ConfigPath string
	// Export writes the session in format (md, json, csv, dot, mermaid,
	// stix) to path; nil means export is not available.
	Export func(format string, s *pivot.Session, path string) error
	Lab    string // e.g. "demo world (lab)"; "" in real mode
	// LabTargets are the lab world's domains and IP addresses; the target
	// prompt offers the domains and refuses names outside the world.
	LabTargets []string
	// ModulesFor lists the module ids the module picker (m) offers for a
	// target kind; nil means recon.ModulesFor (every declared module that
	// applies). cmd hands the scanner's own list.
	ModulesFor func(recon.Kind) []string

	// ReadOnly, when set, says why SessionPath must not be written (e.g.
	// "open in another netspecter-tui, pid 4242"): the workbench shows the
	// session, autosaves to AutosavePath and says so.
	ReadOnly string
	// Lock takes the advisory lock of a session file before s first saves
	// there (nil: no locking); release drops it. An error (pivot.ErrLocked)
	// refuses the save.
	Lock func(path string) (release func(), err error)
}

// Minimum terminal size the workbench draws in.
const (
	MinWidth  = 60
	MinHeight = 15
)

type focus int

const (
	focusTree focus = iota
	focusDetail
	focusClusters
)

// App is the root model. It implements tea.Model. Its state is grouped
// by concern, each group with its methods in its own file: the scan
// scheduler (scan.go), the clusters cache (clustercache.go), the search
// (search.go), the toast (toast.go), the source checks (sources.go), the
// key table (keys.go), the session file (save.go) and the open dialog
// (overlay.go).
type App struct {
	o    Options
	st   *styles.Styles
	keys keyTable // the global keys: what they do, when, their help
	help help.Model
	s    *pivot.Session

	tree   treeview.Model
	detail detail.Model
	bar    statusbar.Model
	clus   clusters.Model

	size         geometry
	focus        focus
	showClusters bool

	// overlay is the open dialog (prompt, picker, checklist, box,
	// question), asked first by Update, View and the footer; nil: none.
	overlay dialog.Overlay

	sched  scheduler    // scans queued, running, their progress and the spinner
	find   searchState  // the search under way (/, n, N)
	toast  toastState   // the footer's message
	shown  detailShown  // what the detail pane was last rendered for
	clu    clusterCache // the clusters and who is in them, computed lazily
	checks sourceChecks // the source checks of the sources panel (p)
	rs     rescanState  // R: rescan every scanned entity, and what changed
	rev    int          // bumped on every session change the UI must show

	file    sessionFile  // the session file: saves to it, its lock, what it holds
	reading openingState // the session file's reports, while they are read
	seam    seams        // what tests replace: timers, the clipboard, the cursor blink

	signalled os.Signal // the signal that ended the program (lifecycle.go)
}

// geometry is the terminal's size and the panes' share of it (layout).
type geometry struct {
	width, height int
	treeW, paneH  int
}

// detailShown is what the detail pane was last rendered for: the node, the
// session's rev and the pane's width (sync renders again when one changes).
type detailShown struct {
	id         string
	rev, width int
}

// seams are what tests replace.
type seams struct {
	blink bool                                                 // blinking prompt cursors
	after func(time.Duration, func(time.Time) tea.Msg) tea.Cmd // tea.Tick
	copy  func(string) error                                   // the clipboard (OSC 52)
}

var _ tea.Model = (*App)(nil)

// New returns the workbench model. With Options.Target the target is added
// as a root and scanned when the program starts; without, a centred prompt
// asks for one.
func New(o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.ModulesFor == nil {
		o.ModulesFor = recon.ModulesFor
	}
	if o.Opening != nil {
		o.Session = o.Opening.Session()
	}
	if o.Session == nil {
		o.Session = pivot.NewSession(o.Now())
	}
	st := styles.Default()
	a := &App{
		o:      o,
		st:     st,
		keys:   keyTable{KeyMap: DefaultKeyMap()},
		help:   dialog.NewHelp(st),
		s:      o.Session,
		tree:   treeview.New(o.Session, st),
		detail: detail.New(st),
		bar:    statusbar.New(st),
		clus:   clusters.New(st),
		sched:  scheduler{seq: map[pivot.EntityKey]int{}, spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))},
		file:   sessionFile{saved: o.SessionPath != ""},
		seam: seams{after: tea.Tick, copy: func(s string) error {
			termenv.NewOutput(os.Stdout).Copy(s)
			return nil
		}},
	}
	a.keys.rows = bindings(a.keys.KeyMap)
	a.sched.ctx, a.sched.cancel = context.WithCancel(context.Background())
	a.shown.rev = -1
	a.clu.stale, a.clu.held = true, true
	a.initRescan()
	if len(a.s.Roots()) > 0 {
		a.tree.SetOpen(a.s.Roots()[0], true)
	}
	a.reading.o = o.Opening
	if t := strings.TrimSpace(o.Target); t != "" && a.opening() {
		a.reading.target = t // added once the reports are in place
	} else if t != "" {
		a.addTarget(t)
	} else if len(a.s.Roots()) == 0 {
		a.openTargetPrompt("")
	}
	return a
}

// Session returns the session the workbench edits.
func (a *App) Session() *pivot.Session { return a.s }

// Init starts the scans queued by New.
func (a *App) Init() tea.Cmd {
	return tea.Batch(a.pump(), a.readOnlyNotice(), a.awaitReports())
}

// Update routes messages: window size, app-level messages, global keys;
// the rest goes to the focused pane or the open dialog.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.layout(msg.Width, msg.Height)
		if a.clu.held {
			cmd = func() tea.Msg { return clustersDueMsg{} } // after this frame
		}
		cmd = tea.Batch(cmd, a.onFirstSize())
	case reportsReadMsg:
		cmd = a.onReportsRead()
	case clustersDueMsg:
		a.clu.held = false
		a.maybeRefreshClusters()
		if a.s.Len() >= freeAfterOpen && !a.opening() {
			// Loading a big session left its garbage (a 92k-node file:
			// ~230 MB allocated) counted in the resident set: give it back.
			debug.FreeOSMemory()
		}
	case toastExpiredMsg:
		if msg.id == a.toast.id {
			a.toast.text = ""
		}
	case spinTickMsg:
		cmd = a.onSpin()
	case scanDoneMsg:
		cmd = a.onScanDone(msg)
	case progressMsg:
		cmd = a.onProgress(msg)
	case signalMsg:
		cmd = a.onSignal(msg)
	case savedMsg:
		cmd = a.onSaved(msg)
	case exportedMsg:
		cmd = a.onExported(msg)
	case checksMsg:
		a.checks.last, a.checks.running = msg, false // an open sources panel shows them at once
	case copiedMsg:
		switch {
		case msg.err != nil:
			cmd = a.toastCmd("could not copy: "+sanitizeLine(msg.err.Error()), true)
		case msg.changed > 0:
			// Said as a warning: the clipboard holds the escaped form, not the raw value.
			cmd = a.toastTailCmd("copied with "+itoa(msg.changed)+" control or invisible characters escaped as \\x.. text: "+
				copiedText(msg.what), " (OSC 52)", true)
		default:
			cmd = a.toastTailCmd("copied "+copiedText(msg.what), " (OSC 52)", false)
		}
	case tea.KeyMsg:
		cmd = a.onKeys(msg)
	case tea.MouseMsg:
		cmd = a.onMouse(msg)
	}
	a.sync()
	return a, cmd
}

// onKeys splits a burst of runes into single keys. bubbletea v1 delivers
// runes that arrive in one read (key repeat, a slow SSH link, tmux
// send-keys) as one KeyMsg "jjj", which no binding matches; outside a text
// prompt each rune is a command. Once a rune opens a prompt (/ then text),
// the rest of the burst is typed into it.
func (a *App) onKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || a.typing() {
		return a.onKey(msg)
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if a.typing() {
			rest := tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:], Alt: msg.Alt}
			cmds = append(cmds, a.onKey(rest))
			break
		}
		cmds = append(cmds, a.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		a.sync()
	}
	return tea.Batch(cmds...)
}

// onKey hands one key to the open dialog, else to the global keys (the
// table, bindings), else to the focused pane.
func (a *App) onKey(msg tea.KeyMsg) tea.Cmd {
	if cmd, held := a.holdWhileOpening(msg); held {
		return cmd
	}
	if a.overlay != nil {
		if msg.Type == tea.KeyCtrlC && !a.overlayAnswers(msg) {
			// ctrl+c is never text: it leaves the dialog, as esc does,
			// and quits (asking first while scans run).
			return tea.Batch(a.updateOverlay(tea.KeyMsg{Type: tea.KeyEsc}), a.quitKey())
		}
		return a.updateOverlay(msg)
	}
	if a.showClusters && a.focus == focusClusters {
		// The clusters pane has every key but the hintAlways ones.
		if cmd, ok := a.runKey(msg, true); ok {
			return cmd
		}
		m, res, cmd := a.clus.Update(msg)
		a.clus = m
		switch {
		case res.Close:
			a.showClusters = false
			a.setFocus(focusTree)
		case res.Jump != "":
			a.jumpTo(res.Jump)
		}
		return cmd
	}
	if cmd, ok := a.runKey(msg, false); ok {
		return cmd
	}
	switch a.focus {
	case focusDetail:
		a.detail, _ = a.detail.Update(msg)
	case focusTree:
		a.tree, _ = a.tree.Update(msg)
	}
	return nil
}

// quit cancels the scans in flight and ends the program.
func (a *App) quit() tea.Cmd {
	a.sched.cancel()
	return tea.Quit
}

// onMouse hands the mouse to the open dialog unless it lives in the
// footer; else a click focuses a pane and selects a row, the wheel
// scrolls the pane under the pointer.
func (a *App) onMouse(msg tea.MouseMsg) tea.Cmd {
	if a.overlay != nil && !a.overlay.Inline() {
		return a.updateOverlay(msg)
	}
	if a.tooSmall() {
		return nil
	}
	if msg.Y >= a.size.paneH {
		return nil
	}
	inTree := msg.X < a.size.treeW && !(a.showClusters && a.clus.Wide())
	if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
		if inTree {
			a.setFocus(focusTree)
			a.tree.ClickRow(msg.Y)
		} else if a.showClusters {
			a.setFocus(focusClusters)
		} else {
			a.setFocus(focusDetail)
			a.detail.ClickRow(msg.Y)
		}
		return nil
	}
	if inTree {
		a.tree, _ = a.tree.Update(msg)
		return nil
	}
	if a.showClusters {
		m, _, cmd := a.clus.Update(msg)
		a.clus = m
		return cmd
	}
	var cmd tea.Cmd
	a.detail, cmd = a.detail.Update(msg)
	return cmd
}

func (a *App) setFocus(f focus) {
	a.focus = f
	a.tree.SetFocused(f == focusTree)
	a.detail.SetFocused(f == focusDetail)
	a.clus.SetFocused(f == focusClusters)
}

func (a *App) cycleFocus() {
	switch a.focus {
	case focusTree:
		if a.showClusters {
			a.setFocus(focusClusters)
		} else {
			a.setFocus(focusDetail)
		}
	default:
		a.setFocus(focusTree)
	}
}

// sync brings derived state (detail content, badges, status) up to date
// after an Update. It is cheap when nothing changed.
func (a *App) sync() {
	a.maybeRefreshClusters()
	id := a.tree.SelectedID()
	if id != a.shown.id || a.rev != a.shown.rev || a.detail.Width() != a.shown.width {
		keep := id == a.shown.id
		a.shown.id, a.shown.rev, a.shown.width = id, a.rev, a.detail.Width()
		n := a.tree.Selected()
		in := detail.Input{Session: a.s, Node: n, Width: a.detail.Width(), Now: a.o.Now(), Clusters: a.clu.list}
		if a.opening() {
			in.Reading = a.openingProgress()
		}
		if n != nil {
			in.InClusters = slices.Clone(a.clu.of[n.Entity.Key])
			if p, ok := a.sched.progress[n.Entity.Key]; ok {
				in.Progress = &p
			}
		}
		body, links := detail.RenderLinks(a.st, in)
		a.detail.SetContentLinks(detail.Title(n), body, links, keep)
	}
	frame := ""
	if a.sched.running > 0 {
		fr := a.sched.spin.Spinner.Frames
		frame = fr[a.sched.frame%len(fr)]
	}
	a.tree.SetSpinner(frame)
	path := a.homePath()
	auto := path != a.o.SessionPath
	a.bar.State = statusbar.State{
		Running: a.sched.running, Queued: len(a.sched.queue), Spinner: frame,
		Path: path, Autosave: auto, Saved: a.file.saved, Saving: a.file.saving > 0,
		Lab: a.o.Lab, Toast: a.toast.text, ToastTail: a.toast.tail, ToastErr: a.toast.err,
		ReadOnly: a.o.ReadOnly != "",
	}
}

// changed records that the session changed: the tree's rows are rebuilt
// and the detail pane refreshed; clusters and badges follow (see
// maybeRefreshClusters).
func (a *App) changed() {
	a.rev++
	a.file.saved = false
	a.tree.Refresh()
	a.clu.stale, a.clu.held = true, false
	a.maybeRefreshClusters()
}

func itoa(n int) string { return strconv.Itoa(n) }
