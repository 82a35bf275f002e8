package tui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/netspecter/netspecter-tui/tui/internal/demotest"
)

// startFlow runs the workbench under teatest at a fixed 120x36.
func startFlow(t *testing.T, o Options) *teatest.TestModel {
	t.Helper()
	w := &world{}
	o.Scan = w.scan
	o.Now = func() time.Time { return now }
	a := New(o)
	a.seam.copy = func(string) error { return nil }
	return teatest.NewTestModel(t, a, teatest.WithInitialTermSize(120, 36))
}

func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func runeKey(r string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(r)} }
func enterKey() tea.KeyMsg        { return tea.KeyMsg{Type: tea.KeyEnter} }
func finalView(t *testing.T, tm *teatest.TestModel) []byte {
	t.Helper()
	tm.Send(runeKey("q"))
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	return []byte(m.View())
}

// TestFlowStartScanRoot: the start prompt, a domain typed, its scan, the
// tree with the SANs.
func TestFlowStartScanRoot(t *testing.T) {
	tm := startFlow(t, Options{})
	waitFor(t, tm, "Investigate a domain")
	tm.Type("nova-parcels.com")
	tm.Send(enterKey())
	waitFor(t, tm, "nova-returns.co")
	golden.RequireEqual(t, finalView(t, tm))
}

// TestFlowPivotOnSAN: search a SAN, scan it in place, its children and the
// cluster badge appear.
func TestFlowPivotOnSAN(t *testing.T) {
	tm := startFlow(t, Options{Target: "nova-parcels.com"})
	waitFor(t, tm, "nova-tracking.net")
	tm.Send(runeKey("/"))
	tm.Type("nova-tracking")
	tm.Send(enterKey())
	waitFor(t, tm, "DOMAIN  nova-tracking.net")
	tm.Send(enterKey())
	waitFor(t, tm, "◆1")
	golden.RequireEqual(t, finalView(t, tm))
}

// TestFlowClusters: three nova domains scanned, the clusters view lists them.
func TestFlowClusters(t *testing.T) {
	tm := startFlow(t, Options{Target: "nova-parcels.com", Lab: "demo world (lab)"})
	waitFor(t, tm, "nova-tracking.net")
	for i, d := range []string{"nova-tracking", "nova-returns"} {
		tm.Send(runeKey("/"))
		tm.Type(d)
		tm.Send(enterKey())
		waitFor(t, tm, "DOMAIN  "+d)
		tm.Send(enterKey())
		if i == 0 {
			waitFor(t, tm, "◆1") // its scan is in: the next search sees its children
		}
	}
	tm.Send(runeKey("c"))
	waitFor(t, tm, "3 members")
	golden.RequireEqual(t, finalView(t, tm))
}

// startDemo runs the workbench under teatest on the demo-shaped session
// (typed facts, fixed clock) at a fixed 150x40.
func startDemo(t *testing.T) *teatest.TestModel {
	t.Helper()
	w := &world{}
	a := New(Options{Scan: w.scan, Session: demotest.Session(), Now: func() time.Time { return demotest.Now }, Lab: "demo world (lab)", SessionPath: "demo.json"})
	a.seam.copy = func(string) error { return nil }
	return teatest.NewTestModel(t, a, teatest.WithInitialTermSize(150, 40))
}

// TestFlowMatrix: the comparison matrix of the demo, the three nova rows
// marked; sorted by registration date.
func TestFlowMatrix(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "nova-parcels.com")
	tm.Send(runeKey("c"))
	tm.Send(runeKey("2"))
	waitFor(t, tm, "MATRIX 5")
	for range 3 {
		tm.Send(runeKey(" "))
	}
	waitFor(t, tm, "3 marked rows share")
	golden.RequireEqual(t, finalView(t, tm))
}

// TestFlowMatrixScrolled: the right-hand columns (certificate, date,
// e-mail posture, verdict), sorted by date, newest first.
func TestFlowMatrixScrolled(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "nova-parcels.com")
	tm.Send(runeKey("c"))
	tm.Send(runeKey("2"))
	for range 6 {
		tm.Send(tea.KeyMsg{Type: tea.KeyRight})
	}
	tm.Send(runeKey("o"))
	tm.Send(runeKey("o"))
	waitFor(t, tm, "Registered ▼")
	golden.RequireEqual(t, finalView(t, tm))
}

// TestFlowTimeline: the registration timeline of the demo (t).
func TestFlowTimeline(t *testing.T) {
	tm := startDemo(t)
	waitFor(t, tm, "nova-parcels.com")
	tm.Send(runeKey("t"))
	waitFor(t, tm, "registered within")
	golden.RequireEqual(t, finalView(t, tm))
}
