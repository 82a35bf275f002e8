package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/changes"
	"github.com/netspecter/netspecter-tui/tui/dialog"
	"github.com/netspecter/netspecter-tui/tui/treeview"
)

// helpSection is one titled group of the full help: key bindings, or
// free-form entries (mouse, legend).
type helpSection struct {
	title   string
	entries [][2]string // key, what it does
}

func section(title string, bs ...key.Binding) helpSection {
	s := helpSection{title: title}
	for _, b := range bs {
		h := b.Help()
		if h.Key == "" {
			continue
		}
		s.entries = append(s.entries, [2]string{h.Key, h.Desc})
	}
	return s
}

// globalSection is the section of the full help titled title: the
// table's global keys of that section (their Long text when they have
// one), between the panes' keys before and after them.
func (a *App) globalSection(title string, before []key.Binding, after ...key.Binding) helpSection {
	s := section(title, before...)
	for _, b := range a.keys.rows {
		if b.Section != title || b.Keys.Help().Key == "" {
			continue
		}
		desc := b.Keys.Help().Desc
		if b.Long != "" {
			desc = b.Long
		}
		s.entries = append(s.entries, [2]string{b.Keys.Help().Key, desc})
	}
	s.entries = append(s.entries, section("", after...).entries...)
	return s
}

// helpSections lists every key of the workbench, the mouse and the legend
// of the marks: the global keys from the table (bindings), the panes'
// from their key maps, so that it stays true.
func (a *App) helpSections() []helpSection {
	t, d := a.tree.Keys, a.detail.Keys
	mk, tk := a.clus.Matrix().Keys, a.clus.Timeline().Keys
	ck, gk := a.clus.Keys, a.clus.Changes().Keys
	out := []helpSection{
		a.globalSection(secTree, []key.Binding{t.Up, t.Down, t.Top, t.Bottom, t.PageUp, t.PageDown, t.Expand, t.Collapse, t.Toggle, t.ExpandAll, t.CollapseAll, t.Sort}),
		a.globalSection(secScans, nil),
		a.globalSection(secFind, nil),
		a.globalSection(secPanes, nil, ck.NextTab, ck.Clusters, ck.Matrix, ck.Timeline, ck.Changes, ck.Close),
		section("Detail pane (tab)", d.Up, d.Down, d.PageUp, d.PageDown, d.Top, d.Bottom, d.Jump, d.Back),
		a.globalSection(secNotes, nil),
		a.globalSection(secSession, nil),
		section("Clusters list", ck.Up, ck.Down, ck.PageUp, ck.PageDown, ck.Top, ck.Bottom, ck.Jump),
		section("Comparison matrix (c 2)", mk.Up, mk.Down, mk.PageUp, mk.PageDown, mk.Top, mk.Bottom, mk.Left, mk.Right, mk.Sort, mk.Mark, mk.Jump),
		section("Timeline (t)", tk.Up, tk.Down, tk.PageUp, tk.PageDown, tk.Top, tk.Bottom, tk.Jump),
		section("Changes view (c 4, after R)", gk.Up, gk.Down, gk.PageUp, gk.PageDown, gk.Top, gk.Bottom, gk.Jump),
		{title: "Mouse", entries: [][2]string{{"wheel", "scroll the pane under the pointer; in a dialog, its list"}, {"click", "select a row; focus its pane"}}},
	}
	leg := helpSection{title: "Legend"}
	for _, l := range []recon.Level{recon.LevelRed, recon.LevelYellow, recon.LevelGreen} {
		leg.entries = append(leg.entries, [2]string{l.Mark(), string(l) + " verdict (shapes differ, not only colours)"})
	}
	leg.entries = append(leg.entries,
		[2]string{"○", "marked false positive (x)"},
		[2]string{"◆n", "member of cluster n (◆n+: of several)"},
		[2]string{"✎", "the node has notes (n)"},
		[2]string{changes.KindChanged.Glyph(), "changed by the last rescan (R): facts or verdict"},
		[2]string{changes.KindNew.Glyph(), "new: found by the last rescan"},
		[2]string{changes.KindGone.Glyph(), "gone: the last rescan no longer finds it there"},
		[2]string{"queued", "waiting for a scan slot"},
		[2]string{"✗ failed", "the scan could not run (r retries)"},
		[2]string{"▸ ▾", "collapsed / expanded node"},
		[2]string{"»", "the pane that has the keyboard (tab)"},
	)
	tags := helpSection{title: "Kinds"}
	for _, kd := range recon.PivotKinds {
		tags.entries = append(tags.entries, [2]string{strings.TrimSpace(treeview.Tag(kd)), kindName(kd)})
	}
	return append(out, leg, tags)
}

// helpLines lays the sections out for a box text columns wide: in two
// columns of sections when they fit, else one.
func (a *App) helpLines(text int) []string {
	secs := a.helpSections()
	render := func(s helpSection, w int) []string {
		kw := 0
		for _, e := range s.entries {
			kw = max(kw, ansi.StringWidth(e[0]))
		}
		kw = min(kw, 12)
		lines := []string{a.st.H2.Render(s.title)}
		for _, e := range s.entries {
			k := e[0]
			pad := strings.Repeat(" ", max(kw-ansi.StringWidth(k), 0))
			lines = append(lines, wrapEntry(a.st.BarKey.UnsetBackground().Render(k)+pad+"  ", kw+2, e[1], w)...)
		}
		return append(lines, "")
	}
	const colMin = 34
	if text < 2*colMin+2 {
		var out []string
		for _, s := range secs {
			out = append(out, render(s, text)...)
		}
		return out
	}
	cw := (text - 2) / 2
	var out []string
	for i := 0; i < len(secs); i += 2 {
		l := render(secs[i], cw)
		var r []string
		if i+1 < len(secs) {
			r = render(secs[i+1], cw)
		}
		for j := 0; j < max(len(l), len(r)); j++ {
			var ls, rs string
			if j < len(l) {
				ls = l[j]
			}
			if j < len(r) {
				rs = r[j]
			}
			out = append(out, ls+strings.Repeat(" ", max(cw-ansi.StringWidth(ls), 0))+"  "+rs)
		}
	}
	return out
}

// wrapEntry writes desc after head (ind cells wide), wrapped at words
// within width, continuation lines indented under the description.
func wrapEntry(head string, ind int, desc string, width int) []string {
	ws := dialog.WrapWords(desc, max(width-ind, 8))
	out := []string{head + ws[0]}
	for _, w := range ws[1:] {
		out = append(out, strings.Repeat(" ", ind)+w)
	}
	return out
}

// openHelp opens the full help: every key, the mouse and the legend.
func (a *App) openHelp() {
	p := dialog.NewInfo(a.st, "help", "Keys and legend", nil)
	p.Layout = a.helpLines
	p.Hint = "j/k scroll · space/pgdn page · esc or ? closes"
	a.open(p)
}
