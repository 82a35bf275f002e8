package statusbar

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/tui/styles"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func TestBar(t *testing.T) {
	tests := []struct {
		name  string
		width int
		st    State
		want  []string
	}{
		{"idle autosave", 100, State{Path: "/tmp/a.json", Autosave: true, Saved: true}, []string{"idle", "✓ saved", "autosave /tmp/a.json"}},
		{"scanning lab", 100, State{Running: 2, Queued: 3, Lab: "demo", Path: "s.json"}, []string{"LAB demo", "2 running · 3 queued", "● unsaved"}},
		{"long path", 60, State{Path: "/very/long/path/that/does/not/fit/in/the/bar/at/all/session.json"}, []string{"…/", "/session.json"}},
		{"long autosave path", 80, State{Running: 4, Queued: 4078, Spinner: "⠋", Lab: "hostile world (lab)", Saved: true, Autosave: true,
			Path: "/tmp/netspecter-state/netspecter-tui/autosave-20241120-100000.json"}, []string{"✓ saved", "autosave-20241120-100000.json"}},
		{"narrow", 40, State{Running: 4, Queued: 4078, Lab: "hostile world (lab)", Saved: true, Path: "/tmp/x/y/z.json"}, []string{"4 running · 4078 queued"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(styles.Default())
			m.SetSize(tt.width)
			m.State = tt.st
			v := m.View()
			if w := ansi.StringWidth(v); w != tt.width {
				t.Errorf("width %d, want %d: %q", w, tt.width, v)
			}
			if strings.Contains(v, "…ve ") || strings.Count(v, "…") > 1 {
				t.Errorf("path cut inside its label: %q", v)
			}
			for _, s := range tt.want {
				if !strings.Contains(v, s) {
					t.Errorf("missing %q in %q", s, v)
				}
			}
		})
	}
}

// TestToastView: the toast takes the whole width of the bar, never more
// and on one line; a long text is cut with "…" before its tail, which
// stays whole unless the line is too narrow for it.
func TestToastView(t *testing.T) {
	long := "copied " + strings.Repeat("abcdefghij", 30)
	tests := []struct {
		name  string
		width int
		st    State
		want  []string // in the line
		cut   bool     // "…" in the line
	}{
		{"short", 80, State{Toast: "note added"}, []string{" • note added"}, false},
		{"long at 80", 80, State{Toast: long, ToastTail: " (OSC 52)"}, []string{"copied abcdefghij", "…", " (OSC 52)"}, true},
		{"long at 200 uses the room", 200, State{Toast: long, ToastTail: " (OSC 52)"}, []string{strings.Repeat("abcdefghij", 18), " (OSC 52)"}, true},
		{"fits at 400", 400, State{Toast: long, ToastTail: " (OSC 52)"}, []string{strings.Repeat("abcdefghij", 30) + " (OSC 52)"}, false},
		{"error at 60", 60, State{Toast: long, ToastTail: " — press s to choose another path", ToastErr: true}, []string{" ✗ copied", "… — press s to choose another path"}, true},
		{"too narrow for the tail", 20, State{Toast: long, ToastTail: " — press s to choose another path"}, []string{" • copied"}, true},
		{"no tail", 60, State{Toast: long}, []string{"copied abc"}, true},
		{"controls escaped", 80, State{Toast: "saved to a\x1b]0;x\x07\nb"}, []string{"saved to a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(styles.Default())
			m.SetSize(tt.width)
			m.State = tt.st
			v := m.ToastView()
			if w := ansi.StringWidth(v); w > tt.width || strings.ContainsAny(v, "\n\r\x1b\x07") {
				t.Errorf("%d cells (width %d), or not one plain line: %q", w, tt.width, v)
			}
			if tt.cut && ansi.StringWidth(v) != tt.width {
				t.Errorf("a cut toast is %d cells, want the whole width %d: %q", ansi.StringWidth(v), tt.width, v)
			}
			if strings.Contains(v, "…") != tt.cut {
				t.Errorf("cut %v, want %v: %q", strings.Contains(v, "…"), tt.cut, v)
			}
			for _, s := range tt.want {
				if !strings.Contains(v, s) {
					t.Errorf("missing %q in %q", s, v)
				}
			}
		})
	}
}
