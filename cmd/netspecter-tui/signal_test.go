package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startInPTY runs the workbench in a pseudo-terminal (util-linux script)
// and waits until it has set the terminal up. It returns script's command,
// the workbench's own pid, its output and a channel with script's exit.
func startInPTY(t *testing.T, session string, args ...string) (*exec.Cmd, int, *lockedBuffer, chan error) {
	cmd, pid, out, done, _ := startInPTYKeys(t, session, args...)
	return cmd, pid, out, done
}

// startInPTYKeys is startInPTY that also returns the keyboard (script's
// standard input, forwarded to the pseudo-terminal).
func startInPTYKeys(t *testing.T, session string, args ...string) (*exec.Cmd, int, *lockedBuffer, chan error, io.Writer) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc and util-linux script")
	}
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) not installed")
	}
	dir := filepath.Dir(session)
	line := "stty cols 120 rows 40 2>/dev/null; exec '" + os.Args[0] + "' --demo --latency 1m --session '" + session + "'"
	for _, a := range args {
		line += " '" + a + "'"
	}
	cmd := exec.Command("script", "-qfec", line, "/dev/null")
	cmd.Env = append(os.Environ(), "NETSPECTER_RUN_MAIN=1", "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "TERM=dumb")
	stdin, err := cmd.StdinPipe() // open, never written: no keys
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "\x1b[?1002h") { // mouse mode on: the terminal is set up
		select {
		case err := <-done:
			t.Fatalf("the workbench ended (%v) before it set up the terminal: %q", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no terminal set-up within 30s: %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid := childOf(cmd.Process.Pid)
	if pid == 0 {
		t.Fatal("the workbench process was not found under script")
	}
	return cmd, pid, out, done, stdin
}

// childOf returns the pid of a direct child of parent (script runs the
// workbench with exec, so it is the only one).
func childOf(parent int) int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(parent) {
			return pid
		}
	}
	return 0
}

// TestWorkbenchHangup: SIGHUP ends the workbench process cleanly — the
// alternate screen and mouse mode turned off, exit 0 — and autosaves the
// session, here a target whose scan is still running (so no scan-end
// autosave has happened). Before, SIGHUP killed it with the terminal left
// in the alternate screen and nothing saved.
func TestWorkbenchHangup(t *testing.T) {
	session := filepath.Join(t.TempDir(), "case.json")
	_, pid, out, done := startInPTY(t, session, "nova-parcels.com")
	t0 := time.Now()
	defer func() { t.Logf("ended %v after SIGHUP", time.Since(t0)) }()
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after SIGHUP: %v (want a clean exit 0); output tail %q", err, tail(out.String()))
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the workbench did not end within 15s of SIGHUP")
	}
	o := out.String()
	for what, seq := range map[string]string{"alternate screen": "\x1b[?1049l", "mouse mode": "\x1b[?1002l"} {
		if i, j := strings.LastIndex(o, seq), strings.LastIndex(o, strings.TrimSuffix(seq, "l")+"h"); i < 0 || i < j {
			t.Errorf("%s not restored: tail %q", what, tail(o))
		}
	}
	s, err := pivot.Load(session)
	if err != nil {
		t.Fatalf("no autosave on SIGHUP: %v", err)
	}
	if len(s.Roots()) != 1 || s.Node(s.Roots()[0]).Value != "nova-parcels.com" {
		t.Fatalf("autosaved roots %v", s.Roots())
	}
}

// TestWorkbenchTerminalGone: the terminal itself goes away (script, which
// holds the pseudo-terminal, is killed: the kernel hangs the terminal up
// and sends SIGHUP): the workbench still autosaves and exits.
func TestWorkbenchTerminalGone(t *testing.T) {
	session := filepath.Join(t.TempDir(), "case.json")
	cmd, pid, _, _ := startInPTY(t, session, "nova-parcels.com")
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the workbench still runs 15s after its terminal went away")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s, err := pivot.Load(session)
	if err != nil {
		t.Fatalf("no autosave when the terminal went away: %v", err)
	}
	if len(s.Roots()) != 1 {
		t.Fatalf("autosaved roots %v", s.Roots())
	}
}

func tail(s string) string { return s[max(0, len(s)-1500):] }

// waitFor waits until the output holds want.
func waitFor(t *testing.T, out *lockedBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within 20s; output tail %q", want, tail(out.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTwoWorkbenchesOneSession: two workbenches on one --session. The first
// holds the lock and writes the file; the second opens it read-only, says
// so, and what it adds goes to its own autosave file: the first one's note
// is never lost (before, both said "saved" and the last save won).
func TestTwoWorkbenchesOneSession(t *testing.T) {
	session := filepath.Join(t.TempDir(), "case.json")
	_, pid1, out1, done1, keys1 := startInPTYKeys(t, session, "nova-parcels.com")
	waitFor(t, out1, "nova-parcels.com")
	io.WriteString(keys1, "nfirst workbench note\r")
	waitFor(t, out1, "note added")

	_, pid2, out2, done2, keys2 := startInPTYKeys(t, session, "nova-parcels.com")
	waitFor(t, out2, "READ-ONLY")
	waitFor(t, out2, "is open in another netspecter-tui (pid ")
	io.WriteString(keys2, "+meridian-freight.com\r") // a second root, added in the read-only workbench
	waitFor(t, out2, "meridian-freight.com")

	for _, p := range []struct {
		pid  int
		done chan error
	}{{pid2, done2}, {pid1, done1}} {
		if err := syscall.Kill(p.pid, syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-p.done:
			if err != nil {
				t.Fatalf("exit: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("a workbench did not end on SIGHUP")
		}
	}
	b, err := os.ReadFile(session)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("first workbench note")) || bytes.Contains(b, []byte("meridian-freight.com")) {
		t.Fatalf("the session file should hold the first workbench's note and not the second's root:\n%.2000s", b)
	}
	autos, _ := filepath.Glob(filepath.Join(filepath.Dir(session), "netspecter-tui", "autosave-*.json"))
	found := false
	for _, a := range autos {
		if b, _ := os.ReadFile(a); bytes.Contains(b, []byte("meridian-freight.com")) {
			found = true
		}
	}
	if !found {
		t.Fatalf("the second workbench's root is in no autosave file (%v)", autos)
	}
}

// TestWorkbenchDamagedReport: a session file whose tree reads but one of
// whose reports does not decode: the workbench (which draws the tree while
// the reports decode) ends, restores the terminal, says why in the words
// of Load's error with the file name, exits 1, and leaves the file as it was.
func TestWorkbenchDamagedReport(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) not installed")
	}
	demo, err := os.ReadFile("../../export/testdata/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(demo, []byte(`"level": "red"`))
	data := append(append(bytes.Clone(demo[:i]), `"level": "mauve"`...), demo[i+len(`"level": "red"`):]...)
	dir := t.TempDir()
	session := filepath.Join(dir, "case.json")
	if err := os.WriteFile(session, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("script", "-qfec", "stty cols 120 rows 40 2>/dev/null; exec '"+os.Args[0]+"' --demo --session '"+session+"'", "/dev/null")
	cmd.Env = append(os.Environ(), "NETSPECTER_RUN_MAIN=1", "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "TERM=dumb")
	stdin, err := cmd.StdinPipe() // open, never written: no keys
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the workbench did not end on a damaged report: %q", tail(out.String()))
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitError {
		t.Errorf("exit: %v, want code %d", err, exitError)
	}
	got := out.String()
	for _, want := range []string{"cannot reopen", "case.json", `level "mauve"`, "the file was not changed"} {
		if !strings.Contains(got, want) {
			t.Errorf("the output does not say %q: %q", want, tail(got))
		}
	}
	if after, _ := os.ReadFile(session); !bytes.Equal(after, data) {
		t.Error("the damaged file was written")
	}
}
