package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// fpItem is one line of the false-positive dialog: a signal or a cluster
// link to mark, or a mark to take back.
type fpItem struct {
	rule   string
	label  string
	marked bool
}

// openFalsePositive lists the node's red and yellow signals and its
// cluster links to mark as false positives, and the marks already made,
// which enter takes back.
func (a *App) openFalsePositive() tea.Cmd {
	n := a.tree.Selected()
	e, node := n.Entity, n.ID
	var items []fpItem
	add := func(rule, label string) {
		if why, done := e.FalsePositives[rule]; done {
			items = append(items, fpItem{rule: rule, marked: true, label: "○ " + label + " — marked: " + sanitizeLine(why) + " (enter takes it back)"})
			return
		}
		items = append(items, fpItem{rule: rule, label: label})
	}
	seen := map[string]bool{}
	if e.Scan != nil {
		for _, s := range e.Scan.Assessment.Signals {
			k := pivot.SignalFalsePositive(s)
			_, marked := e.FalsePositives[k]
			// Green and info signals do not raise a verdict: nothing to mark.
			if (s.Level == recon.LevelGreen || s.Level == recon.LevelInfo || s.Level == recon.LevelNone) && !marked || seen[k] {
				continue
			}
			seen[k] = true
			g := s.Level.Mark()
			if marked {
				g = ""
			}
			add(k, strings.TrimSpace(g+" "+sanitizeLine(string(s.Level))+" ["+sanitizeLine(s.Module)+"] "+sanitizeLine(s.Text)))
		}
	}
	a.ensureClusters()
	in := a.clu.of[e.Key]
	for _, ci := range in {
		if ci < 0 || ci >= len(a.clu.list) {
			continue
		}
		for _, sh := range a.clu.list[ci].Shared {
			k := pivot.ClusterFalsePositive(sh)
			if seen[k] {
				continue
			}
			seen[k] = true
			add(k, "◆"+itoa(ci+1)+" cluster link "+sanitizeLine(sh))
		}
	}
	for _, m := range pivot.ClusterMarksOf(e) {
		if seen[m.Rule] {
			continue
		}
		seen[m.Rule] = true
		what := "cluster link " + sanitizeLine(m.Shared)
		if m.Shared == "" {
			what = "every cluster link (kept out of clusters)"
		}
		add(m.Rule, what)
	}
	if len(in) > 0 && !seen[pivot.FPCluster] {
		add(pivot.FPCluster, "keep "+sanitizeLine(n.Value)+" out of every cluster")
	}
	if len(items) == 0 {
		return a.toastCmd("nothing to mark: this node has no red or yellow signal and no cluster link", false)
	}
	labels := make([]string, len(items))
	for i, it := range items {
		labels[i] = it.label
	}
	p := dialog.NewPicker(a.st, "fp", "False positives of "+sanitizeLine(n.Value), labels).OnPick(func(i int) tea.Cmd {
		it := items[i]
		if it.marked {
			return a.unmarkFalsePositive(node, it.rule)
		}
		a.open(a.newPrompt("fp-why", "Why is it a false positive?", "e.g. shared hosting, known vendor", "").OnDone(func(why string) tea.Cmd {
			return a.markFalsePositive(node, it.rule, why)
		}))
		return nil
	})
	p.Hint = "enter marks (then say why): a signal leaves the verdict, a link the clusters; enter on a ○ mark takes it back"
	a.open(p)
	return nil
}

// markFalsePositive marks rule of node id as a false positive, for why.
func (a *App) markFalsePositive(id, rule, why string) tea.Cmd {
	if why == "" {
		why = "marked by the analyst"
	}
	at := a.o.Now()
	a.s.MarkFalsePositive(id, rule, why, at)
	a.changed()
	return tea.Batch(a.toastCmd("marked as false positive (x again takes it back)", false), a.requestAutosave())
}

// unmarkFalsePositive takes back the mark on rule of node id.
func (a *App) unmarkFalsePositive(id, rule string) tea.Cmd {
	at := a.o.Now()
	a.s.UnmarkFalsePositive(id, rule, at)
	a.changed()
	return tea.Batch(a.toastCmd("false-positive mark taken back", false), a.requestAutosave())
}
