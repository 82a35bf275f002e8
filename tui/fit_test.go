package tui

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// manySANs scans many-sans.com as a certificate with n SANs, like the
// hostile world's.
func manySANs(n int) ScanFunc {
	return func(ctx context.Context, t recon.Target, only []string) *recon.Report {
		r := &recon.Report{Target: t, Modules: map[string]*recon.ModuleResult{}, Started: now}
		if t.Value == "many-sans.com" {
			var ps []recon.Pivot
			for i := range n {
				ps = append(ps, recon.Pivot{Kind: recon.PivotDomain, Value: fmt.Sprintf("san%d.many-sans.com", i), Relation: recon.RelSAN})
			}
			r.Modules["ssl"] = mod("ssl", recon.TouchTarget, &recon.SSLFacts{}, ps...)
		}
		recon.Assess(r, now)
		return r
	}
}

// send delivers msg to a without running the command it returns (the
// scans it starts stay in flight).
func sendOnly(a *App, msgs ...tea.Msg) {
	for _, m := range msgs {
		a.Update(m)
	}
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// checkFits fails unless view is exactly h lines of at most w cells.
func checkFits(t *testing.T, what, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines:\n%s", what, w, h, len(lines), view)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s at %dx%d: line %d is %d cells: %q", what, w, h, i, lw, l)
		}
	}
}

// TestScanChildrenThousands: a on a node with 5,000 children queues them
// all in one step (one session change, not one per child) after asking,
// and the status bar says so at once.
func TestScanChildrenThousands(t *testing.T) {
	h := newHarness(t, Options{Target: "many-sans.com", Scan: manySANs(5000)})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("g")
	a := h.a
	sendOnly(a, keyRunes("a"))
	if a.curPicker() == nil || a.curPicker().ID != "scan-many" {
		t.Fatalf("a on 5,000 children did not ask first:\n%s", a.View())
	}
	if v := a.View(); !has(v, "Queue 5000 scans") {
		t.Errorf("the question does not say how many:\n%s", v)
	}
	rev := a.rev
	sendOnly(a, tea.KeyMsg{Type: tea.KeyEnter}) // queue all
	if got := len(a.sched.queue) + a.sched.running; got != 5000 {
		t.Fatalf("queued+running = %d, want 5000", got)
	}
	if a.sched.running != 4 {
		t.Errorf("running %d, want 4", a.sched.running)
	}
	if d := a.rev - rev; d > 2 {
		t.Errorf("queueing 5,000 scans changed the session %d times; want one change for the queue and one for the started scans", d)
	}
	v := a.View()
	if !has(v, "4 running · 4996 queued") {
		t.Errorf("status bar does not show the queue:\n%s", v)
	}
	if !has(v, "queued") {
		t.Errorf("no queued row:\n%s", v)
	}
	checkFits(t, "tree with queued rows", v, 80, 24)
	// Quit says what runs and what waits.
	sendOnly(a, keyRunes("q"))
	if v := a.View(); !has(v, "4 scans running, 4996 queued. Quit anyway? y/n") {
		t.Errorf("quit question: %s", v[strings.LastIndex(v, "\n")+1:])
	}
}

func TestScanChildrenAskChoices(t *testing.T) {
	for _, tc := range []struct {
		name  string
		moves []string
		want  int
	}{
		{"all", nil, 300},
		{"first", []string{"j"}, askAbove},
		{"cancel", []string{"j", "j"}, 0},
		{"esc", []string{"esc"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Target: "many-sans.com", Scan: manySANs(300)})
			h.keys("g")
			sendOnly(h.a, keyRunes("a"))
			for _, m := range tc.moves {
				if m == "esc" {
					sendOnly(h.a, tea.KeyMsg{Type: tea.KeyEsc})
				} else {
					sendOnly(h.a, keyRunes(m))
				}
			}
			if h.a.curPicker() != nil {
				sendOnly(h.a, tea.KeyMsg{Type: tea.KeyEnter})
			}
			if got := len(h.a.sched.queue) + h.a.sched.running; got != tc.want {
				t.Fatalf("queued %d, want %d", got, tc.want)
			}
		})
	}
	// A few children queue without a question.
	h := newHarness(t, Options{Target: "many-sans.com", Scan: manySANs(askAbove)})
	h.keys("g")
	sendOnly(h.a, keyRunes("a"))
	if h.a.curPicker() != nil || len(h.a.sched.queue)+h.a.sched.running != askAbove {
		t.Fatalf("%d children: picker %v, queued %d", askAbove, h.a.curPicker() != nil, len(h.a.sched.queue)+h.a.sched.running)
	}
}

// TestPromptTakesWordsAsText: bubbletea v1 delivers a typed word as one
// KeyRunes message ("end", "enter"); inside a text input it is text, and
// only the enter key ends the input.
func TestPromptTakesWordsAsText(t *testing.T) {
	for _, text := range []string{"the end of it", "a enter b", "esc home left right delete", "q y n ? tab"} {
		h := newHarness(t, Options{Target: "nova-parcels.com"})
		h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		h.keys("n")
		if h.a.curPrompt() == nil || h.a.curPrompt().ID != "note" {
			t.Fatal("n opened no note prompt")
		}
		for i, w := range strings.Split(text, " ") {
			if i > 0 {
				h.send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			}
			h.send(keyRunes(w))
			if h.a.curPrompt() == nil {
				t.Fatalf("%q: the word %q ended the prompt", text, w)
			}
		}
		h.keys("enter")
		notes := h.selected().Entity.Notes
		if len(notes) != 1 || notes[0].Text != text {
			t.Errorf("note = %+v, want %q", notes, text)
		}
	}
	// A burst that opens the search prompt types the rest into it.
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(keyRunes("/end"))
	if h.a.curPrompt() == nil || h.a.curPrompt().Input.Value() != "end" {
		t.Fatalf("burst /end: prompt %v", h.a.curPrompt())
	}
}

// TestOverlaysFit: every overlay fits the terminal at 80x24 and down to
// the minimum size, with its title and its cursor in view.
func TestOverlaysFit(t *testing.T) {
	type overlay struct {
		name  string
		open  func(h *harness)
		title string
	}
	overlays := []overlay{
		{"help", func(h *harness) { h.keys("?") }, "Keys and legend"},
		{"false positive", func(h *harness) { h.keys("g", "x") }, "False positives of"},
		{"modules", func(h *harness) { h.keys("g", "m") }, "Run modules on"},
		{"export", func(h *harness) { h.keys("e") }, "Export the session"},
		{"links", func(h *harness) { h.keys("g", "o") }, "Look up"},
		{"sources", func(h *harness) { h.keys("p") }, "Sources"},
		{"target", func(h *harness) { h.keys("+") }, "Investigate a domain"},
		{"scan many", func(h *harness) { h.keys("g", "a") }, "Queue"},
	}
	for _, size := range [][2]int{{80, 24}, {MinWidth, MinHeight}, {70, 18}} {
		for _, o := range overlays {
			t.Run(fmt.Sprintf("%s-%dx%d", o.name, size[0], size[1]), func(t *testing.T) {
				h := newHarness(t, Options{Target: "nova-parcels.com", Export: func(string, *pivot.Session, string) error { return nil },
					Sources: func() []recon.SourceStats {
						return []recon.SourceStats{{Service: "certspotter", Requests: 3}, {Service: "internetdb", Requests: 2, LastError: strings.Repeat("a long error ", 12)}}
					}})
				h.keys("/")
				h.typeText("nova-returns")
				h.keys("enter", "enter", "esc")
				// Many SANs under the root so that "a" asks.
				for i := range askAbove + 1 {
					h.a.s.AddChild(h.a.s.Roots()[0], recon.Pivot{Kind: recon.PivotDomain, Value: fmt.Sprintf("s%d.example.com", i), Relation: recon.RelSAN})
				}
				h.a.changed()
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				o.open(h)
				v := h.a.View()
				checkFits(t, o.name, v, size[0], size[1])
				if !has(v, o.title) {
					t.Errorf("%s: title %q not in view:\n%s", o.name, o.title, v)
				}
				for range 30 {
					h.keys("j")
					v = h.a.View()
					checkFits(t, o.name+" after j", v, size[0], size[1])
					if o.name != "help" && o.name != "sources" && o.name != "target" && !has(v, "›") {
						t.Fatalf("%s: the cursor left the view:\n%s", o.name, v)
					}
				}
			})
		}
	}
}

// TestHelpListsEveryKey: paging through ? shows every key binding whole,
// at 80x24 and at the minimum size.
func TestHelpListsEveryKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {MinWidth, MinHeight}, {220, 60}} {
		h := newHarness(t, Options{Target: "nova-parcels.com"})
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.keys("?")
		seen := ansi.Strip(h.a.View())
		for range 40 {
			h.keys("space")
			seen += ansi.Strip(h.a.View())
		}
		for _, s := range h.a.helpSections() {
			for _, e := range s.entries {
				if !strings.Contains(seen, e[0]) {
					t.Errorf("%dx%d: key %q not shown", size[0], size[1], e[0])
				}
				// Descriptions may wrap: each word must appear whole.
				for _, w := range strings.Fields(e[1]) {
					if !strings.Contains(seen, w) {
						t.Errorf("%dx%d: %q: word %q of %q not shown", size[0], size[1], e[0], w, e[1])
					}
				}
			}
		}
		for _, want := range []string{"v", "1", "2", "3", "o/enter", "wheel", "◆n", "■", "▲", "●", "SUB", "KEY", "NET", "CRT", "c"} {
			if !strings.Contains(seen, want) {
				t.Errorf("%dx%d: help lacks %q", size[0], size[1], want)
			}
		}
		h.keys("esc")
		if h.a.curInfo("help") != nil {
			t.Fatal("esc did not close the help")
		}
	}
}

func TestTooSmallFits(t *testing.T) {
	for _, size := range [][2]int{{59, 24}, {40, 10}, {20, 5}, {80, 14}} {
		h := newHarness(t, Options{Target: "nova-parcels.com"})
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := h.a.View()
		checkFits(t, "too small", v, size[0], size[1])
		if size[1] >= 6 && !has(ansi.Strip(v), "Enlarge it") {
			t.Errorf("%dx%d: message cut:\n%s", size[0], size[1], v)
		}
	}
}

// TestFocusVisibleWithoutColour: tab changes the screen with no colour
// (the test profile is ASCII), and the hint line follows the focus.
func TestFocusVisibleWithoutColour(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	before := h.a.View()
	if !has(before, "» PIVOTS") {
		t.Errorf("focused tree not marked:\n%s", before)
	}
	h.keys("tab")
	after := h.a.View()
	if after == before {
		t.Fatal("tab changed nothing on screen")
	}
	if has(after, "» PIVOTS") || !has(after, "» DOMAIN") {
		t.Errorf("focus mark did not move to the detail:\n%s", after)
	}
	foot := after[strings.LastIndex(after, "\n")+1:]
	if !has(foot, "back") {
		t.Errorf("hint line does not follow the focus: %q", foot)
	}
}

// TestEnterOnSharedValueSelectsWhoShares: enter on a registrar, a
// certificate or a name server moves the focus to the list of who shares
// it; the rows are selectable and enter jumps there. Name servers are not
// scanned by enter (r does that).
func TestEnterOnSharedValueSelectsWhoShares(t *testing.T) {
	for _, v := range []string{"NameCheap, Inc.", "ab12cd34", "ns1.nova-dns.net"} {
		t.Run(v, func(t *testing.T) {
			h := newHarness(t, Options{Target: "nova-parcels.com"})
			h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			h.selectValue("nova-tracking.net")
			h.keys("enter")
			calls := len(h.w.Calls())
			h.selectValue(v)
			h.keys("enter")
			if got := len(h.w.Calls()); got != calls {
				t.Fatalf("enter on %s ran a scan", v)
			}
			if h.a.focus != focusDetail {
				t.Fatalf("focus %v", h.a.focus)
			}
			links := h.a.detail.Links()
			if len(links) < 2 {
				t.Fatalf("%d selectable sharers", len(links))
			}
			view := h.a.View()
			if !has(view, "› ■ DOM nova-parcels.com") {
				t.Errorf("first sharer not selected:\n%s", view)
			}
			h.keys("j")
			if !has(h.a.View(), "› ■ DOM nova-tracking.net") {
				t.Errorf("j did not select the next sharer:\n%s", h.a.View())
			}
			h.keys("enter")
			if h.a.focus != focusTree || h.selected().Value != "nova-tracking.net" {
				t.Fatalf("enter did not jump: focus %v, selected %q", h.a.focus, h.selected().Value)
			}
		})
	}
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.selectValue("ns1.nova-dns.net")
	h.keys("r")
	if calls := h.w.Calls(); calls[len(calls)-1] != "ns1.nova-dns.net" {
		t.Errorf("r on a name server did not scan it: %v", calls)
	}
}

// TestClusterLinkFalsePositive: a mark on a cluster link shows in the
// detail pane and the clusters view, and x takes it back.
func TestClusterLinkFalsePositive(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	for _, d := range []string{"nova-tracking.net", "nova-returns.co"} {
		h.selectValue(d)
		h.keys("enter")
	}
	h.selectValue("nova-returns.co")
	h.keys("x")
	idx := -1
	for i, it := range h.a.curPicker().Items {
		if strings.HasSuffix(it, " cluster link ip:185.220.101.47") {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatalf("no ip link in the dialog: %+v", h.a.curPicker().Items)
	}
	for range idx {
		h.keys("j")
	}
	h.keys("enter")
	h.typeText("shared hosting")
	h.keys("enter")
	v := h.a.View()
	for _, want := range []string{"link ip:185.220.101.47 not counted for this domain", "false positive: shared hosting", "ip:185.220.101.47 (○ false positive for"} {
		if !has(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	h.keys("c")
	// The cursor's cluster is shown whole: the mark and its reason on the
	// line under the link.
	if v := ansi.Strip(h.a.clus.View()); !regexp.MustCompile(`185\.220\.101\.47 *\n *○ false positive for nova-returns\.co — shared hosting`).MatchString(v) {
		t.Errorf("clusters view does not show the mark under its link:\n%s", v)
	}
	h.keys("esc")
	h.selectValue("nova-returns.co")
	h.keys("x")
	for range idx {
		h.keys("j")
	}
	if !has(h.a.View(), "○ ◆1 cluster link ip:185.220.101.47 — marked: shared hosting") {
		t.Fatalf("mark not listed for undo:\n%s", h.a.View())
	}
	h.keys("enter")
	if len(h.selected().Entity.FalsePositives) != 0 || has(h.a.View(), "not counted") {
		t.Fatalf("undo left %v", h.selected().Entity.FalsePositives)
	}
}

// TestEvidenceView: w shows the WHOIS answer as received (sanitised,
// long lines wrapped), the DNS answers and the certificate in PEM; a
// certificate node shows its subject, issuer, dates and SANs.
func TestEvidenceView(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("g", "w")
	if h.a.curInfo("evidence") == nil {
		t.Fatal("w opened no evidence view")
	}
	seen := ""
	for range 20 {
		v := h.a.View()
		checkFits(t, "evidence", v, 80, 24)
		if strings.ContainsAny(v, "\x1b\a\r") {
			t.Fatalf("control bytes in the evidence view: %q", v)
		}
		seen += v
		h.keys("space")
	}
	for _, want := range []string{"WHOIS — the answer as received", "whois.iana.org → whois.verisign-grs.com", "Domain Name: NOVA-PARCELS.COM",
		"Registrar: NameCheap, Inc.", `\x1b]0;pwned\x07`, "nova-parcels.com.  IN  A     185.220.101.47", "-----BEGIN CERTIFICATE-----", "MIIBszCCAVmgAwIBAgIU"} {
		if !strings.Contains(seen, want) {
			t.Errorf("evidence lacks %q", want)
		}
	}
	h.keys("esc")
	h.selectValue("ab12cd34")
	v := h.a.View()
	for _, want := range []string{"subject      CN=nova-parcels.com", "issuer       CN=R11,O=Let's Encrypt", "SANs (3)", "nova-tracking.net"} {
		if !has(v, want) {
			t.Errorf("certificate node lacks %q:\n%s", want, v)
		}
	}
	h.keys("w")
	if v := h.a.View(); !has(v, "BEGIN CERTIFICATE") {
		t.Errorf("w on a certificate node shows no PEM:\n%s", v)
	}
}

// TestScanProgress: while a scan runs, the tree and the detail pane show
// which modules are done, as each finishes.
func TestScanProgress(t *testing.T) {
	release := make(chan struct{})
	w := &world{}
	a := New(Options{Target: "nova-parcels.com", Now: func() time.Time { return now },
		ScanProgress: func(ctx context.Context, tg recon.Target, only []string, progress func(ScanUpdate)) *recon.Report {
			full := report(tg)
			progress(ScanUpdate{Done: []string{"dns"}, Pending: []string{"whois", "ssl"}, Results: map[string]*recon.ModuleResult{"dns": full.Modules["dns"]}})
			progress(ScanUpdate{Done: []string{"dns", "whois"}, Pending: []string{"ssl"},
				Results: map[string]*recon.ModuleResult{"dns": full.Modules["dns"], "whois": full.Modules["whois"]}})
			<-release
			return w.scan(ctx, tg, only)
		}})
	a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	batch, ok := a.Init()().(tea.BatchMsg)
	if !ok {
		t.Fatal("Init returned no batch")
	}
	var cmds []tea.Cmd
	for _, c := range batch {
		if c != nil {
			cmds = append(cmds, c)
		}
	}
	if len(cmds) < 2 {
		t.Fatalf("%d commands: want the scan and its progress", len(cmds))
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmds[0]() }()
	var pm progressMsg
	for pm.P.Done == nil || len(pm.P.Done) < 2 { // the reports may merge
		m := cmds[1]()
		var ok bool
		if pm, ok = m.(progressMsg); !ok {
			t.Fatalf("progress command returned %T", m)
		}
		_, next := a.Update(pm)
		cmds[1] = next
	}
	v := a.View()
	for _, want := range []string{"2 of 3 modules done", "done     DNS records", "running  TLS certificate", "2/3",
		"▌ DNS records", "A     185.220.101.47", "▌ WHOIS registration"} {
		if !has(v, want) {
			t.Errorf("no %q while scanning:\n%s", want, v)
		}
	}
	close(release)
	a.Update(<-done)
	if has(a.View(), "2/3") {
		t.Errorf("progress stays after the scan:\n%s", a.View())
	}
}

func TestTreeUsesWideTerminals(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	for _, tc := range []struct{ w, min, max int }{{80, 30, 32}, {160, 64, 64}, {220, 88, 88}} {
		h.send(tea.WindowSizeMsg{Width: tc.w, Height: 40})
		if h.a.size.treeW < tc.min || h.a.size.treeW > tc.max {
			t.Errorf("at %d columns the tree is %d wide, want %d..%d", tc.w, h.a.size.treeW, tc.min, tc.max)
		}
		checkFits(t, "wide", h.a.View(), tc.w, 40)
	}
}

// TestTargetPromptInLab: the prompt offers the lab world's domains and
// answers a name outside the world with where to look instead.
func TestTargetPromptInLab(t *testing.T) {
	targets := []string{"meridian-freight.com", "nova-parcels.com", "nova-returns.co", "nova-tracking.net", "185.220.101.47"}
	h := newHarness(t, Options{Lab: "demo world (lab)", LabTargets: targets})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := h.a.View()
	checkFits(t, "target prompt", v, 80, 24)
	for _, d := range targets[:4] {
		if !has(v, d) {
			t.Errorf("prompt does not offer %s:\n%s", d, v)
		}
	}
	h.typeText("google.com")
	h.keys("enter")
	if h.a.curPrompt() == nil || !has(h.a.curPrompt().Err, "google.com is not in the demo world (lab); try meridian-freight.com") {
		t.Fatalf("outside the world: %+v", h.a.curPrompt())
	}
	if len(h.w.Calls()) != 0 {
		t.Fatal("a name outside the world was scanned")
	}
	for _, ok := range []string{"www.nova-parcels.com", "185.220.101.47", "abuse@nova-returns.co"} {
		h.a.curPrompt().Input.SetValue("")
		h.typeText(ok)
		h.keys("enter")
		if h.a.curPrompt() != nil {
			t.Fatalf("%s refused: %s", ok, h.a.curPrompt().Err)
		}
		h.keys("+")
	}
}

func TestExportDefaultsToSessionFolder(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: "/cases/acme/case.json",
		Export: func(string, *pivot.Session, string) error { return nil }})
	h.keys("e", "enter")
	if h.a.curPrompt() == nil || !strings.HasPrefix(h.a.curPrompt().Input.Value(), "/cases/acme/netspecter-nova-parcels.com-") {
		t.Fatalf("export path %q", h.a.curPrompt().Input.Value())
	}
}

// TestHelpCoversEveryBinding: every binding of the workbench's key maps
// (found by reflection, so a new key cannot be forgotten) is in the help.
func TestHelpCoversEveryBinding(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	listed := map[string]bool{}
	for _, s := range h.a.helpSections() {
		for _, e := range s.entries {
			listed[e[0]] = true
		}
	}
	for name, km := range map[string]any{"app": h.a.keys.KeyMap, "tree": h.a.tree.Keys, "detail": h.a.detail.Keys, "clusters": h.a.clus.Keys,
		"matrix": h.a.clus.Matrix().Keys, "timeline": h.a.clus.Timeline().Keys} {
		v := reflect.ValueOf(km)
		for i := range v.NumField() {
			b, ok := v.Field(i).Interface().(key.Binding)
			if !ok || b.Help().Key == "" {
				continue
			}
			if !listed[b.Help().Key] {
				t.Errorf("%s key %s (%q) is not in the help", name, v.Type().Field(i).Name, b.Help().Key)
			}
		}
	}
}

// TestPickerShowsSelectedWhole: at 80x24 the selected item of a list is
// shown whole, wrapped, while the others are cut to one line.
func TestPickerShowsSelectedWhole(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("g", "x")
	sel := h.a.curPicker().Items[0]
	v := h.a.View()
	checkFits(t, "x", v, 80, 24)
	flat := strings.Join(strings.Fields(ansi.Strip(strings.ReplaceAll(v, "│", " "))), " ")
	if !strings.Contains(flat, strings.Join(strings.Fields(sel), " ")) {
		t.Errorf("selected item %q not shown whole:\n%s", sel, v)
	}
}

// TestClickSelectsSharer: a click on a shared-by row selects it; enter
// then goes there.
func TestClickSelectsSharer(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.selectValue("nova-tracking.net")
	h.keys("enter")
	h.selectValue("NameCheap, Inc.")
	links := h.a.detail.Links()
	if len(links) < 2 {
		t.Fatalf("%d sharers", len(links))
	}
	h.send(tea.MouseMsg{X: h.a.size.treeW + 5, Y: links[1].Line + 1, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if h.a.focus != focusDetail || h.a.detail.Selected() != links[1].Key {
		t.Fatalf("click: focus %v, selected %q, want %q", h.a.focus, h.a.detail.Selected(), links[1].Key)
	}
	h.keys("enter")
	if got := h.selected().Entity.Key; got != links[1].Key {
		t.Fatalf("enter after the click went to %q", got)
	}
}

// TestToastUsesTheWidth: a copied value's toast uses the width of a wide
// terminal (it was cut at 60 cells of the value whatever the width), and
// keeps its " (OSC 52)" tail; at 80x24 and 60x15 it is cut to one line.
func TestToastUsesTheWidth(t *testing.T) {
	val := strings.Repeat("abcdefghij", 20) // 200 cells
	tests := []struct {
		w, h  int
		shown int // cells of the value at least
		whole bool
	}{
		{60, 15, 30, false},
		{80, 24, 50, false},
		{160, 36, 130, false},
		{240, 40, 200, true},
	}
	for _, tt := range tests {
		h := newHarness(t, Options{Target: "nova-parcels.com"})
		h.send(tea.WindowSizeMsg{Width: tt.w, Height: tt.h})
		h.send(copiedMsg{what: val})
		v := h.a.View()
		checkFits(t, "copied toast", v, tt.w, tt.h)
		lines := strings.Split(v, "\n")
		last := ansi.Strip(lines[len(lines)-1])
		if !strings.Contains(last, "copied "+val[:tt.shown]) || !strings.HasSuffix(strings.TrimRight(last, " "), "(OSC 52)") {
			t.Errorf("%dx%d: footer %q, want %d cells of the value and the tail", tt.w, tt.h, last, tt.shown)
		}
		if strings.Contains(last, val) != tt.whole {
			t.Errorf("%dx%d: value whole %v, want %v: %q", tt.w, tt.h, !tt.whole, tt.whole, last)
		}
	}
}
