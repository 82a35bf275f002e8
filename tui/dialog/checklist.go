package dialog

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Checklist offers several choices at once: space toggles, a toggles all,
// enter runs OnDone with the checked items, esc runs OnCancel.
type Checklist struct {
	ID      string // what the choice is for (tests and goldens name it)
	Title   string
	Items   []string // shown (already sanitised)
	Checked []bool
	Hint    string
	Err     string
	// KeysHint is the footer line while the checklist is open.
	KeysHint string
	Cursor   int
	Keys     KeyMap
	st       *styles.Styles

	done   func([]int) tea.Cmd
	cancel func() tea.Cmd
}

// NewChecklist returns a checklist over items with the given ones checked.
func NewChecklist(st *styles.Styles, id, title string, items []string, checked []bool) *Checklist {
	c := make([]bool, len(items))
	copy(c, checked)
	return &Checklist{ID: id, Title: title, Items: items, Checked: c, Keys: DefaultKeyMap(), st: st,
		KeysHint: "space toggle · a all · enter accept · esc cancel"}
}

// OnDone sets what enter runs, given the indexes of the checked items.
func (p *Checklist) OnDone(fn func(checked []int) tea.Cmd) *Checklist { p.done = fn; return p }

// OnCancel sets what esc runs.
func (p *Checklist) OnCancel(fn func() tea.Cmd) *Checklist { p.cancel = fn; return p }

// Selected returns the indexes of the checked items.
func (p *Checklist) Selected() []int {
	var out []int
	for i, c := range p.Checked {
		if c {
			out = append(out, i)
		}
	}
	return out
}

// Update moves (with the keys and the mouse wheel) and toggles; enter
// accepts when at least one item is checked, esc cancels.
func (p *Checklist) Update(msg tea.Msg) (bool, tea.Cmd) {
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
	case k.String() == " " || k.String() == "x":
		if p.Cursor < len(p.Checked) {
			p.Checked[p.Cursor] = !p.Checked[p.Cursor]
			p.Err = ""
		}
	case k.String() == "a":
		all := len(p.Selected()) < len(p.Items)
		for i := range p.Checked {
			p.Checked[i] = all
		}
		p.Err = ""
	case matches(k, p.Keys.Accept):
		sel := p.Selected()
		if len(sel) == 0 {
			p.Err = "nothing checked: space checks the item under the cursor, a checks all"
			return false, nil
		}
		if p.done == nil {
			return true, nil
		}
		return true, p.done(sel)
	case matches(k, p.Keys.Cancel):
		return true, run(p.cancel)
	}
	return false, nil
}

// View draws the checklist's box.
func (p *Checklist) View(width, height int) string { return p.Box(width, height) }

// Footer shows KeysHint; a toast shows instead.
func (p *Checklist) Footer(int) (string, bool) { return " " + p.st.Dim.Render(p.KeysHint), false }

// Inline is false: the checklist is a box over the panes.
func (p *Checklist) Inline() bool { return false }

// Box renders the checklist as a dialog box within width x height cells.
func (p *Checklist) Box(width, height int) string {
	var body []string
	for i, it := range p.Items {
		it = sanitize.Line(it)
		box := "[ ] "
		if p.Checked[i] {
			box = "[x] "
		}
		if i == p.Cursor {
			body = append(body, p.st.ItemSel.Render("› "+box+it))
		} else {
			body = append(body, "  "+box+it)
		}
	}
	hint := p.Hint
	if p.Err != "" {
		hint = p.Err
	}
	return frame(p.st, width, height, 90, sanitize.Line(p.Title), body, p.Cursor, hint)
}
