package detail

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// KeyMap are the detail pane's scrolling keys (active when it has focus).
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
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
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.PageDown} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
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

// SetFocused says whether the pane has the keyboard.
func (m *Model) SetFocused(f bool) { m.focused = f }

// SetContent shows body (already rendered and wrapped to Width) under title.
// When keep is false the view scrolls back to the top.
func (m *Model) SetContent(title, body string, keep bool) {
	m.title = title
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = " " + l
	}
	m.vp.SetContent(strings.Join(lines, "\n"))
	if !keep {
		m.vp.GotoTop()
	}
}

// YOffset is the scroll position.
func (m *Model) YOffset() int { return m.vp.YOffset }

// Update scrolls.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.Keys.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, m.Keys.Down):
			m.vp.ScrollDown(1)
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
	ts := m.st.PaneTitle
	if m.focused {
		ts = m.st.PaneTitleFocused
	}
	t := ansi.Truncate(" "+m.title, m.width, "…")
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
