package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// tooSmall reports whether the terminal is below MinWidth x MinHeight.
func (a *App) tooSmall() bool { return a.size.width < MinWidth || a.size.height < MinHeight }

// tooSmallView says the terminal is too small, in words wrapped to fit it
// (cut at the bottom when even that does not fit).
func (a *App) tooSmallView() string {
	w := max(a.size.width-2, 4)
	lines := []string{a.st.DialogTitle.Render(ansi.Truncate("Terminal too small", w, "…"))}
	for _, l := range dialog.WrapWords("netspecter needs at least "+itoa(MinWidth)+"×"+itoa(MinHeight)+"; this one is "+
		itoa(a.size.width)+"×"+itoa(a.size.height)+". Enlarge it, or q to quit.", w) {
		lines = append(lines, a.st.Dim.Render(l))
	}
	if len(lines) > a.size.height {
		lines = lines[:max(a.size.height, 1)]
	}
	return dialog.Center(a.size.width, a.size.height, strings.Join(lines, "\n"))
}

// layout shares a w x h terminal between the panes.
func (a *App) layout(w, h int) {
	a.size.width, a.size.height = w, h
	a.help.Width = w
	a.bar.SetSize(w)
	a.size.paneH = max(h-2, 1)
	// Two fifths of the screen (at least 30 cells), so that a wide terminal
	// gives the tree room for long names too.
	a.size.treeW = min(max(w*2/5, 30), 110)
	if a.size.treeW > w-20 {
		a.size.treeW = max(w/2, 1)
	}
	dw := max(w-a.size.treeW-1, 1)
	a.tree.SetSize(a.size.treeW, a.size.paneH)
	a.detail.SetSize(dw, a.size.paneH)
	a.clus.SetSize(dw, w, a.size.paneH)
}

// View renders the panes, the status bar and the footer.
func (a *App) View() string {
	if a.size.width == 0 {
		return "loading…"
	}
	if a.tooSmall() {
		return a.tooSmallView()
	}
	var b strings.Builder
	b.Grow(a.size.width * a.size.height * 3)
	var box string
	if a.overlay != nil {
		box = a.overlay.View(a.size.width, a.size.paneH)
	}
	switch {
	case box != "":
		b.WriteString(dialog.Center(a.size.width, a.size.paneH, box))
	case len(a.s.Roots()) == 0:
		b.WriteString(dialog.Center(a.size.width, a.size.paneH, a.st.Dialog.Render(
			a.st.DialogTitle.Render("netspecter")+"\n\n"+a.st.Dim.Render("No targets yet. Press + to investigate a domain, IP or e-mail address."))))
	case a.showClusters && a.clus.Wide():
		b.WriteString(a.clus.View())
	default:
		left := a.tree.View()
		var right string
		if a.showClusters {
			right = a.clus.View()
		} else {
			right = a.detail.View()
		}
		sep := a.st.Separator.Render("│")
		li, ri := 0, 0
		for row := 0; row < a.size.paneH; row++ {
			if row > 0 {
				b.WriteByte('\n')
			}
			var l, r string
			l, li = nextLine(left, li)
			r, ri = nextLine(right, ri)
			b.WriteString(l)
			b.WriteString(sep)
			b.WriteString(r)
		}
	}
	b.WriteByte('\n')
	b.WriteString(a.bar.View())
	b.WriteByte('\n')
	b.WriteString(a.footer())
	return b.String()
}

// nextLine returns the line of s starting at i and the start of the next.
func nextLine(s string, i int) (string, int) {
	if i >= len(s) {
		return "", i
	}
	j := strings.IndexByte(s[i:], '\n')
	if j < 0 {
		return s[i:], len(s)
	}
	return s[i : i+j], i + j + 1
}

// helpKeys is the footer's key help for the focused pane and the search.
func (a *App) helpKeys() helpKeys {
	h := helpKeys{table: a.keys.rows, searching: a.find.query != ""}
	switch a.focus {
	case focusTree:
		h.pane = a.tree.Keys
	case focusDetail:
		h.pane = a.detail.Keys
		h.paneShort = true
	case focusClusters:
		h.pane = a.clus.Help()
		h.paneShort = true
	}
	return h
}

// footer is the last line: the open dialog's (a question or a prompt
// over any toast), else the toast, else the dialog's key hint, else the
// workbench's keys.
func (a *App) footer() string {
	if a.overlay != nil {
		line, over := a.overlay.Footer(a.size.width)
		if over || a.toast.text == "" {
			return line
		}
	}
	if a.toast.text != "" {
		return a.bar.ToastView()
	}
	h := " " + a.help.View(a.helpKeys())
	if a.find.query != "" {
		h = a.st.Hint.Render(" /"+ansi.Truncate(sanitizeLine(a.find.query), 20, "…")+" "+itoa(a.find.idx+1)+"/"+itoa(len(a.find.matches))) + h
	}
	return ansi.Truncate(h, a.size.width, "…")
}
