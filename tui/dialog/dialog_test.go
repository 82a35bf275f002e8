package dialog

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

// The goldens are written with the ASCII profile (what NO_COLOR gives);
// go test ./tui/dialog -update rewrites them.
func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// keyMsg is the key named k; "=text" is text typed in one burst.
func keyMsg(k string) tea.KeyMsg {
	if t, ok := strings.CutPrefix(k, "="); ok {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(t)}
	}
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// send gives o the keys and returns whether it closed on the last one.
func send(o Overlay, ks ...string) (done bool) {
	for _, k := range ks {
		done, _ = o.Update(keyMsg(k))
	}
	return done
}

// dialogs are one of each kind in a state worth seeing: a boxed prompt
// with an error and suggestions, a picker whose long selected item wraps,
// a checklist with its "nothing checked" error, an info box scrolled and
// wrapping a long line, a prompt and a question on the footer line.
func dialogs() map[string]Overlay {
	st := styles.Default()
	p := NewPrompt(st, "target", "Investigate a domain, IP or e-mail address", "nova-parcels.com", "google.com")
	p.Input.Cursor.SetMode(cursor.CursorStatic)
	p.Boxed = true
	p.Hint = "enter to scan · esc to close"
	p.Err = "google.com is not in the demo world (lab); try nova-parcels.com, nova-tracking.net, harbor-sync.com …"
	p.Lines = []string{"in the demo world (lab):", "  nova-parcels.com", "  nova-tracking.net", "  harbor-sync.com"}

	line := NewPrompt(st, "note", "Note on nova-parcels.com:", "what you found or think", "bulletproof host")
	line.Input.Cursor.SetMode(cursor.CursorStatic)

	pk := NewPicker(st, "fp", "False positives of nova-parcels.com", []string{
		"▲ red [whois] registered 3 days ago, by a registrar often used for abuse, behind a privacy service, with name servers of its own that serve nothing else",
		"◆1 cluster link ip:185.220.101.47",
		"○ ◆1 cluster link ns:ns1.nova-dns.net — marked: shared hosting (enter takes it back)",
		"keep nova-parcels.com out of every cluster",
	})
	pk.Hint = "enter marks (then say why): a signal leaves the verdict, a link the clusters; enter on a ○ mark takes it back"

	var items []string
	for _, m := range []string{"dns", "whois", "ssl", "ctlog", "geoip", "headers", "favicon", "analytics"} {
		items = append(items, m+strings.Repeat(" ", 10-len(m))+"  ok")
	}
	c := NewChecklist(st, "modules", "Run modules on nova-parcels.com", items, []bool{false, false, true})
	c.Hint = "space toggles · a all · enter runs the checked modules and merges their results · esc cancels"
	send(c, "down", "down", "space", "enter") // uncheck the only one: enter says why

	var lines []string
	for i := range 60 {
		lines = append(lines, fmt.Sprintf("line %s %d", strings.Repeat("x", i%7), i))
	}
	lines[3] = "a line of raw evidence longer than any box: " + strings.Repeat("0123456789", 20)
	in := NewInfo(st, "evidence", "Evidence: nova-parcels.com", lines)
	in.Wrap = true
	in.Hint = "j/k scroll · space/pgdn page · g/G top/bottom · esc closes"
	in.Box(80, 22)
	send(in, "j", "j")

	q := NewConfirm(st, func() string { return "2 scans running, 5 queued. Quit anyway?" })
	return map[string]Overlay{"prompt": p, "prompt_line": line, "picker": pk, "checklist": c, "info": in, "confirm": q}
}

// frameOf is what the workbench shows of o in a width x height terminal:
// the box centred over the panes' rows (height-2), then the footer line.
func frameOf(o Overlay, width, height int) string {
	body := strings.Repeat("\n", height-3)
	if box := o.View(width, height-2); box != "" {
		body = Center(width, height-2, box)
	}
	foot, _ := o.Footer(width)
	return body + "\n" + strings.Repeat("─", width) + "\n" + foot
}

// TestGoldens: each dialog at 80x24 and 120x36, as the workbench frames it.
func TestGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 36}} {
		for name, o := range dialogs() {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				golden.RequireEqual(t, []byte(frameOf(o, size[0], size[1])))
			})
		}
	}
}

// TestFit: every dialog fits every size from the workbench's minimum up:
// no line wider than the terminal, no more lines than it has.
func TestFit(t *testing.T) {
	for _, size := range [][2]int{{60, 15}, {80, 24}, {100, 30}, {200, 60}} {
		for name, o := range dialogs() {
			v := frameOf(o, size[0], size[1])
			ls := strings.Split(v, "\n")
			if len(ls) > size[1] {
				t.Errorf("%s at %dx%d: %d lines", name, size[0], size[1], len(ls))
			}
			for i, l := range ls {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, size[0], size[1], i, w, l)
				}
			}
		}
	}
}

// TestContinuations: each dialog runs the step it carries when it closes,
// with what was chosen, and keeps none of it when cancelled.
func TestContinuations(t *testing.T) {
	st := styles.Default()
	var got []string
	record := func(s string) tea.Cmd { got = append(got, s); return nil }
	for _, tc := range []struct {
		name string
		o    func() Overlay
		keys []string
		done bool
		want []string
	}{
		{"prompt accepts trimmed text", func() Overlay {
			return NewPrompt(st, "p", "t", "", "").OnDone(record)
		}, []string{"  a.example ", "enter"}, true, []string{"a.example"}},
		{"prompt refused by its check stays open", func() Overlay {
			p := NewPrompt(st, "p", "t", "", "").OnDone(record)
			return p.Validate(func(v string) string {
				if v == "bad" {
					return "no: " + v
				}
				return ""
			})
		}, []string{"bad", "enter"}, false, nil},
		{"typed words are text, not keys", func() Overlay {
			return NewPrompt(st, "p", "t", "", "").OnDone(record)
		}, []string{"=enter", "=end", "esc"}, true, nil},
		{"prompt esc cancels", func() Overlay {
			return NewPrompt(st, "p", "t", "", "x").OnDone(record).OnCancel(func() tea.Cmd { return record("cancel") })
		}, []string{"esc"}, true, []string{"cancel"}},
		{"picker picks the index", func() Overlay {
			return NewPicker(st, "k", "t", []string{"a", "b", "c"}).OnPick(func(i int) tea.Cmd { return record(fmt.Sprint(i)) })
		}, []string{"j", "j", "enter"}, true, []string{"2"}},
		{"picker's own key", func() Overlay {
			return NewPicker(st, "k", "t", []string{"a", "b"}).OnPick(func(int) tea.Cmd { return record("pick") }).
				OnKey(key.NewBinding(key.WithKeys("y")), func(i int) tea.Cmd { return record(fmt.Sprint("y", i)) })
		}, []string{"j", "y"}, true, []string{"y1"}},
		{"empty picker ignores enter", func() Overlay {
			return NewPicker(st, "k", "t", nil).OnPick(func(int) tea.Cmd { return record("pick") })
		}, []string{"enter"}, false, nil},
		{"checklist gives the checked", func() Overlay {
			return NewChecklist(st, "c", "t", []string{"a", "b", "c"}, []bool{true}).
				OnDone(func(sel []int) tea.Cmd { return record(fmt.Sprint(sel)) })
		}, []string{"j", "j", "space", "enter"}, true, []string{"[0 2]"}},
		{"checklist needs one checked", func() Overlay {
			return NewChecklist(st, "c", "t", []string{"a"}, nil).OnDone(func([]int) tea.Cmd { return record("done") })
		}, []string{"enter"}, false, nil},
		{"info closes on q", func() Overlay {
			return NewInfo(st, "i", "t", []string{"x"}).OnCancel(func() tea.Cmd { return record("closed") })
		}, []string{"j", "q"}, true, []string{"closed"}},
		{"confirm yes", func() Overlay {
			return NewConfirm(st, func() string { return "?" }).OnConfirm(func() tea.Cmd { return record("yes") }).
				OnCancel(func() tea.Cmd { return record("no") })
		}, []string{"y"}, true, []string{"yes"}},
		{"confirm any other key is no", func() Overlay {
			return NewConfirm(st, func() string { return "?" }).OnConfirm(func() tea.Cmd { return record("yes") }).
				OnCancel(func() tea.Cmd { return record("no") })
		}, []string{"n"}, true, []string{"no"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			o := tc.o()
			if done := send(o, tc.keys...); done != tc.done {
				t.Errorf("done %v, want %v", done, tc.done)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ran %q, want %q", got, tc.want)
			}
		})
	}
}

// TestWheelMovesTheCursor: the mouse wheel moves the cursor of a picker
// and of a checklist one item a notch, within the items; a click or a
// release does not, and the wheel never closes the dialog or toggles.
func TestWheelMovesTheCursor(t *testing.T) {
	wheel := func(b tea.MouseButton) tea.MouseMsg {
		return tea.MouseMsg{Action: tea.MouseActionPress, Button: b}
	}
	down, up := wheel(tea.MouseButtonWheelDown), wheel(tea.MouseButtonWheelUp)
	tests := []struct {
		name string
		msgs []tea.MouseMsg
		want int
	}{
		{"down twice", []tea.MouseMsg{down, down}, 2},
		{"down then up", []tea.MouseMsg{down, down, up}, 1},
		{"up stops at the first", []tea.MouseMsg{up, up}, 0},
		{"down stops at the last", []tea.MouseMsg{down, down, down, down, down}, 3},
		{"a click does not move", []tea.MouseMsg{wheel(tea.MouseButtonLeft)}, 0},
		{"a release does not move", []tea.MouseMsg{{Action: tea.MouseActionRelease, Button: tea.MouseButtonWheelDown}}, 0},
	}
	items := []string{"a", "b", "c", "d"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPicker(styles.Default(), "p", "Pick", items)
			c := NewChecklist(styles.Default(), "c", "Check", items, nil)
			for _, m := range tt.msgs {
				if done, _ := p.Update(m); done {
					t.Fatal("the wheel closed the picker")
				}
				if done, _ := c.Update(m); done {
					t.Fatal("the wheel closed the checklist")
				}
			}
			if p.Cursor != tt.want || c.Cursor != tt.want {
				t.Errorf("picker on %d, checklist on %d, want %d", p.Cursor, c.Cursor, tt.want)
			}
			if len(c.Selected()) != 0 {
				t.Errorf("the wheel checked %v", c.Selected())
			}
			if v := ansi.Strip(p.View(60, 15)); !strings.Contains(v, "› "+items[tt.want]) {
				t.Errorf("the picker does not show the cursor on %q:\n%s", items[tt.want], v)
			}
		})
	}
}
