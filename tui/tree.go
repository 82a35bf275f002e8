package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/dialog"
	"github.com/netspecter/netspecter-tui/tui/treeview"
)

// openFilter offers the tree's filters (f).
func (a *App) openFilter() tea.Cmd {
	names := make([]string, len(treeview.FilterNames))
	for i, f := range treeview.FilterNames {
		names[i] = f
		if treeview.Filter(i) == a.tree.Filter() {
			names[i] += "  (now)"
		}
	}
	p := dialog.NewPicker(a.st, "filter", "Show in the tree", names).OnPick(func(i int) tea.Cmd {
		a.tree.SetFilter(treeview.Filter(i))
		if len(a.tree.Rows()) == 0 {
			a.tree.SetFilter(treeview.FilterAll)
			return a.toastCmd("no node is "+treeview.FilterNames[i]+"; showing all", true)
		}
		return nil
	})
	p.Cursor = int(a.tree.Filter())
	p.Hint = "the path to each shown node stays; f again changes it"
	a.open(p)
	return nil
}

// jumpTo selects the first node of entity k.
func (a *App) jumpTo(k pivot.EntityKey) {
	ids := a.s.NodesOfMember(k)
	if len(ids) == 0 {
		return
	}
	a.tree.Select(ids[0])
	a.showClusters = false
	a.setFocus(focusTree)
}
