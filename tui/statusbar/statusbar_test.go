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
