package statusbar

import (
	"path"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/recon/sanitize"
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
	// ToastTail is shown whole after Toast, which gives way to it when the
	// line is too narrow for both (" (OSC 52)" after a copied value).
	ToastTail string
	ToastErr  bool
	// ReadOnly: the session file is open in another workbench; Path is
	// where this one autosaves instead.
	ReadOnly bool
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
	// Every text here may name values from the network or a session file
	// (a toast quotes them, a path was typed or given by a flag): escaped
	// once more at the sink; sanitising is idempotent.
	s.Path, s.Lab = sanitize.Line(s.Path), sanitize.Line(s.Lab)
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
	if s.ReadOnly {
		left = append(left, st.BarDirty.Render(" READ-ONLY"))
	}

	save := ""
	switch {
	case s.Saving:
		save = st.Bar.Render(" saving…")
	case s.Saved:
		save = st.BarSaved.Render(" ✓ saved")
	default:
		save = st.BarDirty.Render(" ● unsaved")
	}
	where, label := s.Path, ""
	if s.Autosave && where != "" {
		label = "autosave "
	}
	if where == "" {
		where = "not saved yet (s to save)"
	}
	l := strings.Join(left, st.Bar.Render(" "))
	lw := ansi.StringWidth(l)
	if s.Lab != "" && lw+ansi.StringWidth(save)+3+ansi.StringWidth(path.Base(where)) > m.width {
		// The lab's name gives way before the scans and the file name.
		left[0] = st.BarLab.Render("LAB")
		l = strings.Join(left, st.Bar.Render(" "))
		lw = ansi.StringWidth(l)
	}
	// The path gives way first, from the left, so that the file name stays;
	// then the "autosave" label; then the whole path.
	room := m.width - lw - ansi.StringWidth(save) - 2
	var right string
	switch {
	case ansi.StringWidth(label+where) <= room:
		right = save + st.Bar.Render(" "+label+where+" ")
	case room-ansi.StringWidth(label) >= max(ansi.StringWidth(path.Base(where))+2, 12):
		right = save + st.Bar.Render(" "+label+shortenPath(where, room-ansi.StringWidth(label))+" ")
	case room >= 12:
		right = save + st.Bar.Render(" "+shortenPath(where, room)+" ")
	default:
		right = save
	}
	gap := m.width - lw - ansi.StringWidth(right)
	if gap < 0 {
		return ansi.Truncate(l+right, m.width, "")
	}
	return l + st.Bar.Render(strings.Repeat(" ", gap)) + right
}

// shortenPath cuts p to at most n cells from the left, at a path
// separator when one is near: "…/state/autosave-20241120.json".
func shortenPath(p string, n int) string {
	w := ansi.StringWidth(p)
	if w <= n {
		return p
	}
	cut := ansi.TruncateLeft(p, w-n+1, "")
	if i := strings.IndexByte(cut, '/'); i > 0 && ansi.StringWidth(cut[i:]) >= n/2 {
		cut = cut[i:]
	}
	return "…" + cut
}

// minToast is the least of the toast's own text a tail leaves: below it,
// the tail is cut like the rest.
const minToast = 12

// ToastView renders the toast line (empty when there is no toast): one
// line, the whole width of the bar at most, the text cut with "…" before
// its tail.
func (m Model) ToastView() string {
	if m.State.Toast == "" {
		return ""
	}
	ts := m.st.ToastInfo
	icon := "• "
	if m.State.ToastErr {
		ts, icon = m.st.ToastErr, "✗ "
	}
	text, tail := " "+icon+sanitize.Line(m.State.Toast), sanitize.Line(m.State.ToastTail)
	if tw := ansi.StringWidth(tail); tw > 0 && m.width-tw >= minToast {
		text = ansi.Truncate(text, m.width-tw, "…")
	}
	return ts.Render(ansi.Truncate(text+tail, m.width, "…"))
}
