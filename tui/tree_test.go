package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/tui/treeview"
)

func rowValues(h *harness) []string {
	var out []string
	for _, r := range h.a.tree.Rows() {
		out = append(out, h.a.s.Node(r.ID).Value)
	}
	return out
}

// TestTreeFilterSortExpand: f filters (keeping the path to each match),
// S sorts children, ] and [ expand and collapse everything.
func TestTreeFilterSortExpand(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.selectValue("nova-tracking.net")
	h.keys("enter")
	all := len(h.a.tree.Rows())

	h.keys("f")
	if h.a.curPicker() == nil || h.a.curPicker().ID != "filter" {
		t.Fatal("f opened no filter picker")
	}
	h.keys("j", "enter") // red and yellow only
	got := rowValues(h)
	for _, v := range got {
		if strings.HasPrefix(v, "185.") || strings.HasPrefix(v, "ns1.") || v == "ab12cd34" || v == "NameCheap, Inc." {
			t.Errorf("filter red/yellow shows %q: %v", v, got)
		}
	}
	if len(got) == 0 || got[0] != "nova-parcels.com" {
		t.Errorf("the path to matches is lost: %v", got)
	}
	if v := h.a.View(); !has(v, "red/yellow · 13 nodes") {
		t.Errorf("the tree does not say it is filtered:\n%s", v)
	}
	h.keys("f", "j", "enter") // unscanned only
	for _, r := range h.a.tree.Rows() {
		n := h.a.s.Node(r.ID)
		if n.Entity.Scan != nil && !r.HasKids {
			t.Errorf("unscanned filter shows scanned leaf %q", n.Value)
		}
	}
	h.keys("f", "k", "k", "enter")
	if len(h.a.tree.Rows()) != all {
		t.Fatalf("all nodes: %d rows, want %d", len(h.a.tree.Rows()), all)
	}

	h.keys("g", "S", "S") // by name
	kids := rowValues(h)[1:5]
	for i := 1; i < len(kids); i++ {
		if strings.ToLower(kids[i-1]) > strings.ToLower(kids[i]) && h.a.tree.Rows()[i].Depth == h.a.tree.Rows()[i+1].Depth {
			t.Errorf("children not sorted by name: %v", kids)
		}
	}
	if !has(h.a.View(), treeview.SortNames[treeview.SortName]) {
		t.Error("the tree does not say how it is sorted")
	}

	h.keys("[")
	if n := len(h.a.tree.Rows()); n != 1 {
		t.Fatalf("collapse all left %d rows", n)
	}
	h.keys("]")
	if n := len(h.a.tree.Rows()); n != h.a.s.Len() {
		t.Fatalf("expand all shows %d rows of %d nodes", n, h.a.s.Len())
	}
}

// TestNotesMarkEditDelete: a node with notes carries ✎; n on it offers to
// edit or delete; an empty text deletes.
func TestNotesMarkEditDelete(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.selectValue("185.220.101.47")
	h.keys("n")
	h.typeText("bulletproof host")
	h.keys("enter")
	if v := h.a.View(); !has(v, treeview.NoteMark) {
		t.Errorf("no note mark in the tree:\n%s", v)
	}
	h.keys("n")
	if h.a.curPicker() == nil || h.a.curPicker().ID != "notes" {
		t.Fatal("n on a node with notes offers no choice")
	}
	h.keys("j", "enter")
	if h.a.curPrompt() == nil || h.a.curPrompt().Input.Value() != "bulletproof host" {
		t.Fatalf("edit prompt not prefilled: %+v", h.a.curPrompt())
	}
	h.typeText(", AS205100")
	h.keys("enter")
	notes := h.selected().Entity.Notes
	if len(notes) != 1 || notes[0].Text != "bulletproof host, AS205100" {
		t.Fatalf("after edit: %+v", notes)
	}
	h.keys("n", "j", "enter")
	h.a.curPrompt().Input.SetValue("")
	h.keys("enter")
	if len(h.selected().Entity.Notes) != 0 {
		t.Fatalf("after delete: %+v", h.selected().Entity.Notes)
	}
	if v := h.a.View(); has(v, treeview.NoteMark) {
		t.Errorf("note mark stays after the last note went:\n%s", v)
	}
}
