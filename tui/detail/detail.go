package detail

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// KeyMap are the detail pane's keys (active when it has focus).
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Jump, Back key.Binding
}

// DefaultKeyMap returns the detail pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Jump:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to the selected shared-by row")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the tree")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("j"), key.WithHelp("↑↓/jk", "select/scroll")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to row")),
		k.PageDown, k.Back,
	}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Jump, k.Back}}
}

// Model is the detail pane.
type Model struct {
	Keys    KeyMap
	st      *styles.Styles
	vp      viewport.Model
	title   string
	focused bool
	width   int
	height  int
	lines   []string // content lines, as given to the viewport
	links   []Link
	cursor  int // index into links
}

// New returns an empty detail pane.
func New(st *styles.Styles) Model {
	vp := viewport.New(0, 0)
	vp.MouseWheelEnabled = true
	vp.MouseWheelDelta = 3
	return Model{Keys: DefaultKeyMap(), st: st, vp: vp}
}

// SetSize sets the pane size, title line included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.Width = max(w, 0)
	m.vp.Height = max(h-1, 0)
}

// Width is the width content should be wrapped to.
func (m *Model) Width() int { return max(m.width-2, 10) }

// SetFocused says whether the pane has the keyboard; with it, the first
// selectable row in view is selected.
func (m *Model) SetFocused(f bool) {
	if m.focused == f {
		return
	}
	m.focused = f
	if f && len(m.links) > 0 && !m.visible(m.links[m.cursor].Line) {
		for i, lk := range m.links {
			if m.visible(lk.Line) {
				m.cursor = i
				break
			}
		}
	}
	m.render()
}

// SetContent shows body (already rendered and wrapped to Width) under title.
// When keep is false the view scrolls back to the top.
func (m *Model) SetContent(title, body string, keep bool) {
	m.SetContentLinks(title, body, nil, keep)
}

// SetContentLinks is SetContent with selectable lines: with the focus, the
// pane's cursor moves over links and enter jumps to the one selected.
func (m *Model) SetContentLinks(title, body string, links []Link, keep bool) {
	m.title = title
	m.lines = strings.Split(body, "\n")
	for i, l := range m.lines {
		m.lines[i] = " " + l
	}
	var cur pivot.EntityKey
	if keep && m.cursor < len(m.links) {
		cur = m.links[m.cursor].Key
	}
	m.links = links
	m.cursor = 0
	for i, lk := range links {
		if lk.Key == cur {
			m.cursor = i
		}
	}
	m.render()
	if !keep {
		m.vp.GotoTop()
	}
}

// render hands the lines to the viewport with the selected link marked.
func (m *Model) render() {
	if !m.focused || len(m.links) == 0 {
		m.vp.SetContent(strings.Join(m.lines, "\n"))
		return
	}
	out := make([]string, len(m.lines))
	copy(out, m.lines)
	if li := m.links[m.cursor].Line; li < len(out) {
		plain := strings.TrimPrefix(strings.TrimPrefix(ansi.Strip(out[li]), " "), " ")
		plain = "›" + plain
		out[li] = m.st.Selected.Render(plain + strings.Repeat(" ", max(m.width-ansi.StringWidth(plain), 0)))
	}
	m.vp.SetContent(strings.Join(out, "\n"))
}

// ClickRow selects the link at pane line y (0 is the title line) and
// reports whether there was one.
func (m *Model) ClickRow(y int) bool {
	line := m.vp.YOffset + y - 1
	for i, lk := range m.links {
		if lk.Line == line {
			m.cursor = i
			m.render()
			return true
		}
	}
	return false
}

// Links returns the selectable lines.
func (m *Model) Links() []Link { return m.links }

// Selected returns the entity of the selected link, "" when there is none
// or it is scrolled out of view.
func (m *Model) Selected() pivot.EntityKey {
	if !m.focused || len(m.links) == 0 || !m.visible(m.links[m.cursor].Line) {
		return ""
	}
	return m.links[m.cursor].Key
}

func (m *Model) visible(line int) bool {
	return line >= m.vp.YOffset && line < m.vp.YOffset+m.vp.Height
}

// show scrolls so that line is in view.
func (m *Model) show(line int) {
	if line < m.vp.YOffset {
		m.vp.SetYOffset(line)
	} else if line >= m.vp.YOffset+m.vp.Height {
		m.vp.SetYOffset(line - m.vp.Height + 1)
	}
}

// YOffset is the scroll position.
func (m *Model) YOffset() int { return m.vp.YOffset }

// Update moves over the selectable rows and scrolls: up and down go from
// row to row while the selected row is in view, and scroll past the rows.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cur := len(m.links) > 0 && m.visible(m.links[m.cursor].Line)
		switch {
		case key.Matches(msg, m.Keys.Up):
			if cur && m.cursor > 0 && m.links[m.cursor-1].Line >= m.vp.YOffset-1 {
				m.cursor--
				m.show(m.links[m.cursor].Line)
				m.render()
			} else {
				m.vp.ScrollUp(1)
			}
		case key.Matches(msg, m.Keys.Down):
			if cur && m.cursor < len(m.links)-1 {
				m.cursor++
				m.show(m.links[m.cursor].Line)
				m.render()
			} else {
				m.vp.ScrollDown(1)
			}
		case key.Matches(msg, m.Keys.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, m.Keys.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, m.Keys.Top):
			m.vp.GotoTop()
		case key.Matches(msg, m.Keys.Bottom):
			m.vp.GotoBottom()
		}
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	}
	return m, nil
}

// View renders the title line and the viewport.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	ts, mark := m.st.PaneTitle, "  "
	if m.focused {
		ts, mark = m.st.PaneTitleFocused, "» "
	}
	t := ansi.Truncate(mark+m.title, m.width, "…")
	pct := ""
	if m.vp.TotalLineCount() > m.vp.Height && m.vp.Height > 0 {
		pct = itoaPct(m.vp.ScrollPercent())
	}
	gap := m.width - ansi.StringWidth(t) - len(pct) - 1
	head := ts.Render(t)
	if gap >= 1 && pct != "" {
		head += strings.Repeat(" ", gap) + m.st.Dim.Render(pct) + " "
	} else {
		head += strings.Repeat(" ", max(m.width-ansi.StringWidth(t), 0))
	}
	return head + "\n" + m.vp.View()
}

func itoaPct(f float64) string {
	p := int(f*100 + 0.5)
	switch {
	case p >= 100:
		return "100%"
	case p < 10:
		return string(rune('0'+p)) + "%"
	}
	return string(rune('0'+p/10)) + string(rune('0'+p%10)) + "%"
}
