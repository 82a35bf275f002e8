package listnav

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func TestWindow(t *testing.T) {
	tests := []struct{ cursor, offset, height, n, want int }{
		{0, 0, 10, 100, 0},
		{9, 0, 10, 100, 0},
		{10, 0, 10, 100, 1},  // one below the window: scroll one
		{50, 0, 10, 100, 41}, // far below: cursor on the last visible row
		{5, 20, 10, 100, 5},  // above the window: cursor on the first row
		{99, 95, 10, 100, 90},
		{3, 7, 10, 5, 0}, // fewer rows than the height
		{0, 0, 10, 0, 0}, // empty list
	}
	for _, tt := range tests {
		if got := Window(tt.cursor, tt.offset, tt.height, tt.n); got != tt.want {
			t.Errorf("Window(%d, %d, %d, %d) = %d, want %d", tt.cursor, tt.offset, tt.height, tt.n, got, tt.want)
		}
	}
}

func TestWheel(t *testing.T) {
	press := func(b tea.MouseButton) tea.MouseMsg {
		return tea.MouseMsg{Action: tea.MouseActionPress, Button: b}
	}
	tests := []struct {
		msg       tea.MouseMsg
		cursor, n int
		want      int
	}{
		{press(tea.MouseButtonWheelDown), 0, 3, 1},
		{press(tea.MouseButtonWheelDown), 2, 3, 2},
		{press(tea.MouseButtonWheelUp), 0, 3, 0},
		{press(tea.MouseButtonWheelUp), 2, 3, 1},
		{press(tea.MouseButtonWheelDown), 0, 0, 0},
		{press(tea.MouseButtonLeft), 1, 3, 1},
		{tea.MouseMsg{Action: tea.MouseActionRelease, Button: tea.MouseButtonWheelDown}, 1, 3, 1},
	}
	for _, tt := range tests {
		if got := Wheel(tt.msg, tt.cursor, tt.n); got != tt.want {
			t.Errorf("Wheel(%v, %d, %d) = %d, want %d", tt.msg, tt.cursor, tt.n, got, tt.want)
		}
	}
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "ctrl+d":
		return tea.KeyMsg{Type: tea.KeyCtrlD}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// TestListUpdate: the keys move the cursor over the rows only, never past
// either end; jump is reported only when there is a row.
func TestListUpdate(t *testing.T) {
	k := NewKeyMap(key.NewBinding(key.WithKeys("enter")))
	tests := []struct {
		name string
		rows []int // nil: every line of 5
		keys []string
		want int // row
		line int
		jump bool
	}{
		{"down over rows", []int{2, 5, 9}, []string{"down", "j"}, 2, 9, false},
		{"down stops at the last row", []int{2, 5, 9}, []string{"j", "j", "j", "j"}, 2, 9, false},
		{"up stops at the first row", []int{2, 5, 9}, []string{"j", "k", "up", "k"}, 0, 2, false},
		{"jump on a row", []int{2, 5, 9}, []string{"j", "enter"}, 1, 5, true},
		{"no rows: no jump", []int{}, []string{"j", "enter"}, 0, -1, false},
		{"every line a row", nil, []string{"j", "j", "j"}, 3, 3, false},
		{"other keys do nothing", nil, []string{"x", "h"}, 0, 0, false},
		{"G and end go to the last row", []int{2, 5, 9}, []string{"G"}, 2, 9, false},
		{"end", nil, []string{"end"}, 4, 4, false},
		{"g and home go to the first row", []int{2, 5, 9}, []string{"G", "g"}, 0, 2, false},
		{"home", nil, []string{"j", "j", "home"}, 0, 0, false},
		// Pages: the window is 3 lines.
		{"pgdown moves a window of lines", nil, []string{"pgdown"}, 3, 3, false},
		{"ctrl+d too, stopping at the end", nil, []string{"ctrl+d", "ctrl+d"}, 4, 4, false},
		{"pgup moves back a window", nil, []string{"end", "pgup"}, 1, 1, false},
		{"ctrl+u stops at the top", nil, []string{"j", "ctrl+u"}, 0, 0, false},
		{"pgdown over rows: the farthest row within a window", []int{0, 1, 3, 4, 8}, []string{"pgdown"}, 2, 3, false},
		{"pgdown: at least one row past a tall heading", []int{0, 8, 9}, []string{"pgdown"}, 1, 8, false},
		{"pgup over rows", []int{0, 1, 3, 4, 8}, []string{"end", "pgup"}, 3, 4, false},
		{"pgup: at least one row", []int{0, 8, 9}, []string{"j", "pgup"}, 0, 0, false},
		{"pages with no rows", []int{}, []string{"pgdown", "pgup", "end"}, 0, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l List
			if tt.rows == nil {
				l.SetLines(5)
			} else {
				l.SetRows(tt.rows, 12)
			}
			l.SetHeight(3)
			jump := false
			for _, s := range tt.keys {
				jump = l.Update(keyMsg(s), k)
			}
			if l.Cursor() != tt.want || l.Line() != tt.line || jump != tt.jump {
				t.Errorf("row %d line %d jump %v, want row %d line %d jump %v", l.Cursor(), l.Line(), jump, tt.want, tt.line, tt.jump)
			}
		})
	}
}

// TestNewKeyMapLeavesJumpKeys: a key the jump takes (g in the clusters
// pane: go to the node) is not also a move; the others are the tree's.
func TestNewKeyMapLeavesJumpKeys(t *testing.T) {
	tests := []struct {
		jump             []string
		top, bottom      []string
		topHelp, botHelp string
	}{
		{[]string{"enter"}, []string{"g", "home"}, []string{"G", "end"}, "g", "G"},
		{[]string{"enter", "g"}, []string{"home"}, []string{"G", "end"}, "home", "G"},
	}
	for _, tt := range tests {
		k := NewKeyMap(key.NewBinding(key.WithKeys(tt.jump...)))
		if !slices.Equal(k.Top.Keys(), tt.top) || !slices.Equal(k.Bottom.Keys(), tt.bottom) ||
			k.Top.Help().Key != tt.topHelp || k.Bottom.Help().Key != tt.botHelp {
			t.Errorf("jump %v: top %v (%q) bottom %v (%q), want %v (%q) %v (%q)", tt.jump,
				k.Top.Keys(), k.Top.Help().Key, k.Bottom.Keys(), k.Bottom.Help().Key, tt.top, tt.topHelp, tt.bottom, tt.botHelp)
		}
		var l List
		l.SetLines(5)
		l.SetCursor(3)
		if jump := l.Update(keyMsg("g"), k); slices.Contains(tt.jump, "g") && (!jump || l.Cursor() != 3) {
			t.Errorf("jump %v: g moved to %d (jump %v), want the jump", tt.jump, l.Cursor(), jump)
		}
	}
}

// TestListScroll: Follow moves the window just enough, Head starts it at a heading when the
// cursor then shows, SetOffset stays within the list.
func TestListScroll(t *testing.T) {
	rows := []int{3, 4, 12, 13, 30}
	l := List{}
	l.SetRows(rows, 40)
	l.SetHeight(5)
	l.Follow()
	if l.Offset() != 0 {
		t.Errorf("start: offset %d", l.Offset())
	}
	l.SetCursor(2) // line 12
	l.Follow()
	if l.Offset() != 8 {
		t.Errorf("down to 12: offset %d, want 8 (cursor on the last line)", l.Offset())
	}
	l.SetCursor(1) // line 4
	l.Follow()
	if l.Offset() != 4 {
		t.Errorf("up to 4: offset %d, want 4 (cursor on the first line)", l.Offset())
	}
	l.SetCursor(3) // line 13, heading at 10
	l.Head(10)
	if l.Offset() != 10 {
		t.Errorf("head 10 for line 13: offset %d, want 10", l.Offset())
	}
	l.Head(2) // too far above: the cursor wins
	if l.Offset() != 10 {
		t.Errorf("head 2 for line 13 (window 5): offset %d, want 10", l.Offset())
	}
	l.SetCursor(4) // line 30
	l.Head(28)
	if l.Offset() != 28 {
		t.Errorf("head 28 for line 30: offset %d, want 28", l.Offset())
	}
	for _, tt := range []struct{ set, want int }{{-5, 0}, {12, 12}, {50, 35}} {
		if l.SetOffset(tt.set); l.Offset() != tt.want {
			t.Errorf("SetOffset(%d): offset %d, want %d", tt.set, l.Offset(), tt.want)
		}
	}
}

// TestRowAndDraw: every line is exactly the width; the cursor's line has
// the pointer, loses its own colours and takes the cursor style; lines
// below the list are blank.
func TestRowAndDraw(t *testing.T) {
	sel := lipgloss.NewStyle().Reverse(true)
	lipgloss.SetColorProfile(termenv.ANSI)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
	red := lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Render
	tests := []struct {
		text          string
		gutter, width int
		cursor        bool
		plain         string
	}{
		{"abc", 1, 8, false, " abc    "},
		{"abc", 2, 8, true, "› abc   "},
		{"abcdefghij", 1, 8, false, " abcde… "},
		{red("abcdefghij"), 2, 8, true, "› abcd… "},
	}
	for _, tt := range tests {
		got := Row(tt.text, tt.gutter, tt.width, tt.cursor, sel)
		if ansi.Strip(got) != tt.plain || ansi.StringWidth(got) != tt.width {
			t.Errorf("Row(%q, %d, %d, %v) = %q, want %q", tt.text, tt.gutter, tt.width, tt.cursor, ansi.Strip(got), tt.plain)
		}
		if tt.cursor && (got != sel.Render(tt.plain) || strings.Contains(got, red("a"))) {
			t.Errorf("cursor line %q is not the plain line in the cursor style", got)
		}
	}
	var l List
	l.SetRows([]int{1}, 2)
	l.SetHeight(3)
	var b strings.Builder
	l.Draw(&b, 4, func(li int, cur bool) string { return Row(fmt.Sprint(li), 1, 4, cur, lipgloss.NewStyle()) })
	if got, want := b.String(), "\n 0  \n›1  \n    "; got != want {
		t.Errorf("Draw = %q, want %q", got, want)
	}
}
