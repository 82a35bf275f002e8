package treeview

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// KeyMap are the tree's keys.
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Expand, Collapse, Toggle,
	ExpandAll, CollapseAll, Sort key.Binding
}

// DefaultKeyMap returns the tree's default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Expand:      key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "expand")),
		Collapse:    key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "collapse")),
		Toggle:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		ExpandAll:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "expand all under the selection")),
		CollapseAll: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "collapse all")),
		Sort:        key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "sort children: tree order, verdict, name, kind")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.Expand} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}, {k.Expand, k.Collapse, k.Toggle, k.ExpandAll, k.CollapseAll, k.Sort}}
}

// Row is one visible node of the flattened tree.
type Row struct {
	ID      string
	Depth   int
	HasKids bool
}

// Tags are the fixed-width kind tags shown in front of each value.
var Tags = map[recon.PivotKind]string{
	recon.PivotDomain:    "DOM",
	recon.PivotSubdomain: "SUB",
	recon.PivotIP:        "IP ",
	recon.PivotASN:       "ASN",
	recon.PivotNetwork:   "NET",
	recon.PivotNS:        "NS ",
	recon.PivotMX:        "MX ",
	recon.PivotRegistrar: "REG",
	recon.PivotCert:      "CRT",
	recon.PivotPubkey:    "KEY",
	recon.PivotEmail:     "@  ",
	recon.PivotAnalytics: "TRK",
	recon.PivotFavicon:   "ICO",
	recon.PivotPage:      "PAG",
	recon.PivotVerify:    "VER",
}

// NoteMark marks a node whose entity has notes.
const NoteMark = "✎"

// Tag returns the three-cell tag of a kind.
func Tag(k recon.PivotKind) string {
	if t, ok := Tags[k]; ok {
		return t
	}
	return "?  "
}

// Filter says which nodes the tree shows; a node is shown when it
// matches or one of its descendants does (so the path to it stays).
type Filter int

// The filters, in the order the filter picker offers them.
const (
	FilterAll       Filter = iota
	FilterFlagged          // red or yellow verdict
	FilterUnscanned        // scannable and not scanned yet
	FilterScanned          // scanned
	FilterDomains          // domains, subdomains and e-mail addresses
	FilterAddresses        // IPs, networks and ASNs
	FilterShared           // registrars, name servers, mail hosts, certificates, keys
	FilterNotes            // nodes with notes
	numFilters
)

// FilterNames are the filters' names, shown in the picker and the title.
var FilterNames = [numFilters]string{"all nodes", "red and yellow only", "unscanned only", "scanned only",
	"domains and e-mail only", "IPs, networks, ASNs only", "registrars, NS, MX, certificates, fingerprints", "nodes with notes"}

// filterShort are the filters' names in the tree's title.
var filterShort = [numFilters]string{"", "red/yellow", "unscanned", "scanned", "domains", "addresses", "shared values", "notes"}

// Sort orders the children of every node.
type Sort int

// The orders S cycles through.
const (
	SortTree    Sort = iota // as found
	SortVerdict             // red, yellow, green, none
	SortName                // by value
	SortKind                // by kind, then value
	numSorts
)

// SortNames are the orders' names.
var SortNames = [numSorts]string{"as found", "by verdict", "by name", "by kind"}

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

// SetFilter shows only the nodes f matches (and the paths to them).
func (m *Model) SetFilter(f Filter) {
	if f >= 0 && f < numFilters && f != m.filter {
		id := m.SelectedID()
		m.filter = f
		m.dirty = true
		m.keep(id)
	}
}

// Filter returns the current filter.
func (m *Model) Filter() Filter { return m.filter }

// CycleSort switches to the next order of children and returns it.
func (m *Model) CycleSort() Sort {
	id := m.SelectedID()
	m.sort = (m.sort + 1) % numSorts
	m.dirty = true
	m.keep(id)
	return m.sort
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

// matches reports whether node n passes the filter by itself.
func (m *Model) matches(n *pivot.Node) bool {
	e := n.Entity
	switch m.filter {
	case FilterFlagged:
		v := e.Verdict()
		return v == recon.LevelRed || v == recon.LevelYellow
	case FilterUnscanned:
		return pivot.Scannable(n.Kind) && e.Scan == nil
	case FilterScanned:
		return e.Scan != nil
	case FilterDomains:
		return n.Kind == recon.PivotDomain || n.Kind == recon.PivotSubdomain || n.Kind == recon.PivotEmail
	case FilterAddresses:
		return n.Kind == recon.PivotIP || n.Kind == recon.PivotNetwork || n.Kind == recon.PivotASN
	case FilterShared:
		switch n.Kind {
		case recon.PivotRegistrar, recon.PivotNS, recon.PivotMX, recon.PivotCert, recon.PivotPubkey,
			recon.PivotAnalytics, recon.PivotFavicon, recon.PivotPage, recon.PivotVerify:
			return true
		}
		return false
	case FilterNotes:
		return len(e.Notes) > 0
	}
	return true
}

// visibleSet returns the nodes a filter shows (nil: all): those that
// match and their ancestors.
func (m *Model) visibleSet() map[string]bool {
	if m.filter == FilterAll {
		return nil
	}
	vis := map[string]bool{}
	for _, id := range m.s.NodeIDs() {
		n := m.s.Node(id)
		if n == nil || vis[id] || !m.matches(n) {
			continue
		}
		for p := n; p != nil && !vis[p.ID]; p = m.s.Node(p.Parent) {
			vis[p.ID] = true
			if p.Parent == "" {
				break
			}
		}
	}
	return vis
}

// sorted returns the children of n in the current order.
func (m *Model) sorted(kids []string) []string {
	if m.sort == SortTree || len(kids) < 2 {
		return kids
	}
	out := slices.Clone(kids)
	rank := map[recon.Level]int{recon.LevelRed: 0, recon.LevelYellow: 1, recon.LevelGreen: 2}
	lvl := func(n *pivot.Node) int {
		if r, ok := rank[n.Entity.Verdict()]; ok {
			return r
		}
		return 3
	}
	slices.SortStableFunc(out, func(a, b string) int {
		na, nb := m.s.Node(a), m.s.Node(b)
		if na == nil || nb == nil {
			return 0
		}
		switch m.sort {
		case SortVerdict:
			if c := lvl(na) - lvl(nb); c != 0 {
				return c
			}
		case SortKind:
			if c := strings.Compare(Tag(na.Kind), Tag(nb.Kind)); c != 0 {
				return c
			}
		}
		return strings.Compare(strings.ToLower(na.Value), strings.ToLower(nb.Value))
	})
	return out
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

// View renders the title line and the visible window of rows, each padded
// to the pane width.
func (m Model) View() string {
	m.ensure()
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow((m.width + 16) * m.height * 2)
	title, head := m.st.PaneTitle, "  PIVOTS"
	if m.focused {
		title, head = m.st.PaneTitleFocused, "» PIVOTS"
	}
	count := ""
	if m.s != nil {
		count = itoa(m.s.Len()) + " nodes"
	}
	if m.filter != FilterAll {
		count = filterShort[m.filter] + " · " + count
	}
	if m.sort != SortTree {
		count = SortNames[m.sort] + " · " + count
	}
	if ansi.StringWidth(head)+ansi.StringWidth(count)+2 > m.width {
		count = ansi.TruncateLeft(count, ansi.StringWidth(count)-max(m.width-ansi.StringWidth(head)-3, 0), "…")
	}
	gap := m.width - ansi.StringWidth(head) - ansi.StringWidth(count) - 1
	if gap < 1 {
		b.WriteString(title.Render(ansi.Truncate(head, m.width, "")))
		b.WriteString(pad(m.width - min(ansi.StringWidth(head), m.width)))
	} else {
		b.WriteString(title.Render(head))
		b.WriteString(pad(gap))
		b.WriteString(m.st.Dim.Render(count))
		b.WriteByte(' ')
	}
	h := m.listHeight()
	for i := 0; i < h; i++ {
		b.WriteByte('\n')
		ri := m.offset + i
		if ri >= len(m.rows) {
			b.WriteString(pad(m.width))
			continue
		}
		b.WriteString(m.renderRow(m.rows[ri], ri == m.cursor))
	}
	return b.String()
}

func pad(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// renderRow draws one row exactly m.width cells wide.
func (m *Model) renderRow(r Row, selected bool) string {
	n := m.s.Node(r.ID)
	if n == nil {
		return pad(m.width)
	}
	e := n.Entity
	marker := "  "
	if r.HasKids {
		if m.open[r.ID] {
			marker = "▾ "
		} else {
			marker = "▸ "
		}
	}
	indent := strings.Repeat("  ", min(r.Depth, 12))
	tag := Tag(n.Kind)
	value := sanitize.Line(n.Value)
	rel := ""
	if n.Relation != "" {
		rel = " " + sanitize.Line(n.Relation)
	}

	// Right-hand side: state, badge, verdict dot.
	state, stateStyle := "", m.st.Queued
	switch e.State {
	case pivot.StateRunning:
		state, stateStyle = m.spinner, m.st.Spinner
		if state == "" {
			state = "…"
		}
		if p := m.prog[e.Key]; p != "" {
			state += " " + p
		}
	case pivot.StateQueued:
		state = "queued"
	case pivot.StateFailed:
		state, stateStyle = "✗ failed", m.st.Failed
	}
	badge := m.badges[e.Key]
	lvl := e.Verdict()
	dot := lvl.Mark()
	if dot == "" {
		dot = " "
	}
	right := ""
	mark := m.marks[r.ID]
	if mark.Glyph != "" {
		right += mark.Glyph + " "
	}
	if state != "" {
		right += state + " "
	}
	if len(e.Notes) > 0 {
		right += NoteMark + " "
	}
	if badge != "" {
		right += badge + " "
	}
	rw := ansi.StringWidth(right) + 2 // dot + trailing space
	lead := " " + indent + marker + tag + " "
	// One blank cell always parts the label from the state, badge and mark.
	avail := m.width - rw - ansi.StringWidth(lead) - 1
	if avail < 1 {
		// Very narrow: drop the right side.
		right, rw, badge, state, mark = "", 2, "", "", Mark{}
		avail = m.width - rw - ansi.StringWidth(lead) - 1
	}
	text := value + rel
	if ansi.StringWidth(text) > avail {
		text = ansi.Truncate(text, max(avail, 0), "…")
		if ansi.StringWidth(value) > avail {
			rel = ""
		}
	}
	fill := max(avail-ansi.StringWidth(text), 0) + 1

	if selected {
		sel := m.st.Selected
		if !m.focused {
			sel = m.st.SelectedBlur
		}
		line := "›" + lead[1:] + text + pad(fill) + right
		line = ansi.Truncate(line, m.width-2, "")
		line += pad(m.width - 2 - ansi.StringWidth(line))
		return sel.Render(line) + m.st.Dot[lvl] + " "
	}
	var b strings.Builder
	b.WriteString(" ")
	b.WriteString(indent)
	b.WriteString(m.st.Marker.Render(marker))
	b.WriteString(m.st.KindStyle(n.Kind).Render(tag))
	b.WriteString(" ")
	if ansi.StringWidth(text) <= ansi.StringWidth(value) || rel == "" {
		b.WriteString(m.st.Value.Render(text))
	} else {
		b.WriteString(m.st.Value.Render(value))
		b.WriteString(m.st.Relation.Render(strings.TrimPrefix(text, value)))
	}
	b.WriteString(pad(fill))
	if mark.Glyph != "" {
		b.WriteString(mark.Style.Render(mark.Glyph))
		b.WriteString(" ")
	}
	if state != "" {
		b.WriteString(stateStyle.Render(state))
		b.WriteString(" ")
	}
	if len(e.Notes) > 0 && right != "" {
		b.WriteString(m.st.Note.Render(NoteMark))
		b.WriteString(" ")
	}
	if badge != "" {
		b.WriteString(m.st.Badge.Render(badge))
		b.WriteString(" ")
	}
	if lvl == recon.LevelNone {
		b.WriteString(dot)
	} else {
		b.WriteString(m.st.Dot[lvl])
	}
	b.WriteString(" ")
	return b.String()
}
