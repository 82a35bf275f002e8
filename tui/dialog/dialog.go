package dialog

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// KeyMap are the keys every dialog understands.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Accept, Cancel key.Binding
}

// DefaultKeyMap returns the dialog keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k", "shift+tab"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j", "tab"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down")),
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "accept")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Accept, k.Cancel} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Accept, k.Cancel}}
}

// matches is key.Matches for keys that are never text: a burst of typed
// runes ("enter", "end") is text even when it spells a key's name.
func matches(k tea.KeyMsg, b ...key.Binding) bool {
	return k.Type != tea.KeyRunes && key.Matches(k, b...)
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
	// Lines are shown under the input in the box (e.g. suggestions).
	Lines []string
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

// Update edits the text; only the enter key accepts and only the esc key
// cancels. Typed runes are always text: bubbletea delivers a typed word as
// one KeyRunes message, and the words "enter" or "end" must not accept the
// prompt or move the cursor, so each rune is inserted on its own.
func (p Prompt) Update(msg tea.Msg) (Prompt, Result, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		p.Input, cmd = p.Input.Update(msg)
		return p, Result{}, cmd
	}
	switch {
	case matches(k, p.Keys.Accept):
		return p, Result{Done: true, Value: strings.TrimSpace(p.Input.Value())}, nil
	case matches(k, p.Keys.Cancel):
		return p, Result{Cancelled: true}, nil
	}
	var cmds []tea.Cmd
	if k.Type == tea.KeyRunes && !k.Alt && !k.Paste && len(k.Runes) > 1 {
		for _, r := range k.Runes {
			var cmd tea.Cmd
			p.Input, cmd = p.Input.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			cmds = append(cmds, cmd)
		}
	} else {
		var cmd tea.Cmd
		p.Input, cmd = p.Input.Update(k)
		cmds = append(cmds, cmd)
	}
	p.Err = ""
	return p, Result{}, tea.Batch(cmds...)
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

// Box renders the prompt as a centred dialog box within width x height
// cells.
func (p Prompt) Box(width, height int) string {
	inner := innerWidth(width, 72)
	p.Input.Width = max(inner-4-ansi.StringWidth(p.Input.Prompt)-1, 4)
	body := []string{p.Input.View()}
	if p.Err != "" {
		body = append(body, "")
		body = append(body, wrapStyled(p.st.Error, p.Err, inner-4)...)
	}
	if len(p.Lines) > 0 {
		body = append(body, "")
		body = append(body, p.Lines...)
	}
	return frame(p.st, width, height, 72, p.Title, body, 0, p.Hint)
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

// NewPicker returns a picker over items: plain text (no styles), which
// Box escapes again (sanitising is idempotent), as it does the title —
// items name values from the network and from session files.
func NewPicker(st *styles.Styles, id, title string, items []string) Picker {
	return Picker{ID: id, Title: title, Items: items, Keys: DefaultKeyMap(), st: st}
}

// Update moves the choice; enter picks, esc cancels.
func (p Picker) Update(msg tea.Msg) (Picker, Result, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
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
				return p, Result{Done: true, Index: p.Cursor, Value: p.Items[p.Cursor]}, nil
			}
		case matches(k, p.Keys.Cancel):
			return p, Result{Cancelled: true}, nil
		}
	}
	return p, Result{}, nil
}

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

// Info is a read-only box (sources panel, help) that scrolls.
type Info struct {
	ID    string
	Title string
	Lines []string
	Hint  string
	// Wrap breaks lines longer than the box (raw evidence) instead of
	// cutting them.
	Wrap    bool
	wrapped []string
	wrapW   int
	offset  int
	rows    int // body rows shown at the last Box
	Keys    KeyMap
	st      *styles.Styles
}

// NewInfo returns an info box.
func NewInfo(st *styles.Styles, id, title string, lines []string) Info {
	return Info{ID: id, Title: title, Lines: lines, Keys: DefaultKeyMap(), st: st, rows: 10}
}

// Offset is the first line shown.
func (p Info) Offset() int { return p.offset }

// Update scrolls; esc, q or enter close.
func (p Info) Update(msg tea.Msg) (Info, Result, tea.Cmd) {
	last := max(len(p.shown())-p.rows, 0)
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.Keys.Up):
			p.offset = max(p.offset-1, 0)
		case key.Matches(k, p.Keys.Down):
			p.offset = min(p.offset+1, last)
		case key.Matches(k, p.Keys.PageUp):
			p.offset = max(p.offset-max(p.rows-1, 1), 0)
		case key.Matches(k, p.Keys.PageDown):
			p.offset = min(p.offset+max(p.rows-1, 1), last)
		case k.String() == "g" || k.String() == "home":
			p.offset = 0
		case k.String() == "G" || k.String() == "end":
			p.offset = last
		case matches(k, p.Keys.Cancel, p.Keys.Accept), k.String() == "q", k.String() == "?":
			return p, Result{Cancelled: true}, nil
		}
	}
	if m, ok := msg.(tea.MouseMsg); ok && m.Action == tea.MouseActionPress {
		switch m.Button {
		case tea.MouseButtonWheelUp:
			p.offset = max(p.offset-3, 0)
		case tea.MouseButtonWheelDown:
			p.offset = min(p.offset+3, last)
		}
	}
	return p, Result{}, nil
}

// Box renders the box within width x height cells and remembers how many
// lines it shows, so that paging moves by a screenful.
func (p *Info) Box(width, height int) string {
	p.rows = BodyRows(width, height, 96, p.Hint)
	if p.Wrap && (p.wrapW != TextWidth(width, 96) || p.wrapped == nil) {
		p.wrapW = TextWidth(width, 96)
		p.wrapped = p.wrapped[:0]
		for _, l := range p.Lines {
			if ansi.StringWidth(l) <= p.wrapW {
				p.wrapped = append(p.wrapped, l)
				continue
			}
			p.wrapped = append(p.wrapped, strings.Split(ansi.Wrap(l, p.wrapW, ""), "\n")...)
		}
	}
	lines := p.shown()
	p.offset = min(p.offset, max(len(lines)-p.rows, 0))
	return frameAt(p.st, width, height, 96, p.Title, lines, p.offset, p.Hint)
}

// shown returns the lines the box shows (wrapped when Wrap is set).
func (p Info) shown() []string {
	if p.Wrap && p.wrapped != nil {
		return p.wrapped
	}
	return p.Lines
}

// Center places box in the middle of a width x height area; a box larger
// than the area is cut to it.
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
	case matches(k, p.Keys.Accept):
		if len(p.Selected()) == 0 {
			p.Err = "nothing checked: space checks the item under the cursor, a checks all"
			return p, Result{}, nil
		}
		return p, Result{Done: true, Index: p.Cursor}, nil
	case matches(k, p.Keys.Cancel):
		return p, Result{Cancelled: true}, nil
	}
	return p, Result{}, nil
}

// Box renders the checklist as a dialog box within width x height cells.
func (p Checklist) Box(width, height int) string {
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

// innerWidth is the width of a box (padding included, border excluded)
// drawn in an area width cells wide, at most limit.
func innerWidth(width, limit int) int {
	return max(min(width-4, limit), 12)
}

// padX is the horizontal padding of a box: 2 cells, 1 when narrow.
func padX(inner int) int {
	if inner < 40 {
		return 1
	}
	return 2
}

// BodyRows returns how many body lines a box with this hint shows in a
// width x height area.
func BodyRows(width, height, limit int, hint string) int {
	inner := innerWidth(width, limit)
	text := inner - 2*padX(inner)
	foot := 0
	if hint != "" {
		foot = 1 + len(wrapPlain(hint, text))
	}
	padY := 1
	if height < 20 {
		padY = 0
	}
	return max(height-2-2*padY-2-foot, 1) // border, padding, title and blank line
}

// frame draws a box with title, body (scrolled so that line cursor is in
// view) and hint, fitting width x height.
func frame(st *styles.Styles, width, height, limit int, title string, body []string, cursor int, hint string) string {
	rows := BodyRows(width, height, limit, hint)
	off := 0
	if len(body) > rows {
		off = min(max(cursor-rows/2, 0), len(body)-rows)
	}
	return frameAt(st, width, height, limit, title, body, off, hint)
}

// frameAt draws a box showing body from line off; lines cut by the window
// are announced ("↑ 3 more", "↓ 12 more") in the title line.
func frameAt(st *styles.Styles, width, height, limit int, title string, body []string, off int, hint string) string {
	inner := innerWidth(width, limit)
	px := padX(inner)
	text := inner - 2*px
	rows := BodyRows(width, height, limit, hint)
	padY := 1
	if height < 20 {
		padY = 0
	}
	off = max(min(off, len(body)-rows), 0)
	end := min(off+rows, len(body))
	more := ""
	if off > 0 || end < len(body) {
		var parts []string
		if off > 0 {
			parts = append(parts, "↑"+strconv.Itoa(off))
		}
		if end < len(body) {
			parts = append(parts, "↓"+strconv.Itoa(len(body)-end))
		}
		more = " " + strings.Join(parts, " ") + " more"
	}
	head := st.DialogTitle.Render(ansi.Truncate(title, max(text-ansi.StringWidth(more), 4), "…")) + st.Dim.Render(more)
	lines := []string{head, ""}
	for _, ln := range body[off:end] {
		lines = append(lines, ansi.Truncate(ln, text, "…"))
	}
	if hint != "" {
		lines = append(lines, "")
		for _, h := range wrapPlain(hint, text) {
			lines = append(lines, st.Hint.Render(h))
		}
	}
	box := st.Dialog.Padding(padY, px).Width(inner).Render(strings.Join(lines, "\n"))
	return clip(box, width, height)
}

// clip cuts s to at most height lines of at most width cells.
func clip(s string, width, height int) string {
	ls := strings.Split(s, "\n")
	if len(ls) > height {
		ls = ls[:max(height, 0)]
	}
	for i, l := range ls {
		if ansi.StringWidth(l) > width {
			ls[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(ls, "\n")
}

// wrapPlain breaks s at spaces into lines of at most width cells (a word
// longer than the width is cut with "…").
func wrapPlain(s string, width int) []string {
	return WrapWords(s, width)
}

func wrapStyled(st lipgloss.Style, s string, width int) []string {
	ls := WrapWords(s, width)
	for i, l := range ls {
		ls[i] = st.Render(l)
	}
	return ls
}

// WrapWords breaks plain text s at spaces into lines of at most width
// cells, never inside a word; a word wider than width is cut with "…".
func WrapWords(s string, width int) []string {
	width = max(width, 1)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		cur := ""
		for _, w := range strings.Fields(para) {
			if ansi.StringWidth(w) > width {
				w = ansi.Truncate(w, width, "…")
			}
			switch {
			case cur == "":
				cur = w
			case ansi.StringWidth(cur)+1+ansi.StringWidth(w) <= width:
				cur += " " + w
			default:
				out = append(out, cur)
				cur = w
			}
		}
		out = append(out, cur)
	}
	return out
}

// TextWidth is the width of the text inside a box drawn in an area width
// cells wide, at most limit wide.
func TextWidth(width, limit int) int {
	inner := innerWidth(width, limit)
	return inner - 2*padX(inner)
}
