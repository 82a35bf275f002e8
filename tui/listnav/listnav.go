// Package listnav holds the cursor arithmetic the workbench's scrolling
// lists share (the pivot tree, the clusters list, the comparison matrix,
// the timeline and the changes view), so each keeps only what is its own.
package listnav

import tea "github.com/charmbracelet/bubbletea"

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
