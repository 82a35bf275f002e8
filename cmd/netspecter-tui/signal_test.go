package main

import (
	"bytes"
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
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc and util-linux script")
	}
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) not installed")
	}
	dir := filepath.Dir(session)
	line := "exec '" + os.Args[0] + "' --demo --latency 1m --session '" + session + "'"
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
	return cmd, pid, out, done
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

func tail(s string) string { return s[max(0, len(s)-300):] }
