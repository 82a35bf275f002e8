package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/internal/sessiongen"
	"github.com/netspecter/netspecter-tui/pivot"
)

// TestExportRefusesToOverwriteSessions: export -o never replaces the
// session it reads or another session file (exit 2, the file unchanged)
// unless --force; any other file is replaced.
func TestExportRefusesToOverwriteSessions(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "case.json")
	other := filepath.Join(dir, "other.json")
	for _, p := range []string{in, other} {
		if err := pivot.Save(sessiongen.Build(sessiongen.DefaultOptions(300)), p); err != nil {
			t.Fatal(err)
		}
	}
	report := filepath.Join(dir, "case.md")
	if err := os.WriteFile(report, []byte("old report\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, out string
		force     bool
		code      int
		stderr    string
		replaced  bool
	}{
		{"over its input", in, false, exitUsage, "it is the session being exported", false},
		{"over another session", other, false, exitUsage, "it is a netspecter-tui session file", false},
		{"over an old report", report, false, exitOK, "", true},
		{"over another session with --force", other, true, exitOK, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.out)
			args := []string{"export", "--format", "md", "-o", tt.out, in}
			if tt.force {
				args = append(args, "--force")
			}
			_, stderr, code := cli(t, args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d with %q", code, stderr, tt.code, tt.stderr)
			}
			after, _ := os.ReadFile(tt.out)
			if replaced := string(after) != string(before); replaced != tt.replaced {
				t.Errorf("file replaced: %v, want %v", replaced, tt.replaced)
			}
			if tt.replaced && !strings.HasPrefix(string(after), "# NetSpecter investigation report") {
				t.Errorf("not the report: %.60q", after)
			}
		})
	}
}
