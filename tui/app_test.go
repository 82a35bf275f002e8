package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// harness drives an App through Update, running every returned command
// synchronously (ticks are disabled), like the program would.
type harness struct {
	t      *testing.T
	a      *App
	w      *world
	quit   bool
	copied []string
	frames []string
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	w := &world{}
	if o.Scan == nil {
		o.Scan = w.scan
	}
	o.Now = func() time.Time { return now }
	h := &harness{t: t, w: w}
	h.a = New(o)
	h.a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	h.a.seam.copy = func(s string) error { h.copied = append(h.copied, s); return nil }
	h.a.seam.blink = false
	if h.a.curPrompt() != nil {
		h.a.curPrompt().Input.Cursor.SetMode(cursor.CursorStatic)
	}
	h.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	h.run(h.a.Init())
	return h
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		h.send(m)
	}
}

func (h *harness) send(msg tea.Msg) {
	_, cmd := h.a.Update(msg)
	h.frames = append(h.frames, h.a.View())
	h.run(cmd)
}

func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "space":
			msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		case "ctrl+c":
			msg = tea.KeyMsg{Type: tea.KeyCtrlC}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		h.send(msg)
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (h *harness) selected() *pivot.Node { return h.a.tree.Selected() }

func (h *harness) selectValue(v string) {
	h.t.Helper()
	for _, id := range h.a.s.NodeIDs() {
		if h.a.s.Node(id).Value == v {
			if h.a.tree.Select(id) {
				h.a.sync()
				return
			}
		}
	}
	h.t.Fatalf("no node %q", v)
}

func TestStartPromptValidatesTarget(t *testing.T) {
	h := newHarness(t, Options{})
	if h.a.curPrompt() == nil || h.a.curPrompt().ID != "target" {
		t.Fatal("no target prompt at start")
	}
	h.typeText("foo..com")
	h.keys("enter")
	if h.a.curPrompt() == nil || h.a.curPrompt().Err == "" {
		t.Fatal("invalid target accepted")
	}
	if !has(h.a.View(), h.a.curPrompt().Err) {
		t.Errorf("error not shown inline:\n%s", h.a.View())
	}
	h.a.curPrompt().Input.SetValue("")
	h.typeText("nova-parcels.com")
	h.keys("enter")
	if h.a.curPrompt() != nil {
		t.Fatalf("prompt still open: %q", h.a.curPrompt().Err)
	}
	if got := h.w.Calls(); !slices.Equal(got, []string{"nova-parcels.com"}) {
		t.Fatalf("scans = %v", got)
	}
}

func TestScanRootShowsPivotsAsChildren(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	root := h.a.s.Node(h.a.s.Roots()[0])
	if root.Entity.State != pivot.StateDone {
		t.Fatalf("root state %q", root.Entity.State)
	}
	rows := h.a.tree.Rows()
	if len(rows) < 5 {
		t.Fatalf("only %d rows after the scan", len(rows))
	}
	v := h.a.View()
	for _, want := range []string{"nova-tracking.net", "SAN", "185.220.101.47", "Overall Assessment", "RED", "NameCheap"} {
		if !has(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestMoveExpandCollapse(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	n := len(h.a.tree.Rows())
	h.keys("j", "j")
	if h.a.tree.Cursor() != 2 {
		t.Fatalf("cursor %d after jj", h.a.tree.Cursor())
	}
	h.keys("G")
	if h.a.tree.Cursor() != n-1 {
		t.Fatalf("G: cursor %d of %d", h.a.tree.Cursor(), n)
	}
	h.keys("g", "h") // collapse root
	if got := len(h.a.tree.Rows()); got != 1 {
		t.Fatalf("after collapse %d rows", got)
	}
	h.keys("l")
	if got := len(h.a.tree.Rows()); got != n {
		t.Fatalf("after expand %d rows, want %d", got, n)
	}
	h.keys("space")
	if got := len(h.a.tree.Rows()); got != 1 {
		t.Fatalf("space did not toggle: %d rows", got)
	}
}

func TestPivotOnSANAndIP(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.selectValue("nova-tracking.net")
	h.keys("enter")
	sel := h.selected()
	if sel.Entity.Scan == nil || len(sel.Children) == 0 {
		t.Fatal("SAN scan did not attach children")
	}
	h.selectValue("185.220.101.47")
	h.keys("enter")
	ip := h.selected()
	if ip.Entity.Scan == nil {
		t.Fatal("IP not scanned")
	}
	if !slices.ContainsFunc(ip.Children, func(id string) bool { return h.a.s.Node(id).Kind == recon.PivotASN }) {
		t.Fatal("no ASN child under the IP")
	}
	// enter on the ASN lists who shares it.
	h.selectValue("AS205100")
	h.keys("enter")
	if h.a.focus != focusDetail {
		t.Fatal("enter on ASN did not focus the detail")
	}
	if !has(h.a.View(), "Shared by") {
		t.Errorf("no sharing list:\n%s", h.a.View())
	}
	// tab back; detail scrolls with j when focused.
	h.keys("tab")
	if h.a.focus != focusTree {
		t.Fatal("tab did not return to the tree")
	}
}

func TestScanAllChildrenBounded(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com", Concurrency: 2})
	h.w.block = make(chan struct{})
	close(h.w.block) // the harness runs commands synchronously: nothing waits
	h.keys("g", "a")
	for _, id := range h.a.s.Node(h.a.s.Roots()[0]).Children {
		n := h.a.s.Node(id)
		if pivot.Scannable(n.Kind) && n.Entity.Scan == nil {
			t.Errorf("%s not scanned", n.Value)
		}
	}
	if h.a.sched.running != 0 || len(h.a.sched.queue) != 0 {
		t.Fatalf("running %d queued %d", h.a.sched.running, len(h.a.sched.queue))
	}
}

func TestQueueRespectsConcurrency(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com", Concurrency: 2})
	// Enqueue without running the commands.
	root := h.a.s.Roots()[0]
	h.a.tree.Select(root)
	var cmds []tea.Cmd
	for _, id := range h.a.s.Node(root).Children {
		if pivot.Scannable(h.a.s.Node(id).Kind) {
			h.a.enqueue(id, false)
		}
	}
	cmds = append(cmds, h.a.pump())
	if h.a.sched.running != 2 || len(h.a.sched.queue) == 0 {
		t.Fatalf("running %d queued %d, want 2 running and the rest queued", h.a.sched.running, len(h.a.sched.queue))
	}
	// Quit asks while scans run.
	h.keys("q")
	if !h.a.quitAsked() || h.quit {
		t.Fatal("q did not ask for confirmation while scanning")
	}
	if !has(h.a.View(), "Quit anyway? y/n") {
		t.Error("no confirmation shown")
	}
	h.keys("n")
	if h.a.quitAsked() || h.quit {
		t.Fatal("n did not cancel")
	}
	for _, c := range cmds {
		h.run(c)
	}
	if h.a.sched.running != 0 || len(h.a.sched.queue) != 0 {
		t.Fatalf("after draining: running %d queued %d", h.a.sched.running, len(h.a.sched.queue))
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("q did not quit when idle")
	}
}

func TestStaleResultDropped(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.selectValue("nova-returns.co")
	n := h.selected()
	h.a.enqueue(n.ID, true)
	first := h.a.pump()
	h.keys("r") // rescan before the first result arrives
	// Deliver the first (stale) result: it must be dropped.
	msg := first().(scanDoneMsg)
	msg.Report = report(recon.Target{Kind: recon.KindDomain, Value: "unknown.example"})
	h.send(msg)
	if n.Entity.Scan != nil && n.Entity.Scan.Target.Value == "unknown.example" {
		t.Fatal("stale result attached")
	}
	if n.Entity.Scan == nil {
		t.Fatal("rescan result not attached")
	}
}

func TestSearchNextPrev(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.keys("/")
	h.typeText("nova-")
	h.keys("enter")
	first := h.selected().Value
	if !strings.Contains(first, "nova-") {
		t.Fatalf("search selected %q", first)
	}
	h.keys("n")
	second := h.selected().Value
	if second == first {
		t.Fatalf("n did not move (%q)", second)
	}
	h.keys("N")
	if h.selected().Value != first {
		t.Fatalf("N did not go back: %q", h.selected().Value)
	}
	// A collapsed match is found and its ancestors opened.
	h.keys("g", "h", "/")
	h.a.curPrompt().Input.SetValue("")
	h.typeText("ns1.nova")
	h.keys("enter")
	if h.selected().Value != "ns1.nova-dns.net" {
		t.Fatalf("search in collapsed tree selected %q", h.selected().Value)
	}
	h.keys("esc")
	if h.a.find.query != "" {
		t.Fatal("esc did not clear the search")
	}
}

func TestNoteAndFalsePositive(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.keys("g", "n")
	h.typeText("same kit as case 42")
	h.keys("enter")
	root := h.a.s.Node(h.a.s.Roots()[0])
	if len(root.Entity.Notes) != 1 || root.Entity.Notes[0].Text != "same kit as case 42" {
		t.Fatalf("notes %+v", root.Entity.Notes)
	}
	if !has(h.a.View(), "same kit as case 42") {
		t.Error("note not shown in the detail")
	}
	before := root.Entity.Verdict()
	if before != recon.LevelRed {
		t.Fatalf("verdict %q", before)
	}
	// Mark the flags as false positives, one after another, until the
	// verdict is green (a verdict converges: one mark is not enough).
	for i := 0; i < 10 && root.Entity.Verdict() != recon.LevelGreen; i++ {
		h.keys("x")
		if h.a.curPicker() == nil {
			t.Fatal("no signal picker")
		}
		for range i { // marked items stay listed (to be taken back)
			h.keys("j")
		}
		h.keys("enter")
		h.typeText("test")
		h.keys("enter")
	}
	if root.Entity.Verdict() != recon.LevelGreen {
		t.Fatalf("verdict still %s after marking: %v", root.Entity.Verdict(), root.Entity.FalsePositives)
	}
	if !has(h.a.View(), "false positive: test") {
		t.Error("false positive not shown")
	}
	// Undo: the marks are listed with ○; enter takes one back.
	h.keys("x")
	if !has(h.a.View(), "○ ") || !has(h.a.View(), "— marked: test") {
		t.Fatalf("marked items not listed:\n%s", h.a.View())
	}
	n := len(root.Entity.FalsePositives)
	h.keys("enter")
	if len(root.Entity.FalsePositives) != n-1 || root.Entity.Verdict() == recon.LevelGreen {
		t.Fatalf("undo: %d marks left of %d, verdict %q", len(root.Entity.FalsePositives), n, root.Entity.Verdict())
	}
}

func TestSaveWritesLoadableFile(t *testing.T) {
	dir := t.TempDir()
	auto := filepath.Join(dir, "autosave.json")
	h := newHarness(t, Options{Target: "nova-parcels.com", AutosavePath: auto})
	if _, err := os.Stat(auto); err != nil {
		t.Fatalf("no autosave after the scan: %v", err)
	}
	h.keys("s")
	if h.a.curPrompt() == nil || h.a.curPrompt().ID != "save" || !strings.HasSuffix(h.a.curPrompt().Input.Value(), ".json") {
		t.Fatal("s did not ask for a path with a suggestion")
	}
	path := filepath.Join(dir, "case.json")
	h.a.curPrompt().Input.SetValue(path)
	h.keys("enter")
	s, err := pivot.Load(path)
	if err != nil {
		t.Fatalf("saved file does not load: %v", err)
	}
	if s.Len() != h.a.s.Len() {
		t.Fatalf("loaded %d nodes, want %d", s.Len(), h.a.s.Len())
	}
	if !h.a.file.saved || !has(h.a.View(), "saved") {
		t.Error("status does not say saved")
	}
	// Reopening the session shows the same tree.
	h2 := newHarness(t, Options{Session: s, SessionPath: path})
	if len(h2.a.tree.Rows()) != len(h.a.tree.Rows()) {
		t.Errorf("reopened tree has %d rows, want %d", len(h2.a.tree.Rows()), len(h.a.tree.Rows()))
	}
}

// TestChangeDuringSave: a save writes the snapshot taken when it began;
// a change made meanwhile applies at once, leaves the session unsaved
// and is saved by the autosave that follows.
func TestChangeDuringSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.json")
	h := newHarness(t, Options{Target: "nova-parcels.com", AutosavePath: path})
	h.keys("g")
	id := h.selected().ID
	cmd := h.a.saveTo(path, true) // a save in flight
	h.typeText("n")
	h.typeText("later")
	h.keys("enter")
	if len(h.a.s.Node(id).Entity.Notes) != 1 {
		t.Fatal("the note waited for the save")
	}
	msg := cmd() // the save writes its snapshot
	if s, err := pivot.Load(path); err != nil || len(s.Node(id).Entity.Notes) != 0 {
		t.Fatalf("the save wrote more than its snapshot (err %v)", err)
	}
	_, next := h.a.Update(msg)
	if h.a.file.saved || h.a.file.saving != 1 || next == nil {
		t.Fatalf("after the save: saved %v, saves in flight %d", h.a.file.saved, h.a.file.saving)
	}
	h.run(next)
	s, err := pivot.Load(path)
	if err != nil || len(s.Node(id).Entity.Notes) != 1 || !h.a.file.saved {
		t.Fatalf("the note was not autosaved (err %v, saved %v)", err, h.a.file.saved)
	}
}

func TestClustersViewJump(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.keys("g", "a")
	if len(h.a.clu.list) == 0 {
		t.Fatal("no cluster after scanning the nova domains")
	}
	if !has(h.a.View(), "◆1") {
		t.Error("no cluster badge in the tree")
	}
	h.keys("c")
	if !h.a.showClusters || !has(h.a.View(), "CLUSTERS") {
		t.Fatal("clusters view not shown")
	}
	h.keys("j", "enter")
	if h.a.showClusters {
		t.Fatal("enter on a member did not jump")
	}
	if h.selected() == nil || !novaDomains[h.selected().Value] {
		t.Fatalf("jumped to %v", h.selected())
	}
}

func TestCopyLinksSourcesExport(t *testing.T) {
	var exported []string
	h := newHarness(t, Options{Target: "nova-parcels.com",
		Sources: func() []recon.SourceStats {
			return []recon.SourceStats{{Service: "crtsh", Requests: 3, RateLimited: 1, LimitedUntil: now.Add(time.Minute)}}
		},
		KeysLoaded: []string{"virustotal"},
		Export: func(f string, s *pivot.Session, p string) error {
			exported = append(exported, f+" "+p)
			return nil
		}})
	h.keys("g", "y")
	if !slices.Equal(h.copied, []string{"nova-parcels.com"}) {
		t.Fatalf("copied %v", h.copied)
	}
	h.keys("o")
	if h.a.curPicker() == nil || !has(h.a.View(), "web.archive.org/web/*/nova-parcels.com") {
		t.Fatalf("no quick links:\n%s", h.a.View())
	}
	h.keys("y")
	if len(h.copied) != 2 || !strings.HasPrefix(h.copied[1], "https://web.archive.org/") {
		t.Fatalf("link not copied: %v", h.copied)
	}
	h.keys("p")
	v := h.a.View()
	if !has(v, "crtsh") || !has(v, "rate-limited until") || !has(v, "virustotal") {
		t.Fatalf("sources panel:\n%s", v)
	}
	h.keys("esc", "e", "j", "enter")
	if h.a.curPrompt() == nil || !strings.HasSuffix(h.a.curPrompt().Input.Value(), ".json") {
		t.Fatal("no export path prompt")
	}
	h.a.curPrompt().Input.SetValue(filepath.Join(t.TempDir(), "x.json"))
	h.keys("enter")
	if len(exported) != 1 || !strings.HasPrefix(exported[0], "json ") {
		t.Fatalf("exported %v", exported)
	}
	h2 := newHarness(t, Options{Target: "nova-parcels.com"})
	h2.keys("e")
	if !has(h2.a.View(), "export not available") {
		t.Error("nil Export not reported")
	}
}

func TestResizeTiny(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
	if !has(h.a.View(), "Terminal too small") {
		t.Fatalf("tiny view:\n%s", h.a.View())
	}
	h.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	lines := strings.Split(h.a.View(), "\n")
	if len(lines) != 36 {
		t.Fatalf("view has %d lines, want 36", len(lines))
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 120 {
			t.Errorf("line %d is %d cells wide", i, w)
		}
	}
}

func TestMouse(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.MouseMsg{X: 5, Y: 3, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if h.a.tree.Cursor() != 2 {
		t.Fatalf("click selected row %d", h.a.tree.Cursor())
	}
	h.send(tea.MouseMsg{X: 5, Y: 1, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	h.send(tea.MouseMsg{X: 80, Y: 3, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if h.a.focus != focusDetail {
		t.Fatal("click on the detail did not focus it")
	}
	h.send(tea.MouseMsg{X: 80, Y: 3, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
	if h.a.detail.YOffset() == 0 {
		t.Error("wheel did not scroll the detail")
	}
}

// TestNoControlBytes checks that no frame carries a control byte: with the
// ASCII profile lipgloss emits no escape sequences, so any ESC, BEL or C1
// byte would come from a hostile network string.
func TestNoControlBytes(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.keys("tab", "G", "tab", "j", "c", "c", "o", "esc", "?", "x")
	h.selectValue("185.220.101.47")
	h.keys("enter")
	h.frames = append(h.frames, h.a.View())
	if !has(strings.Join(h.frames, ""), `\x1b]52`) {
		t.Fatal("hostile TXT record never rendered (escaped); the test would prove nothing")
	}
	for i, f := range h.frames {
		for j, r := range f {
			if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("frame %d has control %U at %d:\n%q", i, r, j, f[max(0, j-40):min(len(f), j+40)])
			}
		}
	}
}

// TestRuneBurst: runes that arrive in one read ("jjj" from key repeat or
// tmux send-keys) are single commands, and a burst that opens the search
// prompt types the rest into it.
func TestRuneBurst(t *testing.T) {
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	if h.a.tree.Cursor() != 3 {
		t.Fatalf("cursor %d after a jjj burst, want 3", h.a.tree.Cursor())
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/nova-tr")})
	if h.a.curPrompt() == nil || h.a.curPrompt().Input.Value() != "nova-tr" {
		t.Fatalf("search prompt after burst: %+v", h.a.curPrompt())
	}
}
