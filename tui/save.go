package tui

import (
	"path/filepath"
	"regexp"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// sessionFile is the state of the saves. Each writes a snapshot of the
// session (pivot.Session.Snapshot) taken on the Update goroutine; one runs
// at a time, so that an older snapshot never overwrites a newer one.
type sessionFile struct {
	saving      int
	saved       bool      // the file (homePath) holds the session as shown
	autosave    bool      // a save is wanted once the current one ends
	autosavedAt time.Time // when the last autosave during a burst of scans began
	savedRev    int       // rev of the session last saved to homePath
	writes      writeGate // goroutines writing a snapshot to a file (save, export; lifecycle.go)
	release     func()    // drops the lock of a session file s saved to
}

// ExportFormats are the formats offered by e, in order.
var ExportFormats = []string{"md", "json", "csv", "dot", "mermaid", "stix"}

// savedMsg says a save ended (err nil: written).
type savedMsg struct {
	path string
	err  error
	auto bool
	rev  int // the session's rev when the save began
}

// exportedMsg says an export ended.
type exportedMsg struct {
	format, path string
	err          error
}

// saveTo saves a snapshot of the session, taken now, to path in a
// goroutine; Update goes on changing the session meanwhile. While a save
// runs, the next one waits for it (onSaved starts it).
func (a *App) saveTo(path string, auto bool) tea.Cmd {
	if a.file.saving > 0 {
		a.file.autosave = true // once the current save ends
		return nil
	}
	a.file.saving++
	snap, rev, writes := a.s.Snapshot(), a.rev, &a.file.writes
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
	if a.sched.active() && time.Since(a.file.autosavedAt) < autosaveEvery {
		return nil
	}
	a.file.autosavedAt = time.Now()
	return a.saveTo(path, true)
}

func (a *App) onSaved(m savedMsg) tea.Cmd {
	a.file.saving--
	// The session changed while the snapshot was being written: that
	// change is not in the file yet.
	changedSince := m.rev != a.rev
	var cmds []tea.Cmd
	if m.err != nil {
		cmds = append(cmds, a.toastTailCmd("could not save to "+sanitizeLine(m.path)+": "+sanitizeLine(m.err.Error()), " — press s to choose another path", true))
	} else {
		if m.path == a.homePath() {
			a.file.savedRev = max(a.file.savedRev, m.rev)
		}
		if !changedSince {
			a.file.saved = m.path == a.homePath()
		}
		if !m.auto {
			cmds = append(cmds, a.toastCmd("saved to "+sanitizeLine(m.path), false))
		}
	}
	if a.file.autosave || changedSince {
		a.file.autosave = false
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
	snap, fn, writes := a.s.Snapshot(), a.o.Export, &a.file.writes
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
