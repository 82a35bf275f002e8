package statusbar

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// State is what the bar shows; the root sets it before View.
type State struct {
	Running, Queued int
	Spinner         string
	Path            string // session file, or the autosave path
	Autosave        bool   // Path is the autosave path
	Saved           bool
	Saving          bool
	Lab             string
	Toast           string
	ToastErr        bool
}

// Model is the status bar.
type Model struct {
	st    *styles.Styles
	width int
	State State
}

// New returns a status bar.
func New(st *styles.Styles) Model { return Model{st: st} }

// SetSize sets the width.
func (m *Model) SetSize(w int) { m.width = w }

// View renders the bar, exactly the bar's width.
func (m Model) View() string {
	if m.width <= 0 {
		return ""
	}
	st, s := m.st, m.State
	var left []string
	if s.Lab != "" {
		left = append(left, st.BarLab.Render("LAB "+s.Lab))
	}
	scans := "idle"
	if s.Running > 0 || s.Queued > 0 {
		scans = strings.TrimSpace(s.Spinner + " " + strconv.Itoa(s.Running) + " running")
		if s.Queued > 0 {
			scans += " · " + strconv.Itoa(s.Queued) + " queued"
		}
		scans = st.BarKey.Render(" " + scans)
	} else {
		scans = st.Bar.Render(" " + scans)
	}
	left = append(left, scans)

	save := ""
	switch {
	case s.Saving:
		save = st.Bar.Render(" saving…")
	case s.Saved:
		save = st.BarSaved.Render(" ✓ saved")
	default:
		save = st.BarDirty.Render(" ● unsaved")
	}
	where := s.Path
	if s.Autosave && where != "" {
		where = "autosave " + where
	}
	if where == "" {
		where = "not saved yet (s to save)"
	}
	right := save + st.Bar.Render(" "+where+" ")

	l := strings.Join(left, st.Bar.Render(" "))
	lw, rw := ansi.StringWidth(l), ansi.StringWidth(right)
	if lw+rw > m.width {
		// Shorten the path first.
		keep := m.width - lw - ansi.StringWidth(save) - 3
		if keep > 8 {
			right = save + st.Bar.Render(" "+ansi.TruncateLeft(where, ansi.StringWidth(where)-keep, "…")+" ")
		} else {
			right = save
		}
		rw = ansi.StringWidth(right)
	}
	gap := m.width - lw - rw
	if gap < 0 {
		return ansi.Truncate(l+right, m.width, "")
	}
	return l + st.Bar.Render(strings.Repeat(" ", gap)) + right
}

// ToastView renders the toast line (empty when there is no toast).
func (m Model) ToastView() string {
	if m.State.Toast == "" {
		return ""
	}
	ts := m.st.ToastInfo
	icon := "• "
	if m.State.ToastErr {
		ts, icon = m.st.ToastErr, "✗ "
	}
	return ts.Render(ansi.Truncate(" "+icon+m.State.Toast, m.width, "…"))
}
