package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// TestHoldGC: opening a session file holds the collector back (GOGC off,
// under a soft memory limit) and release restores both settings; a file
// over holdGCUpTo, a missing file, or a GOGC/GOMEMLIMIT the user set leave
// them alone.
func TestHoldGC(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(holdGCUpTo + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	tests := []struct {
		name, path, env string
		held            bool
	}{
		{"a session file", small, "", true},
		{"a file over the bound", big, "", false},
		{"no file yet", filepath.Join(dir, "new.json"), "", false},
		{"GOGC set", small, "GOGC", false},
		{"GOMEMLIMIT set", small, "GOMEMLIMIT", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv(tt.env, "100")
			}
			pct := debug.SetGCPercent(100)
			defer debug.SetGCPercent(pct)
			release := holdGC(tt.path)
			now := debug.SetGCPercent(-1)
			debug.SetGCPercent(now)
			limit := debug.SetMemoryLimit(-1)
			if held := now < 0 && limit == openMemoryLimit; held != tt.held {
				t.Fatalf("held: GOGC %d, limit %d; want held %v", now, limit, tt.held)
			}
			release()
			release() // twice is harmless
			if got := debug.SetGCPercent(100); got != 100 {
				t.Errorf("GOGC after release: %d, want 100", got)
			}
			if got := debug.SetMemoryLimit(-1); got == openMemoryLimit {
				t.Error("the memory limit stayed after release")
			}
		})
	}
}
