package tui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// startFlow runs the workbench under teatest at a fixed 120x36.
func startFlow(t *testing.T, o Options) *teatest.TestModel {
	t.Helper()
	w := &world{}
	o.Scan = w.scan
	o.Now = func() time.Time { return now }
	a := New(o)
	a.copy = func(string) error { return nil }
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
