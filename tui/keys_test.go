package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
)

// TestEveryKeyInTheTable: each binding of KeyMap has exactly one row in
// the table that dispatches it and feeds the help, with a section.
func TestEveryKeyInTheTable(t *testing.T) {
	k := DefaultKeyMap()
	rows := bindings(k)
	v := reflect.ValueOf(k)
	for i := range v.NumField() {
		b := v.Field(i).Interface().(key.Binding)
		n := 0
		for _, r := range rows {
			if reflect.DeepEqual(r.Keys.Keys(), b.Keys()) && r.Keys.Help() == b.Help() {
				n++
				if r.Section == "" || r.Run == nil {
					t.Errorf("%s: row without section or run", v.Type().Field(i).Name)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s is in the table %d times", v.Type().Field(i).Name, n)
		}
	}
}

// TestKeyGuards: a guard lets a key fall through (n is a note unless a
// search is under way), or refuses it with its reason as an error toast.
func TestKeyGuards(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(h *harness)
		keys  []string
		check func(h *harness) string // "" when right
	}{
		{"n without a search adds a note", nil, []string{"n"}, func(h *harness) string {
			if p := h.a.curPrompt(); p == nil || p.ID != "note" {
				return "no note prompt"
			}
			return ""
		}},
		{"n during a search steps to the next match", func(h *harness) {
			h.keys("/")
			h.typeText("nova")
			h.keys("enter")
		}, []string{"n"}, func(h *harness) string {
			if h.a.overlay != nil || h.a.find.idx != 1 {
				return "n did not step: match " + itoa(h.a.find.idx)
			}
			return ""
		}},
		{"m on a registrar is refused", func(h *harness) { h.selectValue("NameCheap, Inc.") }, []string{"m"}, func(h *harness) string {
			if h.a.overlay != nil || !h.a.toast.err || !has(h.a.toast.text, "a registrar is not scanned") {
				return "toast " + h.a.toast.text
			}
			return ""
		}},
		{"m while the node is being scanned is refused", func(h *harness) {
			id := h.a.tree.SelectedID()
			h.a.s.SetState(id, pivot.StateRunning, "")
			h.a.changed()
		}, []string{"m"}, func(h *harness) string {
			if h.a.overlay != nil || !h.a.toast.err || !has(h.a.toast.text, "is already being scanned") {
				return "toast " + h.a.toast.text
			}
			return ""
		}},
		{"e without an exporter is refused", nil, []string{"e"}, func(h *harness) string {
			if h.a.overlay != nil || !has(h.a.toast.text, "export not available") {
				return "toast " + h.a.toast.text
			}
			return ""
		}},
		{"q works while the clusters pane has the keys", nil, []string{"c", "q"}, func(h *harness) string {
			if !h.quit {
				return "did not quit"
			}
			return ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Target: "nova-parcels.com"})
			if tc.setup != nil {
				tc.setup(h)
			}
			h.keys(tc.keys...)
			if why := tc.check(h); why != "" {
				t.Error(why)
			}
		})
	}
}

// TestOverlayPrecedence: whatever dialog is open takes the keys, draws
// over the panes unless it lives in the footer, and its footer gives way
// to a toast unless it is a question or a prompt on one line.
func TestOverlayPrecedence(t *testing.T) {
	for _, tc := range []struct {
		name      string
		keys      []string
		box       string // in the frame ("" none: the panes show)
		footer    string
		overToast bool
	}{
		{"picker", []string{"f"}, "Show in the tree", "enter accept", false},
		{"checklist", []string{"m"}, "Run modules on", "enter run", false},
		{"help", []string{"?"}, "Keys and legend", "", false},
		{"line prompt", []string{"/"}, "", "/ ", true},
		{"boxed prompt", []string{"+"}, "Investigate a domain", "enter accept", false},
		{"question", []string{"q"}, "", "1 scan running. Quit anyway? y/n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Target: "nova-parcels.com"})
			if tc.name == "question" {
				h.a.sched.running = 1 // q asks first
			}
			h.keys(tc.keys...)
			if h.a.overlay == nil {
				t.Fatal("no dialog open")
			}
			v := h.a.View()
			if tc.box != "" && !has(v, tc.box) {
				t.Errorf("box %q not drawn:\n%s", tc.box, v)
			}
			if tc.box == "" && !has(v, "DOMAIN") {
				t.Errorf("panes hidden by a footer dialog:\n%s", v)
			}
			if f := h.a.footer(); !has(f, tc.footer) {
				t.Errorf("footer %q, want %q", f, tc.footer)
			}
			h.a.toastCmd("a toast", false)
			h.a.sync()
			if got := has(h.a.footer(), "a toast"); got == tc.overToast {
				t.Errorf("toast shown %v, want dialog over it %v: %q", got, tc.overToast, h.a.footer())
			}
			// The mouse goes to the panes only when the dialog is in the footer.
			before := h.a.focus
			h.send(tea.MouseMsg{X: 100, Y: 3, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
			if moved := h.a.focus != before; moved != (tc.box == "") {
				t.Errorf("click reached the panes %v", moved)
			}
			if h.a.overlay == nil {
				t.Error("the click closed the dialog")
			}
			if strings.Contains(tc.name, "prompt") {
				h.keys("esc")
				if h.a.overlay != nil {
					t.Error("esc did not close the prompt")
				}
			}
		})
	}
}

// TestAppFieldCount: the root model stays small; state of one concern
// goes into a group of its own (scheduler, clusterCache, searchState …).
func TestAppFieldCount(t *testing.T) {
	const most = 30
	if n := reflect.TypeOf(App{}).NumField(); n > most {
		t.Errorf("App has %d fields, at most %d: group the new state by concern", n, most)
	}
}

// TestCtrlCQuitsFromADialog: ctrl+c quits (README: q, ctrl+c) with any
// dialog open, as esc would leave the dialog first; while scans run it
// asks first, and n leaves the workbench as it was, the dialog closed.
func TestCtrlCQuitsFromADialog(t *testing.T) {
	for _, open := range []string{"?", "/", "n", "x", "m", "f", "+", "w", "p", "o", "s"} {
		h := newHarness(t, Options{Target: "nova-parcels.com"})
		h.keys(open)
		if h.a.overlay == nil {
			t.Fatalf("%s opened no dialog", open)
		}
		h.keys("ctrl+c")
		if !h.quit {
			t.Errorf("ctrl+c in the dialog of %s did not quit", open)
		}

		h = newHarness(t, Options{Target: "nova-parcels.com"})
		h.a.sched.running = 1
		h.keys(open, "ctrl+c")
		if h.quit || !h.a.quitAsked() {
			t.Errorf("ctrl+c in the dialog of %s with a scan running: quit %v, asked %v", open, h.quit, h.a.quitAsked())
		}
		h.keys("n")
		if h.quit || h.a.overlay != nil {
			t.Errorf("n after ctrl+c in the dialog of %s: quit %v, dialog %T", open, h.quit, h.a.overlay)
		}
	}
}
