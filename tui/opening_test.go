package tui

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
)

// openingHarness is a workbench opening the session file at path, its
// reports not yet put in place (Init's wait is not run).
func openingHarness(t *testing.T, path string, o Options) (*harness, *pivot.Opening) {
	t.Helper()
	op, err := pivot.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o.Opening = op
	o.SessionPath = path
	w := &world{}
	o.Scan, o.Now = w.scan, func() time.Time { return now }
	h := &harness{t: t, w: w}
	h.a = New(o)
	h.a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	h.a.seam.blink = false
	h.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	return h, op
}

// copyFile copies src into a temporary folder and returns the copy's path.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpeningDrawsTheTreeFirst: a reopened session shows its tree before
// its reports are in place; meanwhile the detail pane says they are being
// read (never a node without its verdict or shared values), moving works,
// a command key waits and runs once they are in place, and the frame is
// then the one Load would have given.
func TestOpeningDrawsTheTreeFirst(t *testing.T) {
	path := copyFile(t, "../export/testdata/demo.json")
	h, op := openingHarness(t, path, Options{})
	frame := ansi.Strip(h.a.View())
	root := h.a.s.Node(h.a.s.Roots()[0])
	if !strings.Contains(frame, root.Value) {
		t.Fatalf("the first frame does not show the tree's root %s:\n%s", root.Value, frame)
	}
	if !strings.Contains(frame, "Reading the reports from the session file") {
		t.Fatalf("the detail pane does not say the reports are being read:\n%s", frame)
	}
	for _, lie := range []string{"Not scanned", "not scanned", "no clusters", "No clusters"} {
		if strings.Contains(frame, lie) {
			t.Errorf("while reading, the frame says %q:\n%s", lie, frame)
		}
	}
	if len(h.a.clu.list) != 0 || !h.a.opening() {
		t.Fatal("clusters computed from a session without its reports")
	}
	h.keys("down")
	moved := h.a.tree.SelectedID()
	if moved == root.ID {
		t.Fatal("down did not move while the reports were read")
	}
	h.keys("c")
	if h.a.showClusters {
		t.Fatal("c opened the clusters before the reports were in place")
	}
	if !strings.Contains(h.a.toast.text, "runs once the reports are read") {
		t.Errorf("toast %q does not say c waits", h.a.toast.text)
	}
	<-op.Done()
	h.run(h.a.awaitReports())
	if h.a.opening() {
		t.Fatal("the reports were not put in place")
	}
	if !h.a.showClusters {
		t.Error("the c pressed while reading did not run once the reports were in place")
	}
	if h.a.tree.SelectedID() != moved {
		t.Error("the cursor moved when the reports came in")
	}
	if got := ansi.Strip(h.a.View()); strings.Contains(got, "Reading the reports") {
		t.Fatalf("still reading once the reports are in place:\n%s", got)
	}

	// The same keys on the session Load gives draw the same frame.
	s, err := pivot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ref := newHarness(t, Options{Session: s, SessionPath: path})
	ref.keys("down", "c")
	h.a.toast.text, ref.a.toast.text = "", ""
	if a, b := ansi.Strip(h.a.View()), ansi.Strip(ref.a.View()); a != b {
		t.Errorf("opened frame differs from the loaded one:\n%s\n---\n%s", a, b)
	}
}

// TestOpeningNeverSaves: quitting (q, a signal) before the reports are in
// place leaves the file as it was: a session without its reports is never
// written over it.
func TestOpeningNeverSaves(t *testing.T) {
	path := copyFile(t, "../export/testdata/demo.json")
	before, _ := os.ReadFile(path)
	h, _ := openingHarness(t, path, Options{})
	h.a.signalled = os.Interrupt // a signal always saves a loaded session
	h.keys("q")
	if !h.quit {
		t.Fatal("q did not quit while the reports were read")
	}
	if err := h.a.Shutdown(); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("the file was written while its reports were being read")
	}
	if _, err := pivot.Marshal(h.a.s.Snapshot()); !errors.Is(err, pivot.ErrOpening) {
		t.Fatalf("Marshal of a half-read session: %v, want ErrOpening", err)
	}
}

// TestOpeningDamagedReport: a file whose tree reads but one of whose
// reports does not decode ends the workbench with the error Load gives,
// and the file is left as it was; nothing was scanned into it.
func TestOpeningDamagedReport(t *testing.T) {
	demo, err := os.ReadFile("../export/testdata/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new string }{
		{"an unknown level", `"level": "red"`, `"level": "purple\u001b]0;x\u0007"`},
		{"a status of the wrong type", `"status": "ok"`, `"status": 7`},
		{"a report cut short", `"status": "ok"`, `"status": "ok", "facts": {]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := bytes.LastIndex(demo, []byte(tc.old)) // in the last report: the tree reads first
			data := slices.Concat(demo[:i], []byte(tc.new), demo[i+len(tc.old):])
			path := filepath.Join(t.TempDir(), "case.json")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, lerr := pivot.Load(path)
			if lerr == nil {
				t.Fatal("Load accepted the damaged file")
			}
			h, op := openingHarness(t, path, Options{Target: "nova-parcels.com"})
			if !h.a.opening() {
				t.Fatal("the tree did not open first")
			}
			<-op.Done()
			h.run(h.a.awaitReports())
			if !h.quit {
				t.Fatal("a damaged report did not end the workbench")
			}
			err := h.a.Shutdown()
			var oe *OpenError
			if !errors.As(err, &oe) || oe.Err.Error() != lerr.Error() {
				t.Fatalf("Shutdown: %v, want the OpenError %v", err, lerr)
			}
			if !errors.Is(err, pivot.ErrCorrupt) {
				t.Errorf("%v is not ErrCorrupt", err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(data, after) {
				t.Fatal("the damaged file was written")
			}
			if len(h.w.calls) != 0 {
				t.Errorf("the target was scanned into a session that did not open: %v", h.w.calls)
			}
		})
	}
}

// TestOpeningHeldKeysAndTarget: a target given on the command line is
// scanned once the reports are in place, not into the half-read session;
// keys held while a dialog opened meanwhile are not typed into it.
func TestOpeningHeldKeysAndTarget(t *testing.T) {
	path := copyFile(t, "../export/testdata/demo.json")
	h, op := openingHarness(t, path, Options{Target: "fresh-target.com"})
	if len(h.w.calls) != 0 || h.a.s.Entity(pivot.KeyOf("domain", "fresh-target.com")) != nil {
		t.Fatal("the target was added before the reports were in place")
	}
	h.keys("c", "?")
	if h.a.overlay == nil {
		t.Fatal("? did not open the help while reading")
	}
	<-op.Done()
	h.run(h.a.awaitReports())
	if h.a.showClusters {
		t.Error("c ran into the workbench behind the help dialog")
	}
	if !strings.Contains(h.a.toast.text, "c not run") {
		t.Errorf("toast %q does not say c was not run", h.a.toast.text)
	}
	if h.a.s.Entity(pivot.KeyOf("domain", "fresh-target.com")) == nil {
		t.Error("the target was not added once the reports were in place")
	}
}

// TestOpeningReportsBeforeSize: reports decoded before the terminal's size
// came are put in place after the first frame, which shows the tree (the
// first frame is not held back by them).
func TestOpeningReportsBeforeSize(t *testing.T) {
	path := copyFile(t, "../export/testdata/demo.json")
	op, err := pivot.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{}
	h := &harness{t: t, w: w}
	h.a = New(Options{Opening: op, SessionPath: path, Scan: w.scan, Now: func() time.Time { return now }})
	h.a.seam.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	<-op.Done()
	h.a.Update(reportsReadMsg{}) // before any size
	if !h.a.opening() {
		t.Fatal("the reports were put in place before the first frame")
	}
	_, cmd := h.a.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	if frame := ansi.Strip(h.a.View()); !strings.Contains(frame, "Reading the reports") {
		t.Fatalf("the first frame is not the tree while reading:\n%s", frame)
	}
	h.run(cmd)
	if h.a.opening() {
		t.Fatal("the reports were not put in place after the first frame")
	}
	h.send(reportsReadMsg{}) // a late duplicate changes nothing
	if h.quit || h.a.reading.err != nil {
		t.Fatal("a second reportsReadMsg ended the workbench")
	}
}
