package detail

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// TestGoldens draws the detail of a demo domain scanned in the lab
// (testdata/*.json: scan --demo --json, kept so the dates hold still) at
// 80 and 120 columns, and of the same domain scanned through a resolver
// that refused everything (what could not be checked must read
// "unknown", never "none"). The goldens are ASCII (what NO_COLOR gives)
// except one in colour; go test ./tui/detail -update rewrites them.
func TestGoldens(t *testing.T) {
	for _, tt := range []struct {
		name, fixture string
		width         int
		profile       termenv.Profile
	}{
		{"nova-parcels_80", "nova-parcels.json", 80, termenv.Ascii},
		{"nova-parcels_120", "nova-parcels.json", 120, termenv.Ascii},
		{"nova-parcels_120_colour", "nova-parcels.json", 120, termenv.ANSI256},
		{"nova-parcels-refused_100", "nova-parcels-refused.json", 100, termenv.Ascii},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lipgloss.SetColorProfile(tt.profile)
			t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
			b, err := os.ReadFile("testdata/" + tt.fixture)
			if err != nil {
				t.Fatal(err)
			}
			var rep recon.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			now := rep.Started.Add(time.Minute)
			s := pivot.NewSession(now)
			n := s.AddRoot(rep.Target)
			s.Attach(n.ID, &rep, now)
			out := Render(styles.Default(), Input{Session: s, Node: n, Width: tt.width, Now: now})
			for i, l := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(l); w > tt.width {
					t.Errorf("line %d is %d cells wide, over %d: %q", i, w, tt.width, ansi.Strip(l))
				}
			}
			colour := strings.Contains(out, "\x1b[")
			if colour != (tt.profile != termenv.Ascii) {
				t.Errorf("escape sequences: %v with profile %v", colour, tt.profile)
			}
			golden.RequireEqualEscape(t, []byte(out), colour)
		})
	}
}
