package tui

import (
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/dialog"
	"github.com/netspecter/netspecter-tui/tui/treeview"
)

type savedMsg struct {
	path string
	err  error
	auto bool
	rev  int // the session's rev when the save began
}

type exportedMsg struct {
	format, path string
	err          error
}

type copiedMsg struct {
	what    string // what was copied: the display form
	changed int    // characters of the value shown escaped (0: copied as stored)
	err     error
}

// saveTo saves a snapshot of the session, taken now, to path in a
// goroutine; Update goes on changing the session meanwhile. While a save
// runs, the next one waits for it (onSaved starts it).
func (a *App) saveTo(path string, auto bool) tea.Cmd {
	if a.saving > 0 {
		a.autosave = true // once the current save ends
		return nil
	}
	a.saving++
	snap, rev, writes := a.s.Snapshot(), a.rev, &a.writes
	return func() tea.Msg {
		if !writes.start() {
			return nil // the program has ended: Shutdown saves
		}
		defer writes.done()
		return savedMsg{path: path, err: pivot.Save(snap, path), auto: auto, rev: rev}
	}
}

// autosaveEvery is the least time between two autosaves during a burst of scans.
const autosaveEvery = 5 * time.Second

// requestAutosave saves to the session file, or the autosave path when the
// session has none yet or is open read-only.
//
// While scans are still running or queued it saves at most every
// autosaveEvery: each save writes the whole session (tens of MB for a 92k-node
// one) and a save per landed scan kept a core busy and doubled the memory.
// The scan that ends the burst always saves.
func (a *App) requestAutosave() tea.Cmd {
	path := a.homePath()
	if path == "" {
		return nil
	}
	if a.sched.active() && time.Since(a.autosavedAt) < autosaveEvery {
		return nil
	}
	a.autosavedAt = time.Now()
	return a.saveTo(path, true)
}

func (a *App) onSaved(m savedMsg) tea.Cmd {
	a.saving--
	// The session changed while the snapshot was being written: that
	// change is not in the file yet.
	changedSince := m.rev != a.rev
	var cmds []tea.Cmd
	if m.err != nil {
		cmds = append(cmds, a.toastCmd("could not save to "+sanitizeLine(m.path)+": "+sanitizeLine(m.err.Error())+" — press s to choose another path", true))
	} else {
		if m.path == a.homePath() {
			a.savedRev = max(a.savedRev, m.rev)
		}
		if !changedSince {
			a.saved = m.path == a.homePath()
		}
		if !m.auto {
			cmds = append(cmds, a.toastCmd("saved to "+sanitizeLine(m.path), false))
		}
	}
	if a.autosave || changedSince {
		a.autosave = false
		cmds = append(cmds, a.requestAutosave())
	}
	return tea.Batch(cmds...)
}

func (a *App) suggestName(ext string) string {
	base := "session"
	if r := a.s.Roots(); len(r) > 0 {
		if n := a.s.Node(r[0]); n != nil {
			base = n.Value
		}
	}
	base = unsafeName.ReplaceAllString(base, "_")
	return "netspecter-" + base + "-" + a.o.Now().Format("20060102-1504") + "." + ext
}

// exportPath puts an export's file name in the session file's folder
// (the current folder while the session has no file).
func (a *App) exportPath(name string) string {
	if a.o.SessionPath == "" {
		return name
	}
	return filepath.Join(filepath.Dir(a.o.SessionPath), name)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (a *App) saveKey() tea.Cmd {
	if a.o.SessionPath != "" && a.o.ReadOnly == "" {
		return tea.Batch(a.toastCmd("saving to "+sanitizeLine(a.o.SessionPath)+"…", false), a.saveTo(a.o.SessionPath, false))
	}
	a.open(a.newPrompt("save", "Save session to:", "path/to/session.json", a.suggestName("json")).OnDone(func(path string) tea.Cmd {
		if path == "" {
			return a.toastCmd("not saved: no path given", true)
		}
		return a.saveAs(path)
	}))
	return nil
}

func (a *App) exportKey() tea.Cmd {
	p := dialog.NewPicker(a.st, "export-format", "Export the session as", ExportFormats).OnPick(func(i int) tea.Cmd {
		format := ExportFormats[i]
		a.open(a.newPrompt("export", "Export "+format+" to:", "path", a.exportPath(a.suggestName(exportExt[format]))).OnDone(func(path string) tea.Cmd {
			if path == "" {
				return a.toastCmd("not exported: no path given", true)
			}
			return a.exportAs(format, path)
		}))
		return nil
	})
	p.Hint = "md report · json session · csv IOCs · dot/mermaid graph · STIX 2.1 bundle"
	a.open(p)
	return nil
}

var exportExt = map[string]string{"md": "md", "json": "json", "csv": "csv", "dot": "dot", "mermaid": "mmd", "stix": "stix.json"}

// exportTo exports a snapshot of the session, taken now, in a goroutine.
func (a *App) exportTo(format, path string) tea.Cmd {
	snap, fn, writes := a.s.Snapshot(), a.o.Export, &a.writes
	return func() tea.Msg {
		if !writes.start() {
			return nil
		}
		defer writes.done()
		return exportedMsg{format: format, path: path, err: fn(format, snap, path)}
	}
}

func (a *App) onExported(m exportedMsg) tea.Cmd {
	if m.err != nil {
		return a.toastCmd("export failed: "+sanitizeLine(m.err.Error()), true)
	}
	abs, _ := filepath.Abs(m.path)
	if abs == "" {
		abs = m.path
	}
	return a.toastCmd("exported "+m.format+" to "+sanitizeLine(abs), false)
}

// copyCmd puts the display form of v on the clipboard (OSC 52): every
// control, bidi and invisible character escaped as the panes show it
// (\x1b, \u202e), so a value pasted into a shell or an editor cannot end
// a bracketed paste, run a command or hide text. When the display form
// differs from the stored value, the toast says so.
func (a *App) copyCmd(v string) tea.Cmd {
	cp := a.seam.copy
	shown := sanitizeLine(v)
	changed := CopyChanges(v)
	return func() tea.Msg { return copiedMsg{what: shown, changed: changed, err: cp(shown)} }
}

// CopyChanges counts the characters of v that y does not copy as they are
// (controls, bidi and invisible characters, invalid bytes, combining marks
// over the cap): 0 means the clipboard gets v unchanged.
func CopyChanges(v string) int {
	if sanitize.Safe(v) {
		return 0
	}
	n := 0
	marks := 0
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size <= 1, sanitize.Bad(r):
			n++
			marks = 0
		case unicode.Is(unicode.M, r):
			if marks++; marks > sanitize.MaxMarks {
				n++
			}
		default:
			marks = 0
		}
		i += size
	}
	return n
}

// QuickLinks returns the look-up pages for a value of kind k.
func QuickLinks(k recon.PivotKind, v string) []string {
	q := url.QueryEscape(v)
	p := url.PathEscape(v)
	switch k {
	case recon.PivotDomain, recon.PivotSubdomain, recon.PivotNS, recon.PivotMX:
		return []string{
			"https://web.archive.org/web/*/" + p,
			"https://www.virustotal.com/gui/domain/" + p,
			"https://crt.sh/?q=" + q,
			"https://rdap.org/domain/" + p,
			"https://mxtoolbox.com/SuperTool.aspx?action=mx%3a" + q,
		}
	case recon.PivotEmail:
		d := v
		if i := strings.LastIndexByte(v, '@'); i >= 0 {
			d = v[i+1:]
		}
		return QuickLinks(recon.PivotDomain, d)
	case recon.PivotIP:
		return []string{
			"https://www.virustotal.com/gui/ip-address/" + p,
			"https://rdap.org/ip/" + p,
			"https://mxtoolbox.com/SuperTool.aspx?action=blacklist%3a" + q,
			"https://internetdb.shodan.io/" + p,
		}
	case recon.PivotASN:
		n := strings.TrimPrefix(strings.ToUpper(v), "AS")
		return []string{"https://rdap.org/autnum/" + url.PathEscape(n), "https://bgp.he.net/AS" + url.PathEscape(n)}
	case recon.PivotCert:
		return []string{"https://crt.sh/?sha256=" + q}
	case recon.PivotNetwork:
		return []string{"https://rdap.org/ip/" + p, "https://bgp.he.net/net/" + p}
	case recon.PivotFavicon:
		return []string{"https://www.shodan.io/search?query=" + url.QueryEscape("http.favicon.hash:"+v)}
	case recon.PivotAnalytics:
		id := v[strings.LastIndexByte(v, ':')+1:] // "fb:123" is searched as 123
		return []string{"https://www.shodan.io/search?query=" + url.QueryEscape(`http.html:"`+id+`"`), "https://publicwww.com/websites/" + url.PathEscape(`"`+id+`"`) + "/"}
	}
	return []string{"https://www.virustotal.com/gui/search/" + p}
}

func (a *App) openLinks() tea.Cmd {
	n := a.tree.Selected()
	links := QuickLinks(n.Kind, n.Value)
	items := make([]string, len(links))
	for i, l := range links {
		items[i] = sanitizeLine(l)
	}
	copyLink := func(i int) tea.Cmd { return a.copyCmd(links[i]) }
	p := dialog.NewPicker(a.st, "links", "Look up "+sanitizeLine(n.Value), items).OnPick(copyLink).OnKey(a.keys.Copy, copyLink)
	p.Hint = "enter or y copies the link (OSC 52) · esc closes"
	a.open(p)
	return nil
}

// fpItem is one line of the false-positive dialog: a signal or a cluster
// link to mark, or a mark to take back.
type fpItem struct {
	rule   string
	label  string
	marked bool
}

// openFalsePositive lists the node's red and yellow signals and its
// cluster links to mark as false positives, and the marks already made,
// which enter takes back.
func (a *App) openFalsePositive() tea.Cmd {
	n := a.tree.Selected()
	e, node := n.Entity, n.ID
	var items []fpItem
	add := func(rule, label string) {
		if why, done := e.FalsePositives[rule]; done {
			items = append(items, fpItem{rule: rule, marked: true, label: "○ " + label + " — marked: " + sanitizeLine(why) + " (enter takes it back)"})
			return
		}
		items = append(items, fpItem{rule: rule, label: label})
	}
	seen := map[string]bool{}
	if e.Scan != nil {
		for _, s := range e.Scan.Assessment.Signals {
			k := pivot.SignalFalsePositive(s)
			_, marked := e.FalsePositives[k]
			// Green and info signals do not raise a verdict: nothing to mark.
			if (s.Level == recon.LevelGreen || s.Level == recon.LevelInfo || s.Level == recon.LevelNone) && !marked || seen[k] {
				continue
			}
			seen[k] = true
			g := s.Level.Mark()
			if marked {
				g = ""
			}
			add(k, strings.TrimSpace(g+" "+sanitizeLine(string(s.Level))+" ["+sanitizeLine(s.Module)+"] "+sanitizeLine(s.Text)))
		}
	}
	a.ensureClusters()
	in := a.clu.of[e.Key]
	for _, ci := range in {
		if ci < 0 || ci >= len(a.clu.list) {
			continue
		}
		for _, sh := range a.clu.list[ci].Shared {
			k := pivot.ClusterFalsePositive(sh)
			if seen[k] {
				continue
			}
			seen[k] = true
			add(k, "◆"+itoa(ci+1)+" cluster link "+sanitizeLine(sh))
		}
	}
	for _, m := range pivot.ClusterMarksOf(e) {
		if seen[m.Rule] {
			continue
		}
		seen[m.Rule] = true
		what := "cluster link " + sanitizeLine(m.Shared)
		if m.Shared == "" {
			what = "every cluster link (kept out of clusters)"
		}
		add(m.Rule, what)
	}
	if len(in) > 0 && !seen[pivot.FPCluster] {
		add(pivot.FPCluster, "keep "+sanitizeLine(n.Value)+" out of every cluster")
	}
	if len(items) == 0 {
		return a.toastCmd("nothing to mark: this node has no red or yellow signal and no cluster link", false)
	}
	labels := make([]string, len(items))
	for i, it := range items {
		labels[i] = it.label
	}
	p := dialog.NewPicker(a.st, "fp", "False positives of "+sanitizeLine(n.Value), labels).OnPick(func(i int) tea.Cmd {
		it := items[i]
		if it.marked {
			return a.unmarkFalsePositive(node, it.rule)
		}
		a.open(a.newPrompt("fp-why", "Why is it a false positive?", "e.g. shared hosting, known vendor", "").OnDone(func(why string) tea.Cmd {
			return a.markFalsePositive(node, it.rule, why)
		}))
		return nil
	})
	p.Hint = "enter marks (then say why): a signal leaves the verdict, a link the clusters; enter on a ○ mark takes it back"
	a.open(p)
	return nil
}

// markFalsePositive marks rule of node id as a false positive, for why.
func (a *App) markFalsePositive(id, rule, why string) tea.Cmd {
	if why == "" {
		why = "marked by the analyst"
	}
	at := a.o.Now()
	a.s.MarkFalsePositive(id, rule, why, at)
	a.changed()
	return tea.Batch(a.toastCmd("marked as false positive (x again takes it back)", false), a.requestAutosave())
}

// unmarkFalsePositive takes back the mark on rule of node id.
func (a *App) unmarkFalsePositive(id, rule string) tea.Cmd {
	at := a.o.Now()
	a.s.UnmarkFalsePositive(id, rule, at)
	a.changed()
	return tea.Batch(a.toastCmd("false-positive mark taken back", false), a.requestAutosave())
}

// openFilter offers the tree's filters (f).
func (a *App) openFilter() tea.Cmd {
	names := make([]string, len(treeview.FilterNames))
	for i, f := range treeview.FilterNames {
		names[i] = f
		if treeview.Filter(i) == a.tree.Filter() {
			names[i] += "  (now)"
		}
	}
	p := dialog.NewPicker(a.st, "filter", "Show in the tree", names).OnPick(func(i int) tea.Cmd {
		a.tree.SetFilter(treeview.Filter(i))
		if len(a.tree.Rows()) == 0 {
			a.tree.SetFilter(treeview.FilterAll)
			return a.toastCmd("no node is "+treeview.FilterNames[i]+"; showing all", true)
		}
		return nil
	})
	p.Cursor = int(a.tree.Filter())
	p.Hint = "the path to each shown node stays; f again changes it"
	a.open(p)
	return nil
}

// jumpTo selects the first node of entity k.
func (a *App) jumpTo(k pivot.EntityKey) {
	ids := a.s.NodesOfMember(k)
	if len(ids) == 0 {
		return
	}
	a.tree.Select(ids[0])
	a.showClusters = false
	a.setFocus(focusTree)
}

// openNotes adds a note to the selected node, or, when it has notes,
// offers to add one or to edit or delete one.
func (a *App) openNotes() tea.Cmd {
	n := a.tree.Selected()
	if len(n.Entity.Notes) == 0 {
		a.openNotePrompt(n, -1)
		return nil
	}
	items := []string{"+ add a note"}
	for _, nt := range n.Entity.Notes {
		items = append(items, nt.At.Format("2006-01-02 15:04")+"  "+sanitizeLine(nt.Text))
	}
	p := dialog.NewPicker(a.st, "notes", "Notes on "+sanitizeLine(n.Value), items).OnPick(func(i int) tea.Cmd {
		a.openNotePrompt(n, i-1)
		return nil
	})
	p.Hint = "enter on a note edits it (an empty text deletes it) · esc closes"
	a.open(p)
	return nil
}

// openNotePrompt asks for the text of note i of node n (-1: a new note);
// an empty text deletes the note.
func (a *App) openNotePrompt(n *pivot.Node, i int) {
	title, val := "Note on "+ansi.Truncate(sanitizeLine(n.Value), 40, "…")+":", ""
	if i >= 0 && i < len(n.Entity.Notes) {
		title = "Edit the note (empty deletes it):"
		val = n.Entity.Notes[i].Text
	}
	id := n.ID
	a.open(a.newPrompt("note", title, "what you found or think", val).OnDone(func(text string) tea.Cmd {
		at := a.o.Now()
		switch {
		case i >= 0 && text == "":
			a.s.EditNote(id, i, "", at)
			a.changed()
			return tea.Batch(a.toastCmd("note deleted", false), a.requestAutosave())
		case i >= 0:
			a.s.EditNote(id, i, text, at)
			a.changed()
			return tea.Batch(a.toastCmd("note changed", false), a.requestAutosave())
		case text != "":
			a.s.AddNote(id, text, at)
			a.changed()
			return tea.Batch(a.toastCmd("note added", false), a.requestAutosave())
		}
		return nil
	}))
}
