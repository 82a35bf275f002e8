package clusters

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/changes"
	"github.com/netspecter/netspecter-tui/tui/compare"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Tab is one view of the pane.
type Tab int

// The pane's views.
const (
	TabClusters Tab = iota // the clusters and what they share
	TabMatrix              // comparison matrix of every scanned domain
	TabTimeline            // registration timeline
	TabChanges             // what the last rescan changed (tui/changes)
	numTabs
)

var tabNames = [numTabs]string{"CLUSTERS", "MATRIX", "TIMELINE", "CHANGES"}

// tabShort are the names used when the full ones do not fit.
var tabShort = [numTabs]string{"CLUS", "MATRIX", "TIME", "CHG"}

// KeyMap are the pane's keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Jump, Close, NextTab, Clusters, Matrix, Timeline, Changes key.Binding
}

// DefaultKeyMap returns the pane's keys. Top and bottom are the other
// views' (home, G/end): g goes to the node in the matrix, the timeline
// and the changes view, so it is not a move anywhere in the pane.
func DefaultKeyMap() KeyMap {
	pgUp, pgDown := listnav.PageKeys()
	nav := listnav.NewKeyMap(key.NewBinding(key.WithKeys("enter", "g")))
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   pgUp,
		PageDown: pgDown,
		Top:      nav.Top,
		Bottom:   nav.Bottom,
		Jump:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "jump to member")),
		Close:    key.NewBinding(key.WithKeys("esc", "c"), key.WithHelp("esc/c", "close")),
		NextTab:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "next view")),
		Clusters: key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "clusters")),
		Matrix:   key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "matrix")),
		Timeline: key.NewBinding(key.WithKeys("3", "t"), key.WithHelp("3/t", "timeline")),
		Changes:  key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "changes")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.Jump, k.NextTab, k.Close} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Jump, k.Close}, {k.NextTab, k.Clusters, k.Matrix, k.Timeline, k.Changes}}
}

// paneHelp is the help of the current view plus the view keys.
type paneHelp struct {
	k    KeyMap
	view interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	}
}

func (h paneHelp) ShortHelp() []key.Binding {
	if h.view == nil {
		return h.k.ShortHelp()
	}
	return append(h.view.ShortHelp(), h.k.NextTab, h.k.Close)
}

func (h paneHelp) FullHelp() [][]key.Binding {
	if h.view == nil {
		return h.k.FullHelp()
	}
	return append(h.view.FullHelp(), []key.Binding{h.k.NextTab, h.k.Clusters, h.k.Matrix, h.k.Timeline, h.k.Changes, h.k.Close})
}

// Help returns the keys of the current view (a help.KeyMap).
func (m *Model) Help() interface {
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
} {
	switch m.tab {
	case TabMatrix:
		return paneHelp{k: m.Keys, view: m.mat.Keys}
	case TabTimeline:
		return paneHelp{k: m.Keys, view: m.tl.Keys}
	case TabChanges:
		return paneHelp{k: m.Keys, view: m.chg.Keys}
	}
	return paneHelp{k: m.Keys}
}

// Result is what an Update asked for.
type Result struct {
	Jump  pivot.EntityKey // jump to this member
	Close bool
}

// Model is the clusters pane.
type Model struct {
	Keys   KeyMap
	st     *styles.Styles
	groups []group      // what each cluster shows (layout.go)
	lines  []line       // the groups laid out at the width
	heads  []int        // the header line of each group
	list   listnav.List // rows: the member lines
	width  int
	height int
	count  int

	tab     Tab
	focused bool
	wide    int // width of the matrix and the timeline (the whole screen)
	mat     compare.Matrix
	tl      compare.Timeline
	chg     changes.Model
	ndoms   int
}

// New returns an empty pane.
func New(st *styles.Styles) Model {
	return Model{Keys: DefaultKeyMap(), st: st, mat: compare.NewMatrix(st), tl: compare.NewTimeline(st), chg: changes.New(st)}
}

// SetSize sets the pane size, title line included: w for the clusters
// list, wide for the matrix and the timeline, which take the whole width.
func (m *Model) SetSize(w, wide, h int) {
	m.width, m.height, m.wide = w, h, wide
	m.list.SetHeight(max(h-1, 0))
	m.mat.SetSize(wide, h-1)
	m.tl.SetSize(wide, h-1)
	m.chg.SetSize(w, h-1)
	m.layout()
	m.scroll()
}

// SetFocused says whether the pane has the keyboard (its tab line then
// starts with », visible without colour).
func (m *Model) SetFocused(f bool) { m.focused = f }

// Wide reports whether the current view takes the whole width.
func (m *Model) Wide() bool { return m.tab == TabMatrix || m.tab == TabTimeline }

// Tab returns the current view.
func (m *Model) Tab() Tab { return m.tab }

// SetTab switches the view.
func (m *Model) SetTab(t Tab) { m.tab = t }

// Matrix returns the comparison matrix.
func (m *Model) Matrix() *compare.Matrix { return &m.mat }

// Timeline returns the registration timeline.
func (m *Model) Timeline() *compare.Timeline { return &m.tl }

// Changes returns the changes view.
func (m *Model) Changes() *changes.Model { return &m.chg }

// SetClusters shows cs; s gives each member's verdict and the scanned
// domains compared in the matrix and the timeline.
func (m *Model) SetClusters(cs []pivot.Cluster, s *pivot.Session) {
	m.build(cs, s)
	if s != nil {
		ps := compare.Profiles(s)
		m.ndoms = len(ps)
		m.mat.Set(compare.Build(ps, s.Window))
		m.tl.Set(ps, cs)
	}
}

// scroll shows the cursor's cluster from its header, or as much of it as
// the pane holds with the cursor's member shown.
func (m *Model) scroll() {
	if g := m.cursorGroup(); g < len(m.heads) {
		m.list.Head(m.heads[g])
		return
	}
	m.list.Follow()
}

// Selected returns the member under the cursor, or "".
func (m *Model) Selected() pivot.EntityKey {
	if li := m.list.Line(); li >= 0 {
		return m.lines[li].member
	}
	return ""
}

// Update switches views and hands the rest to the current one; in the
// clusters view it moves over members; enter jumps, esc closes.
func (m Model) Update(msg tea.Msg) (Model, Result, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.Keys.Close):
			return m, Result{Close: true}, nil
		case key.Matches(k, m.Keys.NextTab):
			m.tab = (m.tab + 1) % numTabs
			return m, Result{}, nil
		}
		for t, b := range [numTabs]key.Binding{m.Keys.Clusters, m.Keys.Matrix, m.Keys.Timeline, m.Keys.Changes} {
			if key.Matches(k, b) {
				m.tab = Tab(t)
				return m, Result{}, nil
			}
		}
	}
	switch m.tab {
	case TabMatrix:
		var jump pivot.EntityKey
		m.mat, jump = m.mat.Update(msg)
		return m, Result{Jump: jump}, nil
	case TabTimeline:
		var jump pivot.EntityKey
		m.tl, jump = m.tl.Update(msg)
		return m, Result{Jump: jump}, nil
	case TabChanges:
		var jump pivot.EntityKey
		m.chg, jump = m.chg.Update(msg)
		return m, Result{Jump: jump}, nil
	}
	if k, ok := msg.(tea.KeyMsg); ok {
		// Page keys scroll the lines (the whys of a long cluster) and
		// leave the cursor; the next move brings it back into view.
		switch {
		case key.Matches(k, m.Keys.PageUp):
			m.list.SetOffset(m.list.Offset() - m.list.Height())
			return m, Result{}, nil
		case key.Matches(k, m.Keys.PageDown):
			m.list.SetOffset(m.list.Offset() + m.list.Height())
			return m, Result{}, nil
		}
	}
	open := m.cursorGroup()
	if m.list.Update(msg, m.listKeys()) {
		return m, Result{Jump: m.Selected()}, nil
	}
	if m.cursorGroup() != open {
		m.layout() // the cursor's cluster is shown whole
	}
	m.scroll()
	return m, Result{}, nil
}

// listKeys are the clusters list's keys of the pane's key map.
func (m *Model) listKeys() listnav.KeyMap {
	return listnav.KeyMap{Up: m.Keys.Up, Down: m.Keys.Down, Top: m.Keys.Top, Bottom: m.Keys.Bottom, Jump: m.Keys.Jump}
}

// title renders the tab line.
func (m Model) title(width int) string {
	counts := [numTabs]int{m.count, m.ndoms, m.ndoms, m.chg.Count()}
	var b strings.Builder
	n := 1
	if m.focused {
		b.WriteString(m.st.PaneTitleFocused.Render("»"))
	} else {
		b.WriteString(" ")
	}
	names := tabNames
	full := int(numTabs) // the » mark and the separators
	for t := range numTabs {
		full += len(fmt.Sprintf(" %s %d ", tabNames[t], counts[t]))
	}
	if full > width {
		names = tabShort // a narrow pane: every tab stays visible
	}
	for t := range numTabs {
		txt := fmt.Sprintf(" %s %d ", names[t], counts[t])
		if t == m.tab {
			b.WriteString(m.st.PaneTitleFocused.Render(txt))
		} else {
			b.WriteString(m.st.PaneTitle.Render(txt))
		}
		n += ansi.StringWidth(txt)
		if t < numTabs-1 {
			b.WriteString(m.st.Separator.Render("│"))
			n++
		}
	}
	hint := "  v next view"
	if n+len(hint) <= width {
		b.WriteString(m.st.Dim.Render(hint))
		n += len(hint)
	}
	out := ansi.Truncate(b.String(), width, "…")
	return out + strings.Repeat(" ", max(width-ansi.StringWidth(out), 0))
}

// wideView renders the matrix or the timeline under the tab line, padded
// to the pane's size.
func (m Model) wideView() string {
	var body string
	if m.tab == TabMatrix {
		body = m.mat.View()
	} else {
		body = m.tl.View()
	}
	lines := strings.Split(body, "\n")
	var b strings.Builder
	b.WriteString(m.title(m.wide))
	for i := 0; i < m.height-1; i++ {
		b.WriteByte('\n')
		l := ""
		if i < len(lines) {
			l = ansi.Truncate(lines[i], m.wide, "…")
		}
		b.WriteString(l + strings.Repeat(" ", max(m.wide-ansi.StringWidth(l), 0)))
	}
	return b.String()
}

// View renders the title line and the visible lines.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.Wide() {
		return m.wideView()
	}
	if m.tab == TabChanges {
		return m.title(m.width) + "\n" + m.chg.View()
	}
	var b strings.Builder
	b.WriteString(m.title(m.width))
	m.list.Draw(&b, m.width, func(li int, cur bool) string {
		text := m.lines[li].text
		if m.lines[li].member != "" {
			text = "   " + text
		}
		return listnav.Row(text, 1, m.width, cur, m.st.Selected)
	})
	return b.String()
}
