package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// KeyMap are the keys every dialog understands.
type KeyMap struct {
	Up, Down, Accept, Cancel key.Binding
}

// DefaultKeyMap returns the dialog keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k", "shift+tab"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j", "tab"), key.WithHelp("↓/j", "down")),
		Accept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "accept")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Accept, k.Cancel} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Accept, k.Cancel}}
}

// Result is the outcome of one Update.
type Result struct {
	Done      bool   // accepted
	Cancelled bool   // esc
	Value     string // prompt text
	Index     int    // picker choice
}

// Prompt asks for one line of text.
type Prompt struct {
	ID    string // what the answer is for
	Title string
	Hint  string
	Err   string // shown under the input, e.g. ParseTarget's error
	Input textinput.Model
	Keys  KeyMap
	st    *styles.Styles
}

// NewPrompt returns a focused prompt with an optional suggested value.
func NewPrompt(st *styles.Styles, id, title, placeholder, value string) Prompt {
	ti := textinput.New()
	ti.Placeholder = placeholder
	ti.CharLimit = 512
	ti.Prompt = "› "
	ti.PromptStyle = st.ItemSel
	ti.PlaceholderStyle = st.Dim
	ti.SetValue(value)
	ti.CursorEnd()
	ti.Focus()
	return Prompt{ID: id, Title: title, Input: ti, Keys: DefaultKeyMap(), st: st}
}

// SetWidth sets the input width.
func (p *Prompt) SetWidth(w int) { p.Input.Width = max(w, 8) }

// Update edits the text; enter accepts, esc cancels.
func (p Prompt) Update(msg tea.Msg) (Prompt, Result, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.Keys.Accept):
			return p, Result{Done: true, Value: strings.TrimSpace(p.Input.Value())}, nil
		case key.Matches(k, p.Keys.Cancel):
			return p, Result{Cancelled: true}, nil
		}
	}
	var cmd tea.Cmd
	p.Input, cmd = p.Input.Update(msg)
	p.Err = ""
	return p, Result{}, cmd
}

// Line renders the prompt on one line (for the footer).
func (p Prompt) Line(width int) string {
	t := p.st.DialogTitle.Render(p.Title + " ")
	p.Input.Width = max(width-ansi.StringWidth(t)-4, 8)
	out := t + p.Input.View()
	if p.Err != "" {
		out += "  " + p.st.Error.Render(p.Err)
	}
	return ansi.Truncate(out, width, "…")
}

// Box renders the prompt as a centred dialog box of at most width cells.
func (p Prompt) Box(width int) string {
	inner := min(max(width-8, 20), 72)
	p.Input.Width = inner - 4
	var b []string
	b = append(b, p.st.DialogTitle.Render(p.Title), "")
	b = append(b, p.Input.View())
	if p.Err != "" {
		b = append(b, "", p.st.Error.Width(inner).Render(p.Err))
	}
	if p.Hint != "" {
		b = append(b, "", p.st.Hint.Width(inner).Render(p.Hint))
	}
	return p.st.Dialog.Width(inner).Render(strings.Join(b, "\n"))
}

// Picker offers a few choices.
type Picker struct {
	ID     string
	Title  string
	Items  []string
	Hint   string
	Cursor int
	Keys   KeyMap
	st     *styles.Styles
}

// NewPicker returns a picker over items (already sanitised for display).
func NewPicker(st *styles.Styles, id, title string, items []string) Picker {
	return Picker{ID: id, Title: title, Items: items, Keys: DefaultKeyMap(), st: st}
}

// Update moves the choice; enter picks, esc cancels.
func (p Picker) Update(msg tea.Msg) (Picker, Result, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.Keys.Up):
			if p.Cursor > 0 {
				p.Cursor--
			}
		case key.Matches(k, p.Keys.Down):
			if p.Cursor < len(p.Items)-1 {
				p.Cursor++
			}
		case key.Matches(k, p.Keys.Accept):
			if len(p.Items) > 0 {
				return p, Result{Done: true, Index: p.Cursor, Value: p.Items[p.Cursor]}, nil
			}
		case key.Matches(k, p.Keys.Cancel):
			return p, Result{Cancelled: true}, nil
		}
	}
	return p, Result{}, nil
}

// Box renders the picker as a dialog box of at most width cells.
func (p Picker) Box(width int) string {
	inner := min(max(width-8, 20), 90)
	var b []string
	b = append(b, p.st.DialogTitle.Render(p.Title), "")
	for i, it := range p.Items {
		it = ansi.Truncate(it, inner-2, "…")
		if i == p.Cursor {
			b = append(b, p.st.ItemSel.Render("› "+it))
		} else {
			b = append(b, "  "+it)
		}
	}
	if p.Hint != "" {
		b = append(b, "", p.st.Hint.Width(inner).Render(p.Hint))
	}
	return p.st.Dialog.Width(inner).Render(strings.Join(b, "\n"))
}

// Info is a read-only box (sources panel, help) that scrolls.
type Info struct {
	ID     string
	Title  string
	Lines  []string
	Hint   string
	offset int
	Keys   KeyMap
	st     *styles.Styles
}

// NewInfo returns an info box.
func NewInfo(st *styles.Styles, id, title string, lines []string) Info {
	return Info{ID: id, Title: title, Lines: lines, Keys: DefaultKeyMap(), st: st}
}

// Update scrolls; esc, q or enter close.
func (p Info) Update(msg tea.Msg) (Info, Result, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.Keys.Up):
			p.offset = max(p.offset-1, 0)
		case key.Matches(k, p.Keys.Down):
			p.offset = min(p.offset+1, max(len(p.Lines)-1, 0))
		case key.Matches(k, p.Keys.Cancel, p.Keys.Accept), k.String() == "q":
			return p, Result{Cancelled: true}, nil
		}
	}
	return p, Result{}, nil
}

// Box renders the box within width x height cells.
func (p Info) Box(width, height int) string {
	inner := min(max(width-8, 20), 96)
	rows := max(height-8, 3)
	var b []string
	b = append(b, p.st.DialogTitle.Render(p.Title), "")
	end := min(p.offset+rows, len(p.Lines))
	for _, ln := range p.Lines[min(p.offset, len(p.Lines)):end] {
		b = append(b, ansi.Truncate(ln, inner, "…"))
	}
	if p.Hint != "" {
		b = append(b, "", p.st.Hint.Render(p.Hint))
	}
	return p.st.Dialog.Width(inner).Render(strings.Join(b, "\n"))
}

// Center places box in the middle of a width x height area.
func Center(width, height int, box string) string {
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}

// Checklist offers several choices at once: space toggles, a toggles all,
// enter accepts.
type Checklist struct {
	ID      string
	Title   string
	Items   []string // shown (already sanitised)
	Checked []bool
	Hint    string
	Err     string
	Cursor  int
	Keys    KeyMap
	st      *styles.Styles
}

// NewChecklist returns a checklist over items with the given ones checked.
func NewChecklist(st *styles.Styles, id, title string, items []string, checked []bool) Checklist {
	c := make([]bool, len(items))
	copy(c, checked)
	return Checklist{ID: id, Title: title, Items: items, Checked: c, Keys: DefaultKeyMap(), st: st}
}

// Selected returns the indexes of the checked items.
func (p Checklist) Selected() []int {
	var out []int
	for i, c := range p.Checked {
		if c {
			out = append(out, i)
		}
	}
	return out
}

// Update moves and toggles; enter accepts when at least one item is
// checked, esc cancels.
func (p Checklist) Update(msg tea.Msg) (Checklist, Result, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, Result{}, nil
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
	case key.Matches(k, p.Keys.Accept):
		if len(p.Selected()) == 0 {
			p.Err = "nothing checked: space checks the item under the cursor, a checks all"
			return p, Result{}, nil
		}
		return p, Result{Done: true, Index: p.Cursor}, nil
	case key.Matches(k, p.Keys.Cancel):
		return p, Result{Cancelled: true}, nil
	}
	return p, Result{}, nil
}

// Box renders the checklist as a dialog box of at most width cells.
func (p Checklist) Box(width int) string {
	inner := min(max(width-8, 20), 90)
	var b []string
	b = append(b, p.st.DialogTitle.Render(p.Title), "")
	for i, it := range p.Items {
		box := "[ ] "
		if p.Checked[i] {
			box = "[x] "
		}
		it = ansi.Truncate(box+it, inner-2, "…")
		if i == p.Cursor {
			b = append(b, p.st.ItemSel.Render("› "+it))
		} else {
			b = append(b, "  "+it)
		}
	}
	if p.Err != "" {
		b = append(b, "", p.st.Error.Width(inner).Render(p.Err))
	}
	if p.Hint != "" {
		b = append(b, "", p.st.Hint.Width(inner).Render(p.Hint))
	}
	return p.st.Dialog.Width(inner).Render(strings.Join(b, "\n"))
}
