package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
)

// openingState is a session file whose tree is drawn while its reports are
// still being read (Options.Opening; pivot.Opening). Moving through the
// tree, the mouse, help and quit work at once; a command key (scan,
// clusters, search, save…) waits in held and runs as soon as the reports
// are in place, in the order it was pressed. Until then the detail pane
// says the reports are being read rather than show a node without them
// (no shared values, no verdict would be a false "none"), clusters are
// not computed and nothing is saved (pivot.ErrOpening).
type openingState struct {
	o      *pivot.Opening
	held   []tea.KeyMsg
	target string // Options.Target: added once the reports are in place
	err    error  // the file's reports did not decode: Run returns it
	// due: the reports were decoded before the terminal's size came: they
	// are put in place after the first frame (putting them in place and
	// drawing the root's links takes a 92k-node session ~0.1 s).
	due bool
}

// reportsReadMsg: the opening session's reports are decoded (or failed).
type reportsReadMsg struct{}

// opening reports whether the session's reports are still being read.
func (a *App) opening() bool { return a.reading.o != nil }

// awaitReports waits off the UI loop for the reports of the file being opened.
func (a *App) awaitReports() tea.Cmd {
	if a.reading.o == nil {
		return nil
	}
	done := a.reading.o.Done()
	return func() tea.Msg {
		<-done
		return reportsReadMsg{}
	}
}

// onReportsRead puts the reports in place and runs what waited for them;
// a file whose reports do not decode ends the program (Run returns the
// error: the command says it and leaves the file as it was).
func (a *App) onReportsRead() tea.Cmd {
	if a.reading.o == nil {
		return nil // already in place
	}
	if a.size.width == 0 {
		a.reading.due = true // see onFirstSize
		return nil
	}
	o := a.reading.o
	a.reading.o = nil
	s, err := o.Finish()
	if err != nil {
		a.reading.err = &OpenError{err}
		return a.quit()
	}
	if s != a.s {
		// The file was read again whole (see pivot.Opening.Finish): the
		// tree shows that session, where the cursor was.
		sel := a.tree.SelectedID()
		a.s = s
		a.tree.SetSession(s)
		a.tree.Select(sel)
	}
	a.rev++
	a.tree.Refresh()
	a.clu.stale = true
	a.shown.rev = -1
	// clusters, then the memory the reading left is returned (clustersDueMsg)
	cmds := []tea.Cmd{a.pump(), func() tea.Msg { return clustersDueMsg{} }}
	if a.reading.target != "" {
		a.addTarget(a.reading.target)
		a.reading.target = ""
		cmds = append(cmds, a.pump())
	}
	held := a.reading.held
	a.reading.held = nil
	if len(held) > 0 && a.overlay != nil {
		// A dialog opened meanwhile (help): the keys were meant for the
		// workbench, not for it.
		names := make([]string, len(held))
		for i, k := range held {
			names[i] = keyName(k)
		}
		return tea.Batch(append(cmds, a.toastCmd("the reports are read; "+strings.Join(names, " ")+" not run (a dialog is open): press again", true))...)
	}
	for _, k := range held {
		cmds = append(cmds, a.onKey(k))
		a.sync()
	}
	return tea.Batch(cmds...)
}

// onFirstSize puts the reports in place after the first frame when they
// came before the terminal's size (the command runs after this update's
// frame is drawn).
func (a *App) onFirstSize() tea.Cmd {
	if !a.reading.due {
		return nil
	}
	a.reading.due = false
	return func() tea.Msg { return reportsReadMsg{} }
}

// holdWhileOpening keeps a command key for when the reports are in place
// and says so; it reports whether it kept it. Keys of the open dialog, the
// panes' own keys (moving), help and quit are not kept.
func (a *App) holdWhileOpening(msg tea.KeyMsg) (tea.Cmd, bool) {
	if a.reading.o == nil || a.overlay != nil {
		return nil, false
	}
	k := a.keys.KeyMap
	if key.Matches(msg, k.Quit) || key.Matches(msg, k.Help) {
		return nil, false
	}
	global := false
	for _, b := range a.keys.rows {
		if key.Matches(msg, b.Keys) {
			global = true
			break
		}
	}
	if !global {
		return nil, false
	}
	a.reading.held = append(a.reading.held, msg)
	return a.toastCmd(fmt.Sprintf("%s runs once the reports are read (%s)", keyName(msg), a.openingProgress()), false), true
}

// openingProgress says how far the reading of the reports is.
func (a *App) openingProgress() string {
	done, total := a.reading.o.Progress()
	return fmt.Sprintf("%d of %d", done, total)
}

// keyName is how a key is named in a message (escaped: a key is typed
// input, and a pasted one could hold anything).
func keyName(msg tea.KeyMsg) string { return sanitizeLine(msg.String()) }

// OpenError is Run's error when the reports of the session file being
// opened (Options.Opening) do not decode; the file is left as it was.
type OpenError struct{ Err error }

func (e *OpenError) Error() string { return e.Err.Error() }

// Unwrap returns the reading error (pivot.ErrCorrupt…).
func (e *OpenError) Unwrap() error { return e.Err }
