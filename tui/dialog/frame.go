package dialog

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

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

// Center places box in the middle of a width x height area; a box larger
// than the area is cut to it.
func Center(width, height int, box string) string {
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
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
		foot = 1 + len(WrapWords(hint, text))
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
		for _, h := range WrapWords(hint, text) {
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

// wrapStyled is WrapWords with each line rendered in st.
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
