// Package listnav holds the cursor list the workbench's scrolling lists
// share: the scroll window and the mouse wheel (the pivot tree, the
// clusters list, the comparison matrix, the timeline and the changes
// view), and for the lists whose rows are some of their lines (the
// clusters list, the changes view, the timeline) the whole cursor: the
// up/down/jump keys and the drawing of the selected line (the clusters
// list adds page keys: PageKeys, SetOffset).
// Each list keeps only what is its own: its lines and what a jump means.
package listnav

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Pointer marks the cursor's line in the gutter.
const Pointer = "›"

// Window returns the first visible row of a list of n rows shown height
// rows at a time, moved from offset just enough to keep cursor in view.
func Window(cursor, offset, height, n int) int {
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+height {
		offset = cursor - height + 1
	}
	return max(min(offset, n-height), 0)
}

// Wheel returns the cursor moved one row by a mouse-wheel press, kept
// within n rows; any other mouse event leaves it where it is.
func Wheel(msg tea.MouseMsg, cursor, n int) int {
	if msg.Action != tea.MouseActionPress {
		return cursor
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return max(cursor-1, 0)
	case tea.MouseButtonWheelDown:
		return min(cursor+1, max(n-1, 0))
	}
	return cursor
}

// KeyMap are the keys of a cursor list. A zero binding is no key.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Jump key.Binding
}

// NewKeyMap returns the pivot tree's moves — ↑/k up, ↓/j down,
// pgup/ctrl+u and pgdown/ctrl+d a page, g/home top, G/end bottom — with
// jump. A key jump takes is left out of the moves: in the clusters pane
// g goes to the node, so its lists' top is home alone.
func NewKeyMap(jump key.Binding) KeyMap {
	pgUp, pgDown := PageKeys()
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   pgUp,
		PageDown: pgDown,
		Top:      without(jump, []string{"g", "home"}, "top"),
		Bottom:   without(jump, []string{"G", "end"}, "bottom"),
		Jump:     jump,
	}
}

// without returns a binding of those of keys that jump does not take, its
// help key the first of them; none left: no binding.
func without(jump key.Binding, keys []string, desc string) key.Binding {
	var left []string
	for _, k := range keys {
		if !slices.Contains(jump.Keys(), k) {
			left = append(left, k)
		}
	}
	if len(left) == 0 {
		return key.Binding{}
	}
	return key.NewBinding(key.WithKeys(left...), key.WithHelp(left[0], desc))
}

// PageKeys returns pgup/ctrl+u and pgdown/ctrl+d, the tree's page keys,
// for a list whose lines are not all rows (it scrolls with SetOffset).
func PageKeys() (up, down key.Binding) {
	return key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down"))
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.PageDown, k.Jump} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Jump}}
}

// List is a cursor over the rows of a list of lines shown height lines at
// a time. Rows are the lines the cursor can stand on: every line, or the
// ones given to SetRows (a heading or an explanation between them is a
// line but no row). The zero List is empty.
type List struct {
	rows   []int // line of each row, ascending; nil with all: every line
	all    bool
	lines  int // how many lines
	cursor int // into the rows
	offset int // the first line shown
	height int
}

// SetRows sets a list of lines lines whose rows are the given lines
// (ascending); the cursor stays on the same row number, within the rows.
func (l *List) SetRows(rows []int, lines int) {
	l.rows, l.all, l.lines = rows, false, lines
	l.cursor = min(l.cursor, max(l.Len()-1, 0))
}

// SetLines sets a list of n lines, each a row; the cursor stays on the
// same row number, within the rows.
func (l *List) SetLines(n int) {
	l.rows, l.all, l.lines = nil, true, n
	l.cursor = min(l.cursor, max(n-1, 0))
}

// SetHeight sets how many lines are shown at a time.
func (l *List) SetHeight(h int) { l.height = h }

// Height returns how many lines are shown at a time.
func (l *List) Height() int { return l.height }

// Len returns the number of rows.
func (l *List) Len() int {
	if l.all {
		return l.lines
	}
	return len(l.rows)
}

// Cursor returns the row under the cursor (0 when there is none).
func (l *List) Cursor() int { return l.cursor }

// SetCursor puts the cursor on row i, kept within the rows.
func (l *List) SetCursor(i int) { l.cursor = max(min(i, l.Len()-1), 0) }

// Offset returns the first line shown.
func (l *List) Offset() int { return l.offset }

// SetOffset sets the first line shown (kept within the list).
func (l *List) SetOffset(o int) { l.offset = max(min(o, l.lines-l.height), 0) }

// Line returns the line of the cursor's row, or -1 when there are no rows.
func (l *List) Line() int { return l.LineOf(l.cursor) }

// LineOf returns the line of row i, or -1 when there is no such row.
func (l *List) LineOf(i int) int {
	if i < 0 || i >= l.Len() {
		return -1
	}
	if l.all {
		return i
	}
	return l.rows[i]
}

// Update moves the cursor for k's moves (up, down, a page, top, bottom)
// and the mouse wheel; it reports whether k's jump key was pressed on a
// row. It does not scroll: the list calls Follow (or its own scrolling)
// after.
func (l *List) Update(msg tea.Msg, k KeyMap) (jump bool) {
	n := l.Len()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Jump):
			return n > 0
		case key.Matches(msg, k.Up):
			l.cursor = max(l.cursor-1, 0)
		case key.Matches(msg, k.Down):
			l.cursor = min(l.cursor+1, max(n-1, 0))
		case key.Matches(msg, k.PageUp):
			l.page(-1)
		case key.Matches(msg, k.PageDown):
			l.page(1)
		case key.Matches(msg, k.Top):
			l.cursor = 0
		case key.Matches(msg, k.Bottom):
			l.cursor = max(n-1, 0)
		}
	case tea.MouseMsg:
		l.cursor = Wheel(msg, l.cursor, n)
	}
	return false
}

// page moves the cursor a window's height of lines up (dir -1) or down
// (1): to the farthest row within that many lines, and at least one row
// (a heading taller than the window does not stop it).
func (l *List) page(dir int) {
	n := l.Len()
	if n == 0 {
		return
	}
	h := max(l.height, 1)
	target := l.Line() + dir*h
	c := l.cursor + dir
	for next := c + dir; next >= 0 && next < n && (l.LineOf(next)-target)*dir <= 0; next += dir {
		c = next
	}
	l.cursor = max(min(c, n-1), 0)
}

// Follow scrolls just enough to show the cursor's line.
func (l *List) Follow() {
	cur := l.Line()
	if cur < 0 || l.height <= 0 {
		l.offset = 0
		return
	}
	l.offset = Window(cur, l.offset, l.height, l.lines)
}

// Head scrolls so that the window starts at line first (a heading over the
// cursor's row) when the cursor's line is then shown; otherwise just
// enough to show the cursor's line.
func (l *List) Head(first int) {
	cur := l.Line()
	if cur < 0 || l.height <= 0 {
		l.offset = 0
		return
	}
	if first <= cur && cur < first+l.height {
		l.offset = first
	}
	l.offset = Window(cur, l.offset, l.height, l.lines)
}

// Draw writes the window: for each of its height lines a newline, then
// draw(line, cursor) for a line of the list, where cursor says it is the
// cursor's, or width blanks below the last line.
func (l *List) Draw(b *strings.Builder, width int, draw func(line int, cursor bool) string) {
	cur := l.Line()
	for i := range l.height {
		b.WriteByte('\n')
		li := l.offset + i
		if li >= l.lines {
			b.WriteString(strings.Repeat(" ", max(width, 0)))
			continue
		}
		b.WriteString(draw(li, li == cur))
	}
}

// Gutter returns the gutter of a line, w cells: the Pointer on the
// cursor's line, blanks elsewhere.
func Gutter(cursor bool, w int) string {
	if cursor && w > 0 {
		return Pointer + strings.Repeat(" ", w-1)
	}
	return strings.Repeat(" ", max(w, 0))
}

// Row draws one line of a list exactly width cells wide: a gutter of
// gutter cells, then text cut with "…" so that one cell stays free at the
// right, then blanks. The cursor's line is drawn without its own colours,
// in style sel across the whole width.
func Row(text string, gutter, width int, cursor bool, sel lipgloss.Style) string {
	text = Gutter(cursor, gutter) + ansi.Truncate(text, max(width-gutter-1, 0), "…")
	if cursor {
		text = ansi.Strip(text)
	}
	text += strings.Repeat(" ", max(width-ansi.StringWidth(text), 0))
	if cursor {
		return sel.Render(text)
	}
	return text
}
