package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
)

// TestMain lets a test re-run this binary as the real command
// (NETSPECTER_RUN_MAIN=1), so process-level behaviour is tested without a
// separate build.
func TestMain(m *testing.M) {
	if os.Getenv("NETSPECTER_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestKillLeavesLoadableSession: SIGKILL in the middle of an investigation
// leaves the last autosaved session on disk, loadable (saves are atomic).
func TestKillLeavesLoadableSession(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "case.json")
	cmd := exec.Command(os.Args[0], "investigate", "--demo", "--latency", "150ms", "--depth", "3",
		"--follow", "san,ip,ns,mx,ptr", "--concurrency", "2", "-o", out, "nova-parcels.com")
	cmd.Env = append(os.Environ(), "NETSPECTER_RUN_MAIN=1", "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Wait for the first autosave, then kill while scans are still running.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(out); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("investigation ended (%v) before it autosaved", err)
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("no autosave within 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-done
	s, err := pivot.Load(out)
	if err != nil {
		t.Fatalf("the autosaved session does not load after SIGKILL: %v", err)
	}
	scanned := 0
	for _, e := range s.Entities() {
		if e.Scan != nil {
			scanned++
		}
	}
	if scanned == 0 {
		t.Fatal("the autosave holds no scan")
	}
	t.Logf("after SIGKILL: %d nodes, %d scans saved", s.Len(), scanned)
}

// TestInterruptWritesSession: Ctrl-C (SIGINT) stops the investigation,
// waits for scans in flight and still writes what was found.
func TestInterruptWritesSession(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "case.json")
	cmd := exec.Command(os.Args[0], "investigate", "--demo", "--latency", "150ms", "--depth", "3",
		"--follow", "san,ip,ns,mx,ptr", "--concurrency", "2", "-o", out, "nova-parcels.com")
	cmd.Env = append(os.Environ(), "NETSPECTER_RUN_MAIN=1", "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(out); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("no autosave within 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v, want code %d", err, exitInterrupted)
	}
	if !strings.Contains(stderr.String(), "interrupted: saved") {
		t.Fatalf("stderr %q", stderr.String())
	}
	if _, err := pivot.Load(out); err != nil {
		t.Fatalf("session after Ctrl-C: %v", err)
	}
}
