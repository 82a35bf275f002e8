package listnav

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
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
