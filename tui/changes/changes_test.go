package changes

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/pivot/diff"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func rep(name string, a ...string) *recon.Report {
	var piv []recon.Pivot
	for _, ip := range a {
		piv = append(piv, recon.Pivot{Kind: recon.PivotIP, Value: ip, Relation: recon.RelA})
	}
	return &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: name}, Modules: map[string]*recon.ModuleResult{
		"dns": {Module: "dns", Status: recon.StatusOK, Facts: &recon.DNSFacts{Name: name, A: a}, Pivots: piv}}}
}

// moved builds a session whose root moved from one address to another.
func moved(name string) (*pivot.Session, string) {
	s := pivot.NewSession(t0)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: name})
	s.Attach(root.ID, rep(name, "185.220.101.47", "185.220.101.48"), t0)
	s.Attach(root.ID, rep(name, "194.26.29.81", "185.220.101.48"), t0.Add(time.Hour))
	return s, root.ID
}

func TestMarks(t *testing.T) {
	s, root := moved("nova-parcels.com")
	r := diff.Compare(s.AsOf(t0.Add(time.Minute)), s)
	marks := Marks(s, t0.Add(time.Minute), r)
	want := map[string]Kind{"nova-parcels.com": KindChanged, "185.220.101.47": KindGone, "194.26.29.81": KindNew, "185.220.101.48": KindNone}
	for _, id := range s.NodeIDs() {
		n := s.Node(id)
		if got := marks[id]; got != want[n.Value] {
			t.Errorf("%s: %q, want %q", n.Value, got.Glyph(), want[n.Value].Glyph())
		}
	}
	if marks[root] != KindChanged || Marks(s, t0, nil) != nil {
		t.Error("root mark or nil result")
	}
	// The glyphs differ, so the marks read without colour.
	seen := map[string]bool{}
	for _, k := range []Kind{KindChanged, KindNew, KindGone, KindUnread} {
		if g := k.Glyph(); g == " " || seen[g] {
			t.Errorf("glyph %q of %d not distinct", g, k)
		} else {
			seen[g] = true
		}
	}
}

func TestViewListsAndJumps(t *testing.T) {
	evil := "evil\x1b]0;pwned\x07.example"
	s, _ := moved(evil)
	r := diff.Compare(s.AsOf(t0.Add(time.Minute)), s)
	m := New(styles.Default())
	m.SetSize(100, 10)
	if !strings.Contains(m.View(), "No rescan yet") {
		t.Errorf("empty view:\n%s", m.View())
	}
	m.SetResult(r, t0.Add(time.Minute))
	v := m.View()
	if strings.ContainsAny(v, "\x07") || strings.Contains(ansi.Strip(v), "\x1b") {
		t.Errorf("control characters reached the view: %q", v)
	}
	lines := strings.Split(v, "\n")
	if len(lines) != 10 {
		t.Errorf("%d lines, want 10", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 100 {
			t.Errorf("line %q is %d wide", ansi.Strip(l), w)
		}
	}
	for _, want := range []string{"dns A: +194.26.29.81 −185.220.101.47", "+ 194.26.29.81", "− 185.220.101.47"} {
		if !strings.Contains(ansi.Strip(v), want) {
			t.Errorf("view lacks %q:\n%s", want, ansi.Strip(v))
		}
	}
	if m.Count() != r.Count() {
		t.Errorf("count %d, want %d", m.Count(), r.Count())
	}
	var jumps []pivot.EntityKey
	for range 3 {
		var k pivot.EntityKey
		m, k = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		jumps = append(jumps, k)
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'j'}})
	}
	want := []pivot.EntityKey{pivot.KeyOf(recon.PivotDomain, evil), "ip:194.26.29.81", "ip:185.220.101.47"}
	for i := range want {
		if jumps[i] != want[i] {
			t.Errorf("jump %d = %q, want %q", i, jumps[i], want[i])
		}
	}
}

// TestIntroWraps: before any rescan the view says what R does in full in
// the clusters pane of an 80x24 terminal (46 cells), its lines wrapped to
// the pane, not cut, and again after the pane is resized.
func TestIntroWraps(t *testing.T) {
	m := New(styles.Default())
	m.SetResult(nil, time.Time{})
	for _, w := range []int{46, 30, 100} {
		m.SetSize(w, 12)
		v := ansi.Strip(m.View())
		if strings.Contains(v, "…") {
			t.Errorf("%d cells: the intro is cut:\n%s", w, v)
		}
		words := strings.Join(strings.Fields(v), " ")
		for _, want := range []string{"Press R to scan every scanned entity again;", "marked in the tree:", "Δ changed · + new · − gone."} {
			if !strings.Contains(words, want) {
				t.Errorf("%d cells: %q missing from:\n%s", w, want, v)
			}
		}
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) != w {
				t.Errorf("%d cells: line %q is %d wide", w, l, ansi.StringWidth(l))
			}
		}
	}
}

// TestMoves: the view moves like the tree — pgdn/pgup a window of lines,
// home and G/end the ends — and g still goes to the node.
func TestMoves(t *testing.T) {
	s, _ := moved("a.example")
	r := diff.Compare(s.AsOf(t0.Add(time.Minute)), s)
	base := New(styles.Default())
	base.SetSize(100, 3) // a heading line and two list lines
	base.SetResult(r, t0.Add(time.Minute))
	var rows []pivot.EntityKey // the entity of each row, in order
	for _, l := range base.lines {
		if l.key != "" {
			rows = append(rows, l.key)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3: %+v", len(rows), base.lines)
	}
	k := func(s string) tea.KeyMsg {
		switch s {
		case "pgdown":
			return tea.KeyMsg{Type: tea.KeyPgDown}
		case "pgup":
			return tea.KeyMsg{Type: tea.KeyPgUp}
		case "home":
			return tea.KeyMsg{Type: tea.KeyHome}
		case "end":
			return tea.KeyMsg{Type: tea.KeyEnd}
		}
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
	}
	tests := []struct {
		keys []string
		want int // row
	}{
		{[]string{"end"}, 2},
		{[]string{"G"}, 2},
		{[]string{"G", "home"}, 0},
		{[]string{"pgdown"}, 2},
		{[]string{"G", "pgup"}, 0},
		{[]string{"G", "g"}, 2}, // g goes to the node: no move
	}
	for _, tt := range tests {
		m := base
		var jump pivot.EntityKey
		for _, s := range tt.keys {
			m, jump = m.Update(k(s))
		}
		if tt.keys[len(tt.keys)-1] == "g" && jump != rows[tt.want] {
			t.Errorf("%v: g went to %q, want %q", tt.keys, jump, rows[tt.want])
		}
		if _, jump = m.Update(tea.KeyMsg{Type: tea.KeyEnter}); jump != rows[tt.want] {
			t.Errorf("%v: on %q, want row %d %q", tt.keys, jump, tt.want, rows[tt.want])
		}
		if !strings.Contains(ansi.Strip(m.View()), "›") {
			t.Errorf("%v: the cursor's line is not shown:\n%s", tt.keys, ansi.Strip(m.View()))
		}
	}
}
