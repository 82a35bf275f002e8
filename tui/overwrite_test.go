package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
)

// saveAt presses s and answers the path prompt with path.
func (h *harness) saveAt(path string) {
	h.t.Helper()
	h.keys("s")
	if h.a.curPrompt() == nil || h.a.curPrompt().ID != "save" {
		h.t.Fatalf("s did not ask for a path")
	}
	h.a.curPrompt().Input.SetValue(path)
	h.keys("enter")
}

// TestSaveAsksBeforeOverwriting: s over an existing file that is not this
// session asks first (n leaves it as it was, y overwrites); over another
// session too; this session's own file needs no question.
func TestSaveAsksBeforeOverwriting(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	orig := []byte("my investigation notes, not a session\n")
	if err := os.WriteFile(notes, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Target: "nova-parcels.com"})
	h.saveAt(notes)
	if h.a.curConfirm() == nil || !strings.Contains(h.a.View(), "exists (a file that is not a session). Overwrite it") {
		t.Fatalf("no question before overwriting; footer:\n%s", h.a.footer())
	}
	h.keys("n")
	if b, _ := os.ReadFile(notes); !bytes.Equal(b, orig) {
		t.Fatalf("n overwrote the file: %q", b)
	}
	if h.a.o.SessionPath != "" || !strings.Contains(h.a.toast.text, "left as it was") {
		t.Fatalf("after n: session path %q, toast %q", h.a.o.SessionPath, h.a.toast.text)
	}
	h.saveAt(notes)
	h.keys("y")
	if _, err := pivot.Load(notes); err != nil {
		t.Fatalf("y did not save the session there: %v", err)
	}
	if h.a.o.SessionPath != notes {
		t.Fatalf("session path %q", h.a.o.SessionPath)
	}
	// Another session file: asked too, and said what it is.
	other := filepath.Join(dir, "other.json")
	if err := pivot.Save(pivot.NewSession(now), other); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, Options{Target: "nova-parcels.com"})
	h2.saveAt(other)
	if h2.a.curConfirm() == nil || !strings.Contains(h2.a.footer(), "exists (a netspecter-tui session)") {
		t.Fatalf("no question before overwriting another session: %s", h2.a.footer())
	}
	h2.keys("esc")
	if s, _ := pivot.Load(other); s == nil || len(s.Roots()) != 0 {
		t.Fatal("esc overwrote the other session")
	}
	// This session's own file: saved without a question.
	own := filepath.Join(dir, "own.json")
	h3 := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: own})
	h3.keys("s")
	if h3.a.curConfirm() != nil || h3.a.curPrompt() != nil {
		t.Fatal("s asked about the session's own file")
	}
	if _, err := pivot.Load(own); err != nil {
		t.Fatal(err)
	}
}

// TestExportAsksBeforeOverwriting: e over an existing file asks; over the
// session's own file it refuses.
func TestExportAsksBeforeOverwriting(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "case.json")
	var exported []string
	h := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: own,
		Export: func(f string, s *pivot.Session, p string) error { exported = append(exported, p); return nil }})
	h.keys("s")
	exportAt := func(path string) {
		h.keys("e", "enter") // md
		if h.a.curPrompt() == nil {
			t.Fatal("no export path prompt")
		}
		h.a.curPrompt().Input.SetValue(path)
		h.keys("enter")
	}
	exportAt(own)
	if len(exported) != 0 || !strings.Contains(h.a.toast.text, "this session's own file") {
		t.Fatalf("export over the session: exported %v, toast %q", exported, h.a.toast.text)
	}
	report := filepath.Join(dir, "report.md")
	os.WriteFile(report, []byte("# old report\n"), 0o600)
	exportAt(report)
	if h.a.curConfirm() == nil || len(exported) != 0 {
		t.Fatalf("no question before overwriting report.md (exported %v)", exported)
	}
	h.keys("y")
	if len(exported) != 1 || exported[0] != report {
		t.Fatalf("exported %v", exported)
	}
}

// TestReadOnlyWhenLocked: a session another workbench holds opens
// read-only: the status bar says so, changes autosave elsewhere and never
// touch the session file, and s refuses the locked path.
func TestReadOnlyWhenLocked(t *testing.T) {
	if !pivot.LockSupported {
		t.Skip("no flock on this OS")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "case.json")
	first := pivot.NewSession(now)
	if err := pivot.Save(first, path); err != nil {
		t.Fatal(err)
	}
	held, err := pivot.LockFile(path) // the first workbench
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	before, _ := os.ReadFile(path)

	_, lerr := pivot.LockFile(path)
	auto := filepath.Join(dir, "autosave.json")
	h := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: path, AutosavePath: auto, ReadOnly: lerr.Error(),
		Lock: func(p string) (func(), error) {
			l, err := pivot.LockFile(p)
			if err != nil {
				return nil, err
			}
			return func() { l.Release() }, nil
		}})
	h.run(h.a.readOnlyNotice())
	if v := h.a.View(); !strings.Contains(v, "READ-ONLY") || !strings.Contains(h.a.toast.text, "is open in another netspecter-tui (pid ") {
		t.Fatalf("read-only not said; toast %q, view:\n%s", h.a.toast.text, v)
	}
	h.keys("n")
	h.typeText("second workbench's note")
	h.keys("enter")
	if b, _ := os.ReadFile(path); !bytes.Equal(b, before) {
		t.Fatal("the read-only workbench wrote the locked session file")
	}
	s, err := pivot.Load(auto)
	if err != nil {
		t.Fatalf("no autosave elsewhere: %v", err)
	}
	if n := s.Node(s.Roots()[0]); len(n.Entity.Notes) != 1 {
		t.Fatalf("autosave notes %+v", n.Entity.Notes)
	}
	h.saveAt(path)
	if !strings.Contains(h.a.toast.text, "not saved") || !strings.Contains(h.a.toast.text, "is open in another") {
		t.Fatalf("s over the locked file: toast %q", h.a.toast.text)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, before) {
		t.Fatal("s wrote the locked session file")
	}
	// Shutdown saves to the autosave file, not the locked one.
	if err := h.a.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, before) {
		t.Fatal("Shutdown wrote the locked session file")
	}
}

// TestQuestionShowsItsAnswerKeys: the question before overwriting a file
// keeps its "y/n" in sight at every width (the question's text is cut, not
// its answer keys), and from 80 columns the file's name and "exists" too:
// a long path is cut at its start.
func TestQuestionShowsItsAnswerKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "an investigation folder with a long name")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("not a session\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{60, 80, 120} {
		h := newHarness(t, Options{Target: "nova-parcels.com"})
		h.send(tea.WindowSizeMsg{Width: w, Height: 24})
		h.saveAt(notes)
		if h.a.curConfirm() == nil {
			t.Fatalf("%d cols: no question before overwriting", w)
		}
		foot := ansi.Strip(h.a.footer())
		if !strings.HasSuffix(foot, " y/n") || ansi.StringWidth(foot) > w {
			t.Errorf("%d cols: the question does not end with its answer keys within the width: %q", w, foot)
		}
		if w >= 80 && !strings.Contains(foot, "/notes.txt exists (a file that is not a session)") {
			t.Errorf("%d cols: the question does not say which file exists: %q", w, foot)
		}
	}
}
