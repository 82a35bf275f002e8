package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon/doctor"
)

// The sources panel (p) shows the doctor's checks: "checking…" first, then
// one row per source with what to do under each problem.
func TestSourcesPanelShowsChecks(t *testing.T) {
	runs := 0
	h := newHarness(t, Options{Target: "nova-parcels.com",
		Checks: func(context.Context) []doctor.Check {
			runs++
			return []doctor.Check{
				{Name: "resolver", Status: doctor.OK, Detail: "answers"},
				{Name: "WHOIS (TCP 43)", Status: doctor.Fail, Detail: "cannot connect to whois.iana.org:43\x1b[2J", Fix: "outgoing TCP port 43 seems blocked"},
			}
		}})
	before := len(h.frames)
	h.keys("p")
	if runs != 1 {
		t.Fatalf("checks ran %d times", runs)
	}
	if !has(h.frames[before], "checking…") {
		t.Errorf("no checking state:\n%s", h.frames[before])
	}
	v := h.a.View()
	for _, want := range []string{"Source checks", "FAIL", "WHOIS (TCP 43)", "port 43 seems blocked", `\x1b[2J`} {
		if !has(v, want) {
			t.Errorf("sources panel lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "\x1b[2J") {
		t.Error("a raw escape from a check reached the screen")
	}
}

// TestSourcesPanelSaysHowToScroll: the sources panel is longer than an
// 80x24 terminal shows (↓ n more) and says how to scroll it, as the other
// scrolling boxes (w, ?) do; j scrolls it.
func TestSourcesPanelSaysHowToScroll(t *testing.T) {
	var checks []doctor.Check
	for _, n := range []string{"resolver", "DNSBL dbl", "DNSBL zen", "WHOIS (TCP 43)", "Cert Spotter", "crt.sh", "InternetDB", "RDAP", "GeoIP", "VirusTotal", "AbuseIPDB", "proxy", "config"} {
		checks = append(checks, doctor.Check{Name: n, Status: doctor.OK, Detail: "answers"})
	}
	h := newHarness(t, Options{Target: "nova-parcels.com", Checks: func(context.Context) []doctor.Check { return checks }})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("p")
	v := h.a.View()
	if !has(v, "more") || !has(v, "j/k scroll") {
		t.Fatalf("the sources panel does not say how to scroll:\n%s", v)
	}
	h.keys("j")
	if !has(h.a.View(), "↑1") {
		t.Errorf("j did not scroll the sources panel:\n%s", h.a.View())
	}
}
