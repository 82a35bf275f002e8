package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// searchState is the search under way (/): the text, the nodes that match
// it and which of them n/N last went to.
type searchState struct {
	query   string
	matches []string
	idx     int
}

// search selects the first node matching q and keeps q for n and N.
func (a *App) search(q string) tea.Cmd {
	a.find.query = q
	a.find.matches = a.tree.Find(q)
	a.find.idx = 0
	if q == "" {
		return nil
	}
	if len(a.find.matches) == 0 {
		a.find.query = ""
		return a.toastCmd("no node matches "+sanitizeLine(q), true)
	}
	a.tree.Select(a.find.matches[0])
	a.setFocus(focusTree)
	return nil
}

func (a *App) stepMatch(d int) tea.Cmd {
	// The tree may have grown since the search: look again.
	a.find.matches = a.tree.Find(a.find.query)
	if len(a.find.matches) == 0 {
		return a.toastCmd("no node matches "+sanitizeLine(a.find.query), true)
	}
	cur := a.tree.SelectedID()
	idx := -1
	for i, m := range a.find.matches {
		if m == cur {
			idx = i
		}
	}
	if idx < 0 {
		idx = 0
		if d < 0 {
			idx = len(a.find.matches) - 1
		}
	} else {
		idx = (idx + d + len(a.find.matches)) % len(a.find.matches)
	}
	a.find.idx = idx
	a.tree.Select(a.find.matches[idx])
	return nil
}
