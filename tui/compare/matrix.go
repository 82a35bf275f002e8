package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/listnav"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// MatrixKeyMap are the matrix's keys.
type MatrixKeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Left, Right, Sort, Mark, Jump key.Binding
}

// DefaultMatrixKeyMap returns the matrix's keys: the moves of the other
// lists (listnav.NewKeyMap: a page, home, G/end; g goes to the node).
func DefaultMatrixKeyMap() MatrixKeyMap {
	jump := key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "go to node"))
	nav := listnav.NewKeyMap(jump)
	return MatrixKeyMap{
		Up:       nav.Up,
		Down:     nav.Down,
		PageUp:   nav.PageUp,
		PageDown: nav.PageDown,
		Top:      nav.Top,
		Bottom:   nav.Bottom,
		Left:     key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "column")),
		Right:    key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "column")),
		Sort:     key.NewBinding(key.WithKeys("o", "enter"), key.WithHelp("o/enter", "sort (again: reverse)")),
		Mark:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark row")),
		Jump:     jump,
	}
}

// ShortHelp implements help.KeyMap.
func (k MatrixKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.Right, k.Sort, k.Mark, k.Jump}
}

// FullHelp implements help.KeyMap.
func (k MatrixKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right, k.Sort, k.Mark, k.Jump}}
}

// Matrix is the comparison matrix pane body.
type Matrix struct {
	Keys    MatrixKeyMap
	st      *styles.Styles
	t       *Table
	order   []int // display order of rows
	sortCol Column
	sorted  bool
	desc    bool
	col     Column // selected column (ColDomain..ColVerdict)
	colOff  Column // first scrolled column shown after the domain
	cursor  int    // into order
	offset  int
	marked  map[string]bool // by domain, so marks survive a rebuild
	width   int
	height  int
}

// SetSize sets the body size.
func (m *Matrix) SetSize(w, h int) {
	m.width, m.height = w, h
	m.clamp()
}

// clamp scrolls so that the cursor row and the selected column are shown.
func (m *Matrix) clamp() {
	if len(m.t.Profiles) == 0 || m.width <= 0 {
		return
	}
	m.visible(m.width, m.widths())
	m.offset = listnav.Window(m.cursor, m.offset, m.rowsHeight(), len(m.order))
}

func (m *Matrix) rowsHeight() int {
	return min(max(m.height-2-len(m.panel(m.width)), 1), len(m.order))
}

// NewMatrix returns an empty matrix.
func NewMatrix(st *styles.Styles) Matrix {
	return Matrix{Keys: DefaultMatrixKeyMap(), st: st, t: &Table{}, col: ColIP, colOff: ColIP, marked: map[string]bool{}}
}

// Set shows t, keeping the sort, the marks and the cursor's domain.
func (m *Matrix) Set(t *Table) {
	cur := m.CursorDomain()
	m.t = t
	m.resort()
	m.cursor = 0
	for i, r := range m.order {
		if t.Profiles[r].Domain == cur {
			m.cursor = i
		}
	}
	for d := range m.marked {
		if !slices.ContainsFunc(t.Profiles, func(p Profile) bool { return p.Domain == d }) {
			delete(m.marked, d)
		}
	}
	m.clamp()
}

// Table returns the table shown.
func (m *Matrix) Table() *Table { return m.t }

func (m *Matrix) resort() {
	if m.sorted {
		m.order = m.t.Order(m.sortCol, m.desc)
		return
	}
	m.order = m.t.Order(ColDomain, false)[:0]
	for i := range m.t.Profiles {
		m.order = append(m.order, i)
	}
}

// CursorDomain returns the domain under the cursor, or "".
func (m *Matrix) CursorDomain() string {
	if m.cursor < 0 || m.cursor >= len(m.order) {
		return ""
	}
	return m.t.Profiles[m.order[m.cursor]].Domain
}

// Marked returns the marked rows (profile indexes) in display order.
func (m *Matrix) Marked() []int {
	var out []int
	for _, r := range m.order {
		if m.marked[m.t.Profiles[r].Domain] {
			out = append(out, r)
		}
	}
	return out
}

// SortState returns the sort column, direction and whether rows are sorted.
func (m *Matrix) SortState() (Column, bool, bool) { return m.sortCol, m.desc, m.sorted }

// Update handles the matrix keys; it returns the entity to jump to, if any.
func (m Matrix) Update(msg tea.Msg) (Matrix, pivot.EntityKey) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		if mm, ok := msg.(tea.MouseMsg); ok {
			m.cursor = listnav.Wheel(mm, m.cursor, len(m.order))
		}
		m.clamp()
		return m, ""
	}
	jump := m.key(k)
	m.clamp()
	return m, jump
}

func (m *Matrix) key(k tea.KeyMsg) pivot.EntityKey {
	switch {
	case key.Matches(k, m.Keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.Keys.Down):
		m.cursor = min(m.cursor+1, max(len(m.order)-1, 0))
	case key.Matches(k, m.Keys.PageUp):
		m.cursor = max(m.cursor-m.rowsHeight(), 0)
	case key.Matches(k, m.Keys.PageDown):
		m.cursor = max(min(m.cursor+m.rowsHeight(), len(m.order)-1), 0)
	case key.Matches(k, m.Keys.Top):
		m.cursor = 0
	case key.Matches(k, m.Keys.Bottom):
		m.cursor = max(len(m.order)-1, 0)
	case key.Matches(k, m.Keys.Left):
		m.col = max(m.col-1, ColDomain)
	case key.Matches(k, m.Keys.Right):
		m.col = min(m.col+1, NumColumns-1)
	case key.Matches(k, m.Keys.Sort):
		cur := m.CursorDomain()
		if m.sorted && m.sortCol == m.col {
			m.desc = !m.desc
		} else {
			m.sorted, m.sortCol, m.desc = true, m.col, false
		}
		m.resort()
		for i, r := range m.order {
			if m.t.Profiles[r].Domain == cur {
				m.cursor = i
			}
		}
	case key.Matches(k, m.Keys.Mark):
		if d := m.CursorDomain(); d != "" {
			if m.marked[d] {
				delete(m.marked, d)
			} else {
				m.marked[d] = true
			}
			m.cursor = min(m.cursor+1, max(len(m.order)-1, 0))
		}
	case key.Matches(k, m.Keys.Jump):
		if m.cursor < len(m.order) {
			return m.t.Profiles[m.order[m.cursor]].Entity
		}
	}
	return ""
}

// colCap is the widest a column is drawn.
var colCap = [NumColumns]int{ColDomain: 26, ColIP: 22, ColNet: 24, ColASN: 12, ColRegistrar: 20, ColNS: 26, ColCert: 16, ColRegistered: 12, ColEmail: 24, ColAnalytics: 16, ColFavicon: 12, ColPage: 13, ColVerify: 24, ColVerdict: 9}

const colGap = 2

// widths returns each column's width.
func (m *Matrix) widths() [NumColumns]int {
	var w [NumColumns]int
	for c := range NumColumns {
		w[c] = ansi.StringWidth(Titles[c]) + 2 // sort arrow
	}
	for i := range m.t.Cells {
		for c := range NumColumns {
			w[c] = max(w[c], ansi.StringWidth(m.cellView(i, c, 1000)))
		}
	}
	for c := range NumColumns {
		w[c] = min(w[c], colCap[c])
	}
	// On a wide screen the domain names are not cut: their column takes up
	// to a quarter of the width.
	if long := m.longestDomain(); long > w[ColDomain] {
		w[ColDomain] = min(long, max(colCap[ColDomain], m.width/4))
	}
	return w
}

// longestDomain is the width of the longest domain name of the rows.
func (m *Matrix) longestDomain() int {
	n := 0
	for i := range m.t.Cells {
		n = max(n, ansi.StringWidth(m.cellView(i, ColDomain, 1000)))
	}
	return n
}

// shown returns the cell value shown for a row (a shared one first) and
// how many more the row has.
func shown(cells []Cell) (Cell, int) {
	best := cells[0]
	for _, c := range cells {
		if c.Glyph > 0 && (best.Glyph <= 0 || c.Glyph < best.Glyph) {
			best = c
		}
	}
	return best, len(cells) - 1
}

// visible returns the scrolled columns that fit after the domain column
// and updates colOff so that the selected column is among them.
func (m *Matrix) visible(width int, w [NumColumns]int) []Column {
	fits := func(from Column) []Column {
		used := 4 + w[ColDomain] + 8 // room for the ‹n/9› indicator
		var out []Column
		for c := from; c < NumColumns; c++ {
			if used+colGap+w[c] > width && len(out) > 0 {
				break
			}
			used += colGap + w[c]
			out = append(out, c)
		}
		return out
	}
	if m.col != ColDomain && m.col < m.colOff {
		m.colOff = m.col
	}
	for {
		v := fits(m.colOff)
		if m.col == ColDomain || slices.Contains(v, m.col) || m.colOff >= NumColumns-1 {
			return v
		}
		m.colOff++
	}
}

// cellView renders one cell within width: its value (a shared one
// first) with its glyph, and "+N" when the row has N more values.
func (m *Matrix) cellView(row int, c Column, width int) string {
	st := m.st
	cells := m.t.Cells[row][c]
	if len(cells) == 0 {
		return st.Unique.Render(ansi.Truncate("—", width, ""))
	}
	cell, more := shown(cells)
	txt := sanitize.Line(cell.Text)
	var out string
	switch {
	case c == ColDomain:
		out = txt
	case c == ColVerdict:
		lv := m.t.Profiles[row].Verdict
		out = st.Dot[lv] + " " + st.Level[lv].Render(txt)
	case cell.Glyph > 0:
		out = st.Share[(cell.Glyph-1)%len(st.Share)].Render(GlyphText(cell.Glyph) + " " + txt)
	case cell.Glyph == SaysNothing:
		out = st.Unique.Render("~ " + txt)
	default:
		out = st.Unique.Render("  " + txt)
	}
	suffix := ""
	if more > 0 {
		suffix = st.Dim.Render(fmt.Sprintf(" +%d", more))
	}
	if ansi.StringWidth(out)+ansi.StringWidth(suffix) > width {
		return ansi.Truncate(out, max(width-ansi.StringWidth(suffix), 1), "…") + suffix
	}
	return out + suffix
}

func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// View renders the matrix, what the marked rows share and the legend.
func (m Matrix) View() string {
	st := m.st
	width := m.width
	if len(m.t.Profiles) == 0 {
		return st.Dim.Render("No scanned domain yet: scan a domain (enter on a node) to compare it.")
	}
	w := m.widths()
	cols := m.visible(width, w)
	var lines []string

	head := "    " + m.header(ColDomain, w[ColDomain])
	for _, c := range cols {
		head += strings.Repeat(" ", colGap) + m.header(c, w[c])
	}
	if last := cols[len(cols)-1]; last < NumColumns-1 || m.colOff > ColIP {
		head += st.Dim.Render(fmt.Sprintf("  ‹%d/%d›", int(last), int(NumColumns-1)))
	}
	lines = append(lines, ansi.Truncate(head, width, "…"))

	panel := m.panel(width)
	rowsH := m.rowsHeight()
	for i := m.offset; i < min(m.offset+rowsH, len(m.order)); i++ {
		r := m.order[i]
		pre := "  "
		if i == m.cursor {
			pre = "› "
		}
		mark := "  "
		if m.marked[m.t.Profiles[r].Domain] {
			mark = "✓ "
		}
		line := st.Badge.Render(pre) + st.Badge.Render(mark)
		dom := pad(m.cellView(r, ColDomain, w[ColDomain]), w[ColDomain])
		if i == m.cursor {
			dom = st.Bold.Render(dom)
		}
		line += dom
		for _, c := range cols {
			line += strings.Repeat(" ", colGap) + pad(m.cellView(r, c, w[c]), w[c])
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	lines = append(lines, "")
	lines = append(lines, panel...)
	return strings.Join(lines, "\n")
}

func (m *Matrix) header(c Column, w int) string {
	t := Titles[c]
	if m.sorted && m.sortCol == c {
		if m.desc {
			t += " ▼"
		} else {
			t += " ▲"
		}
	}
	t = pad(ansi.Truncate(t, w, "…"), w)
	if c == m.col {
		return m.st.HeaderSel.Render(t)
	}
	return m.st.Header.Render(t)
}

// panel lists what the marked rows share (or, with no marks, what the
// cursor row shares with the others), then the legend.
func (m *Matrix) panel(width int) []string {
	st := m.st
	var out []string
	label := func(c Column) string { return st.Label.Render(pad(Titles[c], 15)) }
	value := func(c Cell) string {
		txt := sanitize.Line(c.Text)
		if c.Detail != "" {
			txt = sanitize.Line(c.Detail)
		}
		if c.Glyph > 0 {
			return st.Share[(c.Glyph-1)%len(st.Share)].Render(GlyphText(c.Glyph) + " " + txt)
		}
		if c.Glyph == SaysNothing {
			return st.Unique.Render("~ " + txt + " (says nothing: " + c.Why + ")")
		}
		return txt
	}
	marked := m.Marked()
	switch {
	case len(marked) >= 2:
		var names []string
		for _, r := range marked {
			names = append(names, sanitize.Line(m.t.Profiles[r].Domain))
		}
		out = append(out, st.H2.Render(fmt.Sprintf("%d marked rows share", len(marked)))+st.Dim.Render(" ("+strings.Join(names, ", ")+")"))
		sh := m.t.Shared(marked)
		if len(sh) == 0 {
			out = append(out, "  "+st.Dim.Render("nothing: no IP, network, ASN, registrar, name servers, certificate, registration window or e-mail posture in common"))
		}
		for _, s := range sh {
			v := value(s.Cell)
			if s.Col == ColRegistered {
				v = st.Share[(max(s.Cell.Glyph, 1)-1)%len(st.Share)].Render(GlyphText(s.Cell.Glyph)+" ") + sanitize.Line(strings.TrimPrefix(s.Cell.Key, "window:")) + st.Dim.Render(" (registration window)")
			}
			out = append(out, "  "+label(s.Col)+v)
		}
	case len(m.order) > 0:
		r := m.order[m.cursor]
		head := st.H2.Render(sanitize.Line(m.t.Profiles[r].Domain) + " shares")
		if len(marked) == 1 {
			head += st.Dim.Render("  (one row marked; space marks another to compare them)")
		} else {
			head += st.Dim.Render("  (space marks rows to see what exactly they share)")
		}
		out = append(out, head)
		n := 0
		for c := ColIP; c < ColVerdict; c++ {
			for _, cell := range m.t.Cells[r][c] {
				if cell.Glyph <= 0 {
					continue
				}
				var with []string
				for i, row := range m.t.Cells {
					if i != r && slices.ContainsFunc(row[c], func(x Cell) bool { return x.Key == cell.Key }) {
						with = append(with, sanitize.Line(m.t.Profiles[i].Domain))
					}
				}
				out = append(out, "  "+label(c)+value(cell)+st.Dim.Render(" with "+strings.Join(with, ", ")))
				n++
			}
		}
		if n == 0 {
			out = append(out, "  "+st.Dim.Render("nothing with the other rows"))
		}
	}
	out = append(out, st.Dim.Render("same letter and colour = same value in that column · dim = only this row · ~ = shared but says nothing (CDN, mass hosting, stock page or icon)"))
	for i, l := range out {
		out[i] = ansi.Truncate(l, width, "…")
	}
	return out
}
