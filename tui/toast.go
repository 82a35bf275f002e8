package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// toastState is the footer's message: its text, whether it is an error,
// and the id of the tick that clears it (a newer toast outlives it).
type toastState struct {
	text string
	err  bool
	id   int
}

// toastCmd shows msg in the footer until a tick clears it.
func (a *App) toastCmd(msg string, isErr bool) tea.Cmd {
	a.toast.text, a.toast.err = msg, isErr
	a.toast.id++
	id := a.toast.id
	d := 4 * time.Second
	if isErr {
		d = 8 * time.Second
	}
	return a.seam.after(d, func(time.Time) tea.Msg { return toastExpiredMsg{id} })
}

type toastExpiredMsg struct{ id int }
