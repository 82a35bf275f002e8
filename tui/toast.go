package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// toastState is the footer's message: its text, a tail shown whole after
// it, whether it is an error, and the id of the tick that clears it (a
// newer toast outlives it). The status bar cuts the text to the
// terminal's width when it draws it.
type toastState struct {
	text string
	tail string
	err  bool
	id   int
}

// toastCmd shows msg in the footer until a tick clears it.
func (a *App) toastCmd(msg string, isErr bool) tea.Cmd { return a.toastTailCmd(msg, "", isErr) }

// toastTailCmd shows msg then tail in the footer until a tick clears
// them; msg gives way to tail on a narrow terminal.
func (a *App) toastTailCmd(msg, tail string, isErr bool) tea.Cmd {
	a.toast.text, a.toast.tail, a.toast.err = msg, tail, isErr
	a.toast.id++
	id := a.toast.id
	d := 4 * time.Second
	if isErr {
		d = 8 * time.Second
	}
	return a.seam.after(d, func(time.Time) tea.Msg { return toastExpiredMsg{id} })
}

type toastExpiredMsg struct{ id int }

// maxToast bounds the text of a copied value a toast keeps: wider than any
// terminal's line (the status bar cuts it to the line), short enough that
// a long value is not escaped again in full on every frame.
const maxToast = 512

// copiedText is a copied value as its toast quotes it: escaped, cut at
// maxToast cells.
func copiedText(what string) string { return ansi.Truncate(sanitizeLine(what), maxToast, "…") }
