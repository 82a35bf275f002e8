package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon/render"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// open shows o over the workbench, replacing any dialog open.
func (a *App) open(o dialog.Overlay) { a.overlay = o }

// newPrompt returns a prompt on the footer line; its cursor blinks only
// when the App's blink is set (tests draw it still).
func (a *App) newPrompt(id, title, placeholder, value string) *dialog.Prompt {
	p := dialog.NewPrompt(a.st, id, title, placeholder, value)
	if !a.seam.blink {
		p.Input.Cursor.SetMode(cursor.CursorStatic)
	}
	return p
}

// updateOverlay hands msg to the open dialog. The dialog is closed before
// its continuation runs, so that the continuation may open the next one;
// it stays open while it is not done.
func (a *App) updateOverlay(msg tea.Msg) tea.Cmd {
	o := a.overlay
	a.overlay = nil
	done, cmd := o.Update(msg)
	if !done && a.overlay == nil {
		a.overlay = o
	}
	return cmd
}

// typing reports whether the open dialog takes text, so that a burst of
// runes is typed into it rather than split into keys.
func (a *App) typing() bool {
	_, ok := a.overlay.(*dialog.Prompt)
	return ok
}

// overlayAnswers reports whether msg answers yes to the open question
// (ctrl+c does to "quit anyway?").
func (a *App) overlayAnswers(msg tea.KeyMsg) bool {
	c, ok := a.overlay.(*dialog.Confirm)
	return ok && key.Matches(msg, c.Yes)
}

// confirmQuit asks before quitting while scans run or wait; y (or ctrl+c
// again) quits.
func (a *App) confirmQuit() {
	c := dialog.NewConfirm(a.st, func() string {
		what := render.Count(a.sched.running, "scan") + " running"
		if len(a.sched.queue) > 0 {
			what += ", " + itoa(len(a.sched.queue)) + " queued"
		}
		return what + ". Quit anyway?"
	}).OnConfirm(a.quit)
	c.Yes = key.NewBinding(key.WithKeys("y", "Y", "ctrl+c"))
	a.open(c)
}
