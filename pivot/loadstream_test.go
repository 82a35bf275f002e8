package pivot

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadStreamsLikeUnmarshal: the streaming decoder of Load builds the
// same session as Unmarshal, and a file it cannot stream still loads (or
// fails) exactly as Unmarshal says.
func TestLoadStreamsLikeUnmarshal(t *testing.T) {
	big, err := Marshal(bigSession(1500))
	if err != nil {
		t.Fatal(err)
	}
	reordered := []byte(`{"nodes": [{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "relation": "", "notes": []}],
		"version": 3, "created": "2026-11-20T10:00:00Z", "updated": "2026-11-20T10:00:00Z"}`)
	tests := []struct {
		name    string
		data    []byte
		streams bool
	}{
		{"a big current file", big, true},
		{"a version-2 file", []byte(v2File), true},
		{"nodes before the version", reordered, false},
		{"truncated", big[:len(big)/2], false},
		{"not a session", []byte(`{"target": "x"}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, werr := Unmarshal(tt.data)
			_, serr := loadStream(bufio.NewReader(bytes.NewReader(tt.data)))
			if (serr == nil) != tt.streams {
				t.Errorf("streamed: %v (err %v), want %v", serr == nil, serr, tt.streams)
			}
			path := filepath.Join(t.TempDir(), "case.json")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, gerr := Load(path)
			if werr != nil {
				if gerr == nil || !errors.Is(gerr, errors.Unwrap(werr)) && gerr.Error() != "pivot: "+path+": "+werr.Error() {
					t.Fatalf("Load: %v; Unmarshal: %v", gerr, werr)
				}
				return
			}
			if gerr != nil {
				t.Fatalf("Load: %v", gerr)
			}
			a, _ := Marshal(want)
			b, _ := Marshal(got)
			if !bytes.Equal(a, b) {
				t.Fatal("Load and Unmarshal built different sessions")
			}
		})
	}
}
