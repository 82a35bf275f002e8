package dialog

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Overlay is a dialog open over the workbench. While one is open it takes
// every key (and, unless it is Inline, the mouse); it draws itself and
// says what the footer shows. The root holds at most one and asks it
// first, in Update, View and the footer alike.
//
// A dialog carries its next step: the continuation given to OnDone,
// OnPick, OnConfirm or OnCancel runs when it closes, and captures whatever
// state the step needs (the node, the chosen format, the ids offered), so
// the root keeps none of it. The root closes the dialog before the
// continuation runs, so a continuation may open the next dialog.
type Overlay interface {
	// Update takes a key or mouse message. It reports whether the dialog
	// is done (closed), and returns the command of the continuation that
	// ran, if any.
	Update(msg tea.Msg) (done bool, cmd tea.Cmd)
	// View draws the dialog's box within width x height cells (the root
	// centres it over the panes); "" for a dialog that lives in the footer.
	View(width, height int) string
	// Footer returns the footer line width cells wide while the dialog is
	// open, and whether it shows even over a toast (a question, a prompt
	// on one line) or gives way to one (a key hint).
	Footer(width int) (line string, overToast bool)
	// Inline reports whether the dialog lives in the footer, leaving the
	// panes and the mouse to the workbench.
	Inline() bool
}

var (
	_ Overlay = (*Prompt)(nil)
	_ Overlay = (*Picker)(nil)
	_ Overlay = (*Checklist)(nil)
	_ Overlay = (*Info)(nil)
	_ Overlay = (*Confirm)(nil)
)

// NewHelp returns a bubbles/help model in the workbench's styles: the
// footer's key hints of the root and of the dialogs.
func NewHelp(st *styles.Styles) help.Model {
	h := help.New()
	h.Styles.ShortKey = st.BarKey.UnsetBackground()
	h.Styles.ShortDesc = st.Dim
	h.Styles.ShortSeparator = st.Dim
	h.Styles.FullKey = st.BarKey.UnsetBackground()
	h.Styles.FullDesc = st.Dim
	h.Styles.FullSeparator = st.Dim
	return h
}

// keyHint is the footer of a box dialog: its keys, cut to width.
func keyHint(st *styles.Styles, width int, km help.KeyMap) string {
	h := NewHelp(st)
	h.Width = width
	return ansi.Truncate(" "+h.View(km), width, "…")
}

// run calls fn if it is set.
func run(fn func() tea.Cmd) tea.Cmd {
	if fn == nil {
		return nil
	}
	return fn()
}

// Confirm is a yes/no question in the footer that carries its next step:
// a yes key runs OnConfirm, any other key OnCancel.
type Confirm struct {
	// Text returns the question (without " y/n"); asked at each frame, so
	// it may count what is still running.
	Text func() string
	// Yes are the keys that answer yes (default y and Y).
	Yes     key.Binding
	st      *styles.Styles
	yes, no func() tea.Cmd
}

// NewConfirm returns a question whose text is text().
func NewConfirm(st *styles.Styles, text func() string) *Confirm {
	return &Confirm{Text: text, Yes: key.NewBinding(key.WithKeys("y", "Y")), st: st}
}

// OnConfirm sets what a yes runs.
func (c *Confirm) OnConfirm(fn func() tea.Cmd) *Confirm { c.yes = fn; return c }

// OnCancel sets what any other key runs.
func (c *Confirm) OnCancel(fn func() tea.Cmd) *Confirm { c.no = fn; return c }

// Update answers the question with the key pressed; the mouse is not
// its own (Inline) and is ignored.
func (c *Confirm) Update(msg tea.Msg) (bool, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return false, nil
	}
	if key.Matches(k, c.Yes) {
		return true, run(c.yes)
	}
	return true, run(c.no)
}

// View is empty: the question is in the footer.
func (c *Confirm) View(int, int) string { return "" }

// Footer shows the question, over any toast. A question too long for the
// line is cut before its answer keys, which stay in sight.
func (c *Confirm) Footer(width int) (string, bool) {
	const keys = " y/n"
	return c.st.ToastErr.Render(ansi.Truncate(" "+c.Text(), max(width-len(keys), 0), "…") + keys), true
}

// Inline is true: the question lives in the footer.
func (c *Confirm) Inline() bool { return true }
