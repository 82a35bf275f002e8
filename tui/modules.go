package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// openModules offers the modules that apply to the selected node (m); the
// ones that did not end ok last time are checked.
func (a *App) openModules() tea.Cmd {
	n := a.tree.Selected() // the table's guard (idle): scannable, not being scanned
	t, err := n.Target()
	if err != nil {
		return a.toastCmd(sanitizeLine(err.Error()), true)
	}
	e := n.Entity
	ids := a.o.ModulesFor(t.Kind)
	if len(ids) == 0 {
		return a.toastCmd("no module applies to a "+string(t.Kind), true)
	}
	items := make([]string, len(ids))
	checked := make([]bool, len(ids))
	for i, id := range ids {
		state := "not run"
		if m := e.Scan.Module(id); m != nil {
			state = string(m.Status)
			if m.Err != "" {
				state += ": " + sanitizeLine(m.Err)
			}
			checked[i] = m.Status == recon.StatusError || m.Status == recon.StatusRateLimited
		} else if e.Scan != nil {
			checked[i] = true
		}
		items[i] = fmt.Sprintf("%-10s  %s", id, state)
	}
	node := n.ID
	c := dialog.NewChecklist(a.st, "modules", "Run modules on "+sanitizeLine(n.Value), items, checked).OnDone(func(sel []int) tea.Cmd {
		var run []string
		for _, i := range sel {
			run = append(run, ids[i])
		}
		return a.runModules(node, run)
	})
	c.Hint = "space toggles · a all · enter runs the checked modules and merges their results · esc cancels"
	c.KeysHint = "space toggle · a all · enter run · esc cancel"
	a.open(c)
	return nil
}
