package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Picker offers a few choices: enter runs OnPick with the index chosen,
// esc runs OnCancel, and a key set with OnKey runs its own step.
type Picker struct {
	ID     string // what the choice is for (tests and goldens name it)
	Title  string
	Items  []string
	Hint   string
	Cursor int
	Keys   KeyMap
	st     *styles.Styles

	pick   func(int) tea.Cmd
	cancel func() tea.Cmd
	extra  []pickKey
}

// pickKey is a key other than enter that closes a picker on the item under
// the cursor.
type pickKey struct {
	keys key.Binding
	fn   func(int) tea.Cmd
}

// NewPicker returns a picker over items: plain text (no styles), which
// Box escapes again (sanitising is idempotent), as it does the title —
// items name values from the network and from session files.
func NewPicker(st *styles.Styles, id, title string, items []string) *Picker {
	return &Picker{ID: id, Title: title, Items: items, Keys: DefaultKeyMap(), st: st}
}

// OnPick sets what enter runs, given the index of the item chosen.
func (p *Picker) OnPick(fn func(i int) tea.Cmd) *Picker { p.pick = fn; return p }

// OnCancel sets what esc runs.
func (p *Picker) OnCancel(fn func() tea.Cmd) *Picker { p.cancel = fn; return p }

// OnKey adds a key that closes the picker and runs fn on the item under
// the cursor (y copies a link, as enter does).
func (p *Picker) OnKey(k key.Binding, fn func(i int) tea.Cmd) *Picker {
	p.extra = append(p.extra, pickKey{k, fn})
	return p
}

// Update moves the choice with the keys and the mouse wheel; enter picks,
// esc cancels.
func (p *Picker) Update(msg tea.Msg) (bool, tea.Cmd) {
	if m, ok := msg.(tea.MouseMsg); ok {
		p.Cursor = listnav.Wheel(m, p.Cursor, len(p.Items))
		return false, nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return false, nil
	}
	switch {
	case key.Matches(k, p.Keys.Up):
		p.Cursor = max(p.Cursor-1, 0)
	case key.Matches(k, p.Keys.Down):
		p.Cursor = min(p.Cursor+1, max(len(p.Items)-1, 0))
	case key.Matches(k, p.Keys.PageUp):
		p.Cursor = max(p.Cursor-10, 0)
	case key.Matches(k, p.Keys.PageDown):
		p.Cursor = min(p.Cursor+10, max(len(p.Items)-1, 0))
	case matches(k, p.Keys.Accept):
		if len(p.Items) > 0 {
			if p.pick == nil {
				return true, nil
			}
			return true, p.pick(p.Cursor)
		}
	case matches(k, p.Keys.Cancel):
		return true, run(p.cancel)
	default:
		for _, x := range p.extra {
			if key.Matches(k, x.keys) && len(p.Items) > 0 {
				return true, x.fn(p.Cursor)
			}
		}
	}
	return false, nil
}

// View draws the picker's box.
func (p *Picker) View(width, height int) string { return p.Box(width, height) }

// Footer shows the dialog keys; a toast shows instead.
func (p *Picker) Footer(width int) (string, bool) { return keyHint(p.st, width, p.Keys), false }

// Inline is false: the picker is a box over the panes.
func (p *Picker) Inline() bool { return false }

// Box renders the picker as a dialog box within width x height cells; the
// list scrolls to keep the cursor in view.
func (p Picker) Box(width, height int) string {
	text := TextWidth(width, 90)
	var body []string
	cur := 0
	for i, it := range p.Items {
		it = sanitize.Line(it)
		if i != p.Cursor {
			body = append(body, "  "+it)
			continue
		}
		// The selected item is shown whole (up to four lines), so a long
		// signal can be read before it is marked.
		cur = len(body)
		ls := []string{it}
		if ansi.StringWidth(it) > text-2 {
			ls = WrapWords(it, text-2)
			if len(ls) > 4 {
				ls = append(ls[:3], ansi.Truncate(strings.Join(ls[3:], " "), text-2, "…"))
			}
		}
		for j, l := range ls {
			lead := "› "
			if j > 0 {
				lead = "  "
			}
			body = append(body, p.st.ItemSel.Render(lead+l))
		}
	}
	return frame(p.st, width, height, 90, sanitize.Line(p.Title), body, cur, p.Hint)
}
