// treeview.go holds the tree's model: the session's forest flattened into
// rows from the expanded nodes (cached until Refresh or an expand), the
// cursor and its window, selection, search, and Update.

package treeview

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Row is one visible node of the flattened tree.
type Row struct {
	ID      string
	Depth   int
	HasKids bool
}

// Model is the tree pane.
type Model struct {
	Keys    KeyMap
	st      *styles.Styles
	s       *pivot.Session
	open    map[string]bool
	rows    []Row
	index   map[string]int
	dirty   bool
	cursor  int
	offset  int
	width   int
	height  int
	focused bool
	spinner string
	badges  map[pivot.EntityKey]string
	marks   map[string]Mark
	filter  Filter
	sort    Sort
	prog    map[pivot.EntityKey]string // "3/9" modules done of running scans
}

// SetProgress sets the modules-done count ("3/9") shown beside entity k's
// running scan; "" removes it.
func (m *Model) SetProgress(k pivot.EntityKey, p string) {
	if p == "" {
		delete(m.prog, k)
		return
	}
	if m.prog == nil {
		m.prog = map[pivot.EntityKey]string{}
	}
	m.prog[k] = p
}

// keep puts the cursor back on node id when it is still shown.
func (m *Model) keep(id string) {
	m.ensure()
	if i, ok := m.index[id]; ok {
		m.cursor = i
		m.clamp()
	}
}

// ExpandAll opens node id and every node under it.
func (m *Model) ExpandAll(id string) {
	if m.s == nil {
		return
	}
	stack := []string{id}
	for len(stack) > 0 {
		n := m.s.Node(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		if n == nil || len(n.Children) == 0 {
			continue
		}
		m.open[n.ID] = true
		stack = append(stack, n.Children...)
	}
	m.dirty = true
}

// CollapseAll closes every node; the cursor goes to the selection's root.
func (m *Model) CollapseAll() {
	root := m.SelectedID()
	for m.s != nil && root != "" {
		n := m.s.Node(root)
		if n == nil || n.Parent == "" {
			break
		}
		root = n.Parent
	}
	clear(m.open)
	m.dirty = true
	m.keep(root)
}

// Mark is a sign drawn beside a node's state, e.g. how the last rescan
// changed it ("Δ", "+", "−"): a glyph that reads without colour, and its style.
type Mark struct {
	Glyph string
	Style lipgloss.Style
}

// SetMarks sets the marks by node id (nil: none).
func (m *Model) SetMarks(marks map[string]Mark) { m.marks = marks }

// New returns a tree over session s.
func New(s *pivot.Session, st *styles.Styles) Model {
	return Model{Keys: DefaultKeyMap(), st: st, s: s, open: map[string]bool{}, dirty: true, focused: true}
}

// SetSession replaces the session (after a load).
func (m *Model) SetSession(s *pivot.Session) {
	m.s = s
	m.open = map[string]bool{}
	m.cursor, m.offset = 0, 0
	m.dirty = true
}

// SetSize sets the pane's size in cells, title line included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.clamp()
}

// SetFocused says whether the tree has the keyboard.
func (m *Model) SetFocused(f bool) { m.focused = f }

// SetSpinner sets the frame drawn beside running scans.
func (m *Model) SetSpinner(frame string) { m.spinner = frame }

// SetBadges sets the cluster badges by entity ("◆1").
func (m *Model) SetBadges(b map[pivot.EntityKey]string) { m.badges = b }

// Refresh marks the flattened rows stale: call it after the tree changed.
func (m *Model) Refresh() { m.dirty = true }

// Rows returns the flattened visible rows (rebuilding them if stale).
func (m *Model) Rows() []Row {
	m.ensure()
	return m.rows
}

// Open reports whether node id is expanded.
func (m *Model) Open(id string) bool { return m.open[id] }

// SetOpen expands or collapses node id.
func (m *Model) SetOpen(id string, open bool) {
	if m.open[id] != open {
		if open {
			m.open[id] = true
		} else {
			delete(m.open, id)
		}
		m.dirty = true
	}
}

func (m *Model) ensure() {
	if !m.dirty {
		return
	}
	m.dirty = false
	m.rows = m.rows[:0]
	if m.index == nil {
		m.index = make(map[string]int)
	} else {
		clear(m.index)
	}
	if m.s == nil {
		return
	}
	type frame struct {
		id    string
		depth int
	}
	vis := m.visibleSet()
	roots := m.sorted(m.s.Roots())
	stack := make([]frame, 0, 64)
	for i := len(roots) - 1; i >= 0; i-- {
		if vis == nil || vis[roots[i]] {
			stack = append(stack, frame{roots[i], 0})
		}
	}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := m.s.Node(f.id)
		if n == nil {
			continue
		}
		kids := n.Children
		if vis != nil {
			kids = nil
			for _, c := range n.Children {
				if vis[c] {
					kids = append(kids, c)
				}
			}
		}
		m.index[f.id] = len(m.rows)
		m.rows = append(m.rows, Row{ID: f.id, Depth: f.depth, HasKids: len(kids) > 0})
		if m.open[f.id] {
			kids = m.sorted(kids)
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, frame{kids[i], f.depth + 1})
			}
		}
	}
	m.clamp()
}

func (m *Model) listHeight() int {
	if m.height <= 1 {
		return 1
	}
	return m.height - 1
}

func (m *Model) clamp() {
	n := len(m.rows)
	if m.cursor >= n {
		m.cursor = n - 1
	}
	if m.cursor < 0 {
		m.cursor = 0
	}
	m.offset = listnav.Window(m.cursor, m.offset, m.listHeight(), n)
}

// Cursor returns the index of the selected row.
func (m *Model) Cursor() int { return m.cursor }

// SelectedID returns the selected node id, or "".
func (m *Model) SelectedID() string {
	m.ensure()
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return ""
	}
	return m.rows[m.cursor].ID
}

// Selected returns the selected node, or nil.
func (m *Model) Selected() *pivot.Node {
	if id := m.SelectedID(); id != "" && m.s != nil {
		return m.s.Node(id)
	}
	return nil
}

// Move moves the cursor by delta rows.
func (m *Model) Move(delta int) {
	m.ensure()
	m.cursor += delta
	m.clamp()
}

// Select moves the cursor to node id, expanding its ancestors. It reports
// whether the node exists.
func (m *Model) Select(id string) bool {
	if m.s == nil || m.s.Node(id) == nil {
		return false
	}
	for p := m.s.Node(id).Parent; p != ""; {
		m.SetOpen(p, true)
		pn := m.s.Node(p)
		if pn == nil {
			break
		}
		p = pn.Parent
	}
	m.ensure()
	if i, ok := m.index[id]; ok {
		m.cursor = i
		m.clamp()
		return true
	}
	return false
}

// Find returns the ids of every node (open or not) whose value contains q,
// case-insensitively, in tree order.
func (m *Model) Find(q string) []string {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || m.s == nil {
		return nil
	}
	var out []string
	var walk func(id string)
	walk = func(id string) {
		n := m.s.Node(id)
		if n == nil {
			return
		}
		if strings.Contains(strings.ToLower(n.Value), q) {
			out = append(out, id)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range m.s.Roots() {
		walk(r)
	}
	return out
}

// ClickRow selects the row at pane line y (0 is the title line) and
// reports whether a row was hit.
func (m *Model) ClickRow(y int) bool {
	m.ensure()
	i := m.offset + y - 1
	if y < 1 || i < 0 || i >= len(m.rows) {
		return false
	}
	m.cursor = i
	m.clamp()
	return true
}

// Update handles the tree's keys and the mouse wheel.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.ensure()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.Keys.Up):
			m.Move(-1)
		case key.Matches(msg, m.Keys.Down):
			m.Move(1)
		case key.Matches(msg, m.Keys.Top):
			m.cursor = 0
			m.clamp()
		case key.Matches(msg, m.Keys.Bottom):
			m.cursor = len(m.rows) - 1
			m.clamp()
		case key.Matches(msg, m.Keys.PageUp):
			m.Move(-m.listHeight())
		case key.Matches(msg, m.Keys.PageDown):
			m.Move(m.listHeight())
		case key.Matches(msg, m.Keys.Expand):
			if r := m.row(); r != nil && r.HasKids {
				if m.open[r.ID] {
					m.Move(1)
				} else {
					m.SetOpen(r.ID, true)
				}
			}
		case key.Matches(msg, m.Keys.Collapse):
			if r := m.row(); r != nil {
				if m.open[r.ID] {
					m.SetOpen(r.ID, false)
				} else if n := m.s.Node(r.ID); n != nil && n.Parent != "" {
					m.Select(n.Parent)
				}
			}
		case key.Matches(msg, m.Keys.Toggle):
			if r := m.row(); r != nil && r.HasKids {
				m.SetOpen(r.ID, !m.open[r.ID])
			}
		case key.Matches(msg, m.Keys.ExpandAll):
			if r := m.row(); r != nil {
				m.ExpandAll(r.ID)
			}
		case key.Matches(msg, m.Keys.CollapseAll):
			m.CollapseAll()
		case key.Matches(msg, m.Keys.Sort):
			m.CycleSort()
		}
		m.ensure()
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				m.Move(-3)
			case tea.MouseButtonWheelDown:
				m.Move(3)
			}
		}
	}
	return m, nil
}

func (m *Model) row() *Row {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return &m.rows[m.cursor]
}
