package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// openNotes adds a note to the selected node, or, when it has notes,
// offers to add one or to edit or delete one.
func (a *App) openNotes() tea.Cmd {
	n := a.tree.Selected()
	if len(n.Entity.Notes) == 0 {
		a.openNotePrompt(n, -1)
		return nil
	}
	items := []string{"+ add a note"}
	for _, nt := range n.Entity.Notes {
		items = append(items, nt.At.Format("2006-01-02 15:04")+"  "+sanitizeLine(nt.Text))
	}
	p := dialog.NewPicker(a.st, "notes", "Notes on "+sanitizeLine(n.Value), items).OnPick(func(i int) tea.Cmd {
		a.openNotePrompt(n, i-1)
		return nil
	})
	p.Hint = "enter on a note edits it (an empty text deletes it) · esc closes"
	a.open(p)
	return nil
}

// openNotePrompt asks for the text of note i of node n (-1: a new note);
// an empty text deletes the note.
func (a *App) openNotePrompt(n *pivot.Node, i int) {
	title, val := "Note on "+ansi.Truncate(sanitizeLine(n.Value), 40, "…")+":", ""
	if i >= 0 && i < len(n.Entity.Notes) {
		title = "Edit the note (empty deletes it):"
		val = n.Entity.Notes[i].Text
	}
	id := n.ID
	a.open(a.newPrompt("note", title, "what you found or think", val).OnDone(func(text string) tea.Cmd {
		at := a.o.Now()
		switch {
		case i >= 0 && text == "":
			a.s.EditNote(id, i, "", at)
			a.changed()
			return tea.Batch(a.toastCmd("note deleted", false), a.requestAutosave())
		case i >= 0:
			a.s.EditNote(id, i, text, at)
			a.changed()
			return tea.Batch(a.toastCmd("note changed", false), a.requestAutosave())
		case text != "":
			a.s.AddNote(id, text, at)
			a.changed()
			return tea.Batch(a.toastCmd("note added", false), a.requestAutosave())
		}
		return nil
	}))
}
