package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/netspecter/netspecter-tui/recon"
)

// TestTextReportGoldens writes the text report (--no-color) of a demo
// domain scanned in the lab, and of the same domain scanned through a
// resolver that refused everything (testdata/*.json: scan --demo --json,
// kept so the dates hold still). go test ./cmd/netspecter-tui -run
// TestTextReportGoldens -update rewrites them.
func TestTextReportGoldens(t *testing.T) {
	for _, name := range []string{"nova-parcels", "nova-parcels-refused"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var rep recon.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			printReport(&out, &rep, true, "demo world (lab)")
			text := out.String()
			if strings.ContainsAny(text, "\x1b\a") {
				t.Error("escape sequences in --no-color text")
			}
			if name == "nova-parcels-refused" {
				// The module failed: what it could not ask is not "nothing".
				for _, bad := range []string{"no certificate", "no addresses", "SPF            none", "DMARC          none", "MTA-STS        no"} {
					if strings.Contains(text, bad) {
						t.Errorf("could-not-check shown as %q", bad)
					}
				}
			}
			golden.RequireEqual(t, []byte(text))
		})
	}
}
