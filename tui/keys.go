package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/clusters"
)

// KeyMap are the workbench's global keys and their help; bindings says
// what each does, when, and where the help lists it.
type KeyMap struct {
	Scan, ScanAll, Rescan, Search, Next, Prev, Focus, Clusters, Save, Export,
	Copy, Links, Note, FalsePositive, Sources, NewTarget, Help, Quit, Clear,
	Modules, Timeline, Evidence, Filter, RescanAll key.Binding
}

// DefaultKeyMap returns the workbench's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Scan:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "scan/open")),
		ScanAll:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "scan children")),
		Rescan:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rescan")),
		Search:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/prev match")),
		Prev:          key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Focus:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "focus")),
		Clusters:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clusters")),
		Save:          key.NewBinding(key.WithKeys("s", "ctrl+s"), key.WithHelp("s", "save")),
		Export:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Copy:          key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy value")),
		Links:         key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "quick links")),
		Note:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		Filter:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter the tree (red/yellow, unscanned, kind…)")),
		FalsePositive: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "false positive")),
		Sources:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "sources")),
		NewTarget:     key.NewBinding(key.WithKeys("+"), key.WithHelp("+", "new target")),
		Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:          key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Clear:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Modules:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "run modules")),
		Timeline:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "timeline")),
		Evidence:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "raw evidence: WHOIS answer, DNS records, certificate PEM")),
		RescanAll:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rescan all (changes: c 4)")),
	}
}

// keyTable is the workbench's global keys (KeyMap, embedded) and the
// table of what they do (rows, from bindings).
type keyTable struct {
	KeyMap
	rows []binding
}

// hint says where the footer shows a global key.
type hint int

const (
	hintNone   hint = iota
	hintIdle        // in the footer while no search is under way
	hintShared      // in the footer, searching or not
	hintSearch      // first in the footer while a search is under way
	// hintAlways: in every footer, after a focused pane's own keys; the
	// key also works while the clusters pane has the keyboard.
	hintAlways
)

// binding is one global key: its keys and help, the full help's section
// (and a longer text when it says more than the footer's), where the
// footer shows it, when it applies and what it does. The footer, the full
// help (?) and the dispatch in onKey all read the one table, bindings.
type binding struct {
	Keys    key.Binding
	Section string
	Long    string
	Hint    hint
	// Guard says whether the key applies now (nil: always). Not ok with no
	// reason: the key is not this binding's now, and the next binding or
	// the focused pane gets it; not ok with a reason: the key is refused
	// and the reason shown.
	Guard func(*App) (ok bool, why string)
	Run   func(*App) tea.Cmd
}

// Sections of the full help that list global keys (with the panes' keys
// around them, see helpSections).
const (
	secTree    = "Tree"
	secScans   = "Scans"
	secFind    = "Find"
	secPanes   = "Panes and views"
	secNotes   = "Evidence and notes"
	secSession = "Session"
)

// bindings is the table of the workbench's global keys, in the order they
// are matched (n is the next match while searching, else a note) and
// listed in the footer and the help.
func bindings(k KeyMap) []binding {
	return []binding{
		{Keys: k.Scan, Section: secScans, Hint: hintShared, Run: (*App).scanKey},
		{Keys: k.ScanAll, Section: secScans, Hint: hintIdle, Guard: hasSelection, Run: (*App).scanChildren},
		{Keys: k.Rescan, Section: secScans, Guard: scannable, Run: (*App).rescan},
		{Keys: k.RescanAll, Section: secScans, Run: (*App).rescanAll},
		{Keys: k.Modules, Section: secScans, Guard: idle, Run: (*App).openModules},
		{Keys: k.NewTarget, Section: secScans, Run: func(a *App) tea.Cmd { a.openTargetPrompt(""); return nil }},

		{Keys: k.Search, Section: secFind, Hint: hintShared, Run: func(a *App) tea.Cmd {
			a.open(a.newPrompt("search", "/", "value to find", "").OnDone(a.search))
			return nil
		}},
		{Keys: k.Next, Section: secFind, Hint: hintSearch, Guard: searching, Run: func(a *App) tea.Cmd { return a.stepMatch(1) }},
		{Keys: k.Prev, Section: secFind, Guard: searching, Run: func(a *App) tea.Cmd { return a.stepMatch(-1) }},
		{Keys: k.Clear, Section: secFind, Hint: hintSearch, Run: (*App).clearKey},

		{Keys: k.Focus, Section: secPanes, Hint: hintAlways, Run: (*App).focusKey},
		{Keys: k.Clusters, Section: secPanes, Hint: hintIdle, Run: (*App).toggleClusters},
		{Keys: k.Timeline, Section: secPanes, Run: (*App).openTimeline},

		{Keys: k.Evidence, Section: secNotes, Guard: hasSelection, Run: (*App).openEvidence},
		{Keys: k.Note, Section: secNotes, Long: "notes: add one, or edit or delete one (an empty text deletes)", Hint: hintIdle,
			Guard: hasSelection, Run: (*App).openNotes},
		{Keys: k.FalsePositive, Section: secNotes, Guard: hasSelection, Run: (*App).openFalsePositive},
		{Keys: k.Copy, Section: secNotes, Guard: hasSelection, Run: func(a *App) tea.Cmd { return a.copyCmd(a.tree.Selected().Value) }},
		{Keys: k.Links, Section: secNotes, Guard: hasSelection, Run: (*App).openLinks},

		{Keys: k.Save, Section: secSession, Hint: hintIdle, Run: (*App).saveKey},
		{Keys: k.Export, Section: secSession, Guard: canExport, Run: (*App).exportKey},
		{Keys: k.Sources, Section: secSession, Run: func(a *App) tea.Cmd { a.openSources(); return a.runChecks() }},
		{Keys: k.Help, Section: secSession, Hint: hintAlways, Run: func(a *App) tea.Cmd { a.openHelp(); return nil }},
		{Keys: k.Quit, Section: secSession, Hint: hintAlways, Run: (*App).quitKey},

		{Keys: k.Filter, Section: secTree, Run: (*App).openFilter},
	}
}

// runKey runs the first global binding msg matches and whose guard lets
// it (only the hintAlways ones when always is set); a refusal is shown as
// an error toast. It reports whether a binding took the key.
func (a *App) runKey(msg tea.KeyMsg, always bool) (tea.Cmd, bool) {
	for _, b := range a.keys.rows {
		if always && b.Hint != hintAlways || !key.Matches(msg, b.Keys) {
			continue
		}
		if b.Guard != nil {
			ok, why := b.Guard(a)
			switch {
			case !ok && why == "":
				continue
			case !ok:
				return a.toastCmd(why, true), true
			}
		}
		return b.Run(a), true
	}
	return nil, false
}

// Guards of the table.

// hasSelection: a node is selected (else the key does nothing here).
func hasSelection(a *App) (bool, string) { return a.tree.Selected() != nil, "" }

// scannable: the selected node is of a kind that is scanned.
func scannable(a *App) (bool, string) {
	n := a.tree.Selected()
	switch {
	case n == nil:
		return false, ""
	case !pivot.Scannable(n.Kind):
		return false, aKind(n.Kind) + " is not scanned; enter lists who shares it"
	}
	return true, ""
}

// idle: the selected node is scanned and no scan of it is queued or running.
func idle(a *App) (bool, string) {
	if ok, why := scannable(a); !ok {
		return ok, why
	}
	n := a.tree.Selected()
	if n.Entity.Busy() {
		return false, sanitizeLine(n.Value) + " is already being scanned"
	}
	return true, ""
}

// searching: a search is under way (else n is a note and N nothing).
func searching(a *App) (bool, string) { return a.find.query != "", "" }

// canExport: the build can export.
func canExport(a *App) (bool, string) {
	return a.o.Export != nil, "export not available in this build"
}

// Runs of the table that are not actions of their own.

// scanKey is enter: scan or open the selected node in the tree, go to the
// selected shared-by row in the detail pane.
func (a *App) scanKey() tea.Cmd {
	switch a.focus {
	case focusTree:
		return a.enter()
	case focusDetail:
		if sel := a.detail.Selected(); sel != "" {
			a.jumpTo(sel)
		}
	}
	return nil
}

// clearKey is esc: end the search, else go back from the detail pane.
func (a *App) clearKey() tea.Cmd {
	if a.find.query != "" {
		a.find.query, a.find.matches = "", nil
	} else if a.focus == focusDetail {
		a.setFocus(focusTree)
	}
	return nil
}

// focusKey is tab: the next pane (the clusters pane's split view first).
func (a *App) focusKey() tea.Cmd {
	if a.showClusters && a.clus.Wide() {
		a.clus.SetTab(clusters.TabClusters) // back to the split view
	}
	a.cycleFocus()
	return nil
}

// toggleClusters is c: show or hide the clusters pane.
func (a *App) toggleClusters() tea.Cmd {
	if a.showClusters {
		a.showClusters = false
		a.setFocus(focusTree)
		return nil
	}
	a.showClusterPane()
	return nil
}

// openTimeline is t: the clusters pane on its timeline.
func (a *App) openTimeline() tea.Cmd {
	a.clus.SetTab(clusters.TabTimeline)
	a.showClusterPane()
	return nil
}

// showClusterPane shows the clusters pane, its clusters up to date, with
// the keyboard.
func (a *App) showClusterPane() {
	a.showClusters = true
	if !a.ensureClusters() { // a recomputation sets the shown pane's clusters
		a.clus.SetClusters(a.clu.list, a.s)
	}
	a.setFocus(focusClusters)
}

// quitKey is q: quit, asking first while scans run or wait.
func (a *App) quitKey() tea.Cmd {
	if a.sched.active() {
		a.confirmQuit()
		return nil
	}
	return a.quit()
}

// helpKeys is the help.KeyMap of the footer, read from the table: the
// focused pane's keys (detail, clusters) or the workbench's, as a search
// under way changes them.
type helpKeys struct {
	table     []binding
	searching bool
	paneShort bool // the footer shows the pane's keys
	pane      interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	}
}

// ShortHelp implements help.KeyMap.
func (h helpKeys) ShortHelp() []key.Binding {
	var out []key.Binding
	add := func(keep func(hint) bool) {
		for _, b := range h.table {
			if keep(b.Hint) {
				out = append(out, b.Keys)
			}
		}
	}
	switch {
	case h.paneShort && h.pane != nil && !h.searching:
		out = append(out, h.pane.ShortHelp()...)
		add(func(x hint) bool { return x == hintAlways })
	case h.searching:
		add(func(x hint) bool { return x == hintSearch })
		add(func(x hint) bool { return x == hintShared || x == hintAlways })
	default:
		add(func(x hint) bool { return x == hintIdle || x == hintShared || x == hintAlways })
	}
	return out
}

// FullHelp implements help.KeyMap: the pane's columns, then one column
// per section of the table.
func (h helpKeys) FullHelp() [][]key.Binding {
	var cols [][]key.Binding
	if h.pane != nil {
		cols = append(cols, h.pane.FullHelp()...)
	}
	at := map[string]int{}
	for _, b := range h.table {
		i, ok := at[b.Section]
		if !ok {
			i = len(cols)
			at[b.Section] = i
			cols = append(cols, nil)
		}
		cols[i] = append(cols[i], b.Keys)
	}
	return cols
}
