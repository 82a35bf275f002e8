package clusters

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// KeyMap are the pane's keys.
type KeyMap struct {
	Up, Down, Jump, Close key.Binding
}

// DefaultKeyMap returns the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:    key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:  key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Jump:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "jump to member")),
		Close: key.NewBinding(key.WithKeys("esc", "c"), key.WithHelp("esc/c", "close")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.Jump, k.Close} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Up, k.Down, k.Jump, k.Close}} }

// Result is what an Update asked for.
type Result struct {
	Jump  pivot.EntityKey // jump to this member
	Close bool
}

type line struct {
	text   string
	member pivot.EntityKey // "" for non-selectable lines
}

// Model is the clusters pane.
type Model struct {
	Keys   KeyMap
	st     *styles.Styles
	lines  []line
	sel    []int // indexes of selectable lines
	cursor int   // into sel
	offset int
	width  int
	height int
	count  int
}

// New returns an empty pane.
func New(st *styles.Styles) Model { return Model{Keys: DefaultKeyMap(), st: st} }

// SetSize sets the pane size, title line included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.build(nil, nil)
}

// SetClusters shows cs; s gives each member's verdict.
func (m *Model) SetClusters(cs []pivot.Cluster, s *pivot.Session) { m.build(cs, s) }

func (m *Model) build(cs []pivot.Cluster, s *pivot.Session) {
	if cs == nil && s == nil {
		return // size change only: lines are width-independent
	}
	m.count = len(cs)
	m.lines = m.lines[:0]
	m.sel = m.sel[:0]
	st := m.st
	if len(cs) == 0 {
		m.lines = append(m.lines,
			line{text: st.Dim.Render("No clusters yet.")},
			line{text: ""},
			line{text: st.Dim.Render("Clusters form when two scanned domains share an IP, a name-server")},
			line{text: st.Dim.Render("set or a certificate, or three weaker traits (network or ASN,")},
			line{text: st.Dim.Render("registrar, registration window, e-mail posture). Scan more nodes (a).")})
	}
	for i, c := range cs {
		m.lines = append(m.lines, line{text: st.Badge.Render(fmt.Sprintf("◆%d", i+1)) + "  " +
			st.H1.Render(fmt.Sprintf("%d members", len(c.Members))) + st.Dim.Render(fmt.Sprintf("  score %.2f", c.Score))})
		for _, sh := range c.Shared {
			kind, val, _ := strings.Cut(sh, ":")
			m.lines = append(m.lines, line{text: "   " + st.Label.Render(fmt.Sprintf("%-10s", sanitize.Line(kind))) + sanitize.Line(val)})
		}
		for _, mem := range c.Members {
			k := pivot.KeyOf(recon.PivotDomain, mem)
			dot := " "
			if s != nil {
				if e := s.Entity(k); e != nil {
					dot = st.Dot[e.Verdict()]
				}
			}
			m.sel = append(m.sel, len(m.lines))
			m.lines = append(m.lines, line{text: dot + " " + sanitize.Line(mem), member: k})
		}
		m.lines = append(m.lines, line{text: ""})
	}
	m.cursor = min(m.cursor, max(len(m.sel)-1, 0))
	m.scroll()
}

func (m *Model) scroll() {
	h := max(m.height-1, 1)
	if len(m.sel) == 0 {
		m.offset = 0
		return
	}
	li := m.sel[m.cursor]
	if li < m.offset {
		m.offset = max(li-1, 0)
	}
	if li >= m.offset+h {
		m.offset = li - h + 1
	}
}

// Selected returns the member under the cursor, or "".
func (m *Model) Selected() pivot.EntityKey {
	if len(m.sel) == 0 {
		return ""
	}
	return m.lines[m.sel[m.cursor]].member
}

// Update moves over members; enter jumps, esc closes.
func (m Model) Update(msg tea.Msg) (Model, Result, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.Keys.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, m.Keys.Down):
			m.cursor = min(m.cursor+1, max(len(m.sel)-1, 0))
		case key.Matches(msg, m.Keys.Jump):
			if k := m.Selected(); k != "" {
				return m, Result{Jump: k}, nil
			}
		case key.Matches(msg, m.Keys.Close):
			return m, Result{Close: true}, nil
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				m.cursor = max(m.cursor-1, 0)
			case tea.MouseButtonWheelDown:
				m.cursor = min(m.cursor+1, max(len(m.sel)-1, 0))
			}
		}
	}
	m.scroll()
	return m, Result{}, nil
}

// View renders the title line and the visible lines.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	t := fmt.Sprintf(" CLUSTERS  %d", m.count)
	b.WriteString(m.st.PaneTitleFocused.Render(t))
	b.WriteString(strings.Repeat(" ", max(m.width-ansi.StringWidth(t), 0)))
	cur := -1
	if len(m.sel) > 0 {
		cur = m.sel[m.cursor]
	}
	for i := 0; i < m.height-1; i++ {
		b.WriteByte('\n')
		li := m.offset + i
		if li >= len(m.lines) {
			b.WriteString(strings.Repeat(" ", m.width))
			continue
		}
		text := m.lines[li].text
		if m.lines[li].member != "" {
			text = "   " + text
		}
		text = " " + ansi.Truncate(text, m.width-2, "…")
		if li == cur {
			plain := "›" + ansi.Strip(text)[1:]
			text = m.st.Selected.Render(plain + strings.Repeat(" ", max(m.width-ansi.StringWidth(plain), 0)))
		} else {
			text += strings.Repeat(" ", max(m.width-ansi.StringWidth(text), 0))
		}
		b.WriteString(text)
	}
	return b.String()
}
