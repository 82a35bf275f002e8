package tui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
)

// syncBuffer is an io.Writer the program and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSignalRestoresTerminalAndSaves: SIGHUP (the terminal closed, SSH
// dropped), SIGTERM and SIGINT end the workbench as q does — alternate
// screen left, mouse reporting off — and the session, with a note added
// while a save was running, is saved.
func TestSignalRestoresTerminalAndSaves(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			w := &world{block: make(chan struct{})} // the scan never finishes
			path := filepath.Join(t.TempDir(), "case.json")
			a := New(Options{Scan: w.scan, SessionPath: path, Target: "nova-parcels.com", Now: func() time.Time { return now }})
			in, inW := io.Pipe() // no keys, never EOF
			defer inW.Close()
			out := &syncBuffer{}
			sigs := make(chan os.Signal, 1)
			errc := make(chan error, 1)
			go func() {
				errc <- a.run(sigs, tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen(), tea.WithMouseCellMotion())
			}()
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(out.String(), "\x1b[?1002h") { // mouse mode on: the terminal is set up
				if time.Now().After(deadline) {
					t.Fatalf("no first frame; output %q", out.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			sigs <- sig
			select {
			case err := <-errc:
				if err != nil {
					t.Fatalf("run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the workbench did not end on " + sig.String())
			}
			o := out.String()
			for what, seq := range map[string]string{"alternate screen left": "\x1b[?1049l", "mouse cell motion off": "\x1b[?1002l", "cursor shown": "\x1b[?25h"} {
				if !strings.Contains(o, seq) {
					t.Errorf("%s: %q missing from the output tail %q", what, seq, o[max(0, len(o)-200):])
				}
			}
			s, err := pivot.Load(path)
			if err != nil {
				t.Fatalf("no session saved on %s: %v", sig, err)
			}
			if len(s.Roots()) != 1 || s.Node(s.Roots()[0]).Value != "nova-parcels.com" {
				t.Fatalf("saved session roots %v", s.Roots())
			}
		})
	}
}

// TestShutdownSavesChangesMadeDuringSave: a note added while a save was
// writing an earlier snapshot is in the file once Shutdown has waited for
// that save and saved again (the older snapshot never lands last).
func TestShutdownSavesChangesMadeDuringSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.json")
	h := newHarness(t, Options{Target: "nova-parcels.com", SessionPath: path})
	cmd := h.a.saveTo(path, true) // a save in flight
	h.a.s.AddNote(h.a.s.Roots()[0], "late note", now)
	h.a.changed()
	done := make(chan struct{})
	go func() { cmd(); close(done) }() // the save finishes; its message is never handled
	if err := h.a.Shutdown(); err != nil {
		t.Fatal(err)
	}
	<-done
	s, err := pivot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e := s.Node(s.Roots()[0]).Entity
	if len(e.Notes) != 1 || e.Notes[0].Text != "late note" {
		t.Fatalf("notes %+v", e.Notes)
	}
}
