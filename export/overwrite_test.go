package export

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
)

func TestCheckOutput(t *testing.T) {
	dir := t.TempDir()
	session := filepath.Join(dir, "case.json")
	if err := pivot.Save(demoSession(), session); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other-case.json")
	if err := pivot.Save(smallSession(), other); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(session, link); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "case.md")
	if err := os.WriteFile(report, []byte("# an old report\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	scanJSON := filepath.Join(dir, "scan.json")
	if err := os.WriteFile(scanJSON, []byte(`{"target": "x", "version": 1, "modules": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, out string
		refuse    bool
	}{
		{"the input itself", session, true},
		{"the input through a link", link, true},
		{"another session", other, true},
		{"an older report", report, false},
		{"JSON that is not a session", scanJSON, false},
		{"a new file", filepath.Join(dir, "new.md"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckOutput(tt.out, session)
			if got := errors.Is(err, ErrWouldOverwrite); got != tt.refuse {
				t.Fatalf("CheckOutput(%s) = %v, want refuse %v", tt.out, err, tt.refuse)
			}
		})
	}
}
