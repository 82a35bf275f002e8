package pivot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestOpenFinishesLikeLoad: Open then Finish gives what Load gives — the
// same session, or the same error, early (a damaged tree, a file that does
// not stream) or at Finish (a damaged report) — and until Finish the
// session has its whole tree, no reports, and cannot be written.
func TestOpenFinishesLikeLoad(t *testing.T) {
	big := mustMarshal(t, bigSession(300))
	reordered := []byte(`{"nodes": [{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "relation": "", "notes": []}],
		"version": 3, "created": "2026-11-20T10:00:00Z", "updated": "2026-11-20T10:00:00Z"}`)
	i := bytes.LastIndex(big, []byte(`"level": "`))
	badLevel := append(append(bytes.Clone(big[:i]), `"level": "mauve", "x": "`...), big[i+len(`"level": "`):]...)
	tests := []struct {
		name        string
		data        []byte
		early, late bool // an error from Open; from Finish
	}{
		{"a current file", big, false, false},
		{"a version-2 file", []byte(v2File), false, false},
		{"nodes before the version (read whole)", reordered, false, false},
		{"truncated", big[:len(big)/2], true, false},
		{"a damaged report", badLevel, false, true},
		{"crafted escapes", must(os.ReadFile("../testdata/sessions/escapes.json")), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "case.json")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			want, werr := Load(path)
			o, err := Open(path)
			if tt.early {
				if err == nil || werr == nil || err.Error() != werr.Error() {
					t.Fatalf("Open: %v; Load: %v", err, werr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v (Load: %v)", err, werr)
			}
			tree := o.Session()
			if o.l != nil {
				if _, err := Marshal(tree); !errors.Is(err, ErrOpening) {
					t.Errorf("Marshal while opening: %v, want ErrOpening", err)
				}
				if _, err := Marshal(tree.Snapshot()); !errors.Is(err, ErrOpening) {
					t.Errorf("Marshal of a snapshot while opening: %v, want ErrOpening", err)
				}
				for _, e := range tree.Entities() {
					if e.Scan != nil {
						t.Fatalf("%s has its report before Finish", e.Value)
					}
				}
				if werr == nil && tree.Len() != want.Len() {
					t.Errorf("the tree has %d nodes, the file %d", tree.Len(), want.Len())
				}
			}
			got, gerr := o.Finish()
			if tt.late {
				if gerr == nil || werr == nil || gerr.Error() != werr.Error() {
					t.Fatalf("Finish: %v; Load: %v", gerr, werr)
				}
				if _, again := o.Finish(); again == nil || again.Error() != gerr.Error() {
					t.Errorf("a second Finish: %v", again)
				}
				return
			}
			if gerr != nil || werr != nil {
				t.Fatalf("Finish: %v; Load: %v", gerr, werr)
			}
			if got != tree {
				t.Error("Finish returned another session than the tree it drew")
			}
			if a, b := mustMarshal(t, want), mustMarshal(t, got); !bytes.Equal(a, b) {
				t.Fatalf("Open+Finish and Load built different sessions:\n%s", firstDiff(a, b))
			}
			if again, err := o.Finish(); again != got || err != nil {
				t.Errorf("a second Finish: %p %v, want %p", again, err, got)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestOpenLeavesNoWorkers: a file whose stream fails after some reports
// (it is then read whole) and a file that opens on one processor leave no
// decoding goroutine behind and give Load's result.
func TestOpenLeavesNoWorkers(t *testing.T) {
	big := mustMarshal(t, bigSession(300))
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.json")
	whole := filepath.Join(dir, "whole.json")
	if err := os.WriteFile(truncated, big[:len(big)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(whole, big, 0o600); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for _, treeFirst := range []bool{true, false} {
		if _, err := open(truncated, treeFirst); err == nil {
			t.Fatal("a truncated file opened")
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	o, err := Open(whole)
	if err != nil {
		t.Fatal(err)
	}
	s, err := o.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustMarshal(t, s), big; !bytes.Equal(a, b) {
		t.Fatalf("one processor built another session:\n%s", firstDiff(b, a))
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines left behind (%d before)", n-before, before)
	}
}
