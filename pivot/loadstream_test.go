package pivot

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
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

// sameAsUnmarshal fails t unless loadStream of b fails, or gives the
// session Unmarshal gives (Unmarshal is the strict reference: the fast
// path must accept nothing it refuses).
func sameAsUnmarshal(t *testing.T, b []byte) (streamed bool) {
	t.Helper()
	got, serr := loadStream(bytes.NewReader(b))
	// The same through a buffer refilled a few bytes at a time: records,
	// strings and scans cut across refills.
	small, cerr := loadStreamChunks(iotest.OneByteReader(bytes.NewReader(b)), 5+len(b)%13)
	if (serr == nil) != (cerr == nil) {
		t.Fatalf("whole: %v; in small chunks: %v", serr, cerr)
	}
	if serr != nil {
		return false
	}
	if x, y := mustMarshal(t, got), mustMarshal(t, small); !bytes.Equal(x, y) {
		t.Fatalf("small chunks built another session:\n%s", firstDiff(x, y))
	}
	want, err := Unmarshal(b)
	if err != nil {
		t.Fatalf("the stream loaded what Unmarshal refuses (%v):\n%s", err, b)
	}
	g, gerr := Marshal(got)
	w, werr := Marshal(want)
	if (gerr == nil) != (werr == nil) || !bytes.Equal(g, w) {
		t.Fatalf("the stream and Unmarshal built different sessions from\n%s\n%s", b, firstDiff(w, g))
	}
	return true
}

// TestLoadStreamMutations: files damaged a byte at a time, and records of
// unusual shapes (keys in another case, repeated keys, escapes, null
// values, invalid UTF-8), load through the stream exactly as through
// Unmarshal, or not at all.
func TestLoadStreamMutations(t *testing.T) {
	good, err := Marshal(richSession(t))
	if err != nil {
		t.Fatal(err)
	}
	small := []byte(`{"version": 3, "created": "2026-11-20T10:00:00Z", "updated": "2026-11-20T10:00:00Z", "nodes": [` +
		`{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "relation": "", "notes": [], "state": "done", "scanned_at": "2026-11-20T10:00:00Z", ` +
		`"scan": {"target": {"kind": "domain", "value": "a.example"}, "modules": {"dns": {"status": "ok", "facts": {"a": ["192.0.2.1"]}, "signals": [], "pivots": [{"kind": "ip", "value": "192.0.2.1", "relation": "A"}]}}, "assessment": {"level": "green", "signals": []}}},` +
		`{"id": "n2", "kind": "ip", "value": "192.0.2.1", "parent": "n1", "relation": "A", "notes": [{"text": "x", "at": "2026-11-20T10:00:00Z"}], "tags": ["t"]}]}`)
	odd := []string{
		`{"ID": "n1", "kind": "domain", "value": "a.example", "parent": null, "notes": []}`,
		`{"id": "n1", "id": "n2", "kind": "domain", "value": "a.example", "parent": null, "notes": []}`,
		`{"id": "n\u0031", "kind": "dom\u0061in", "value": "a\u00e9.example", "parent": null, "notes": []}`,
		"{\"id\": \"n1\", \"kind\": \"domain\", \"value\": \"a\xff.example\", \"parent\": null, \"notes\": []}",
		`{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "notes": null, "scan": null, "tags": null, "first_seen": null}`,
		`{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "notes": [], "extra": {"a": [1, 2]}}`,
		`{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "notes": [], "scan": {"target": {"kind": "domain", "value": "a.example"}, "modules": {}} }`,
		`{"id": "n1", "kind": "domain", "value": "a.example", "parent": 5, "notes": []}`,
		`{"id": "n1", "kind": "domain", "value": "a.example", "parent": null, "notes": "x"}`,
		`{"id": "n1", "kind": "domain", "value": "a\"b\\\\", "parent": null, "notes": []}`,
		`{}`,
		`[]`,
	}
	for i, rec := range odd {
		b := []byte(`{"version": 3, "created": "2026-11-20T10:00:00Z", "updated": "2026-11-20T10:00:00Z", "nodes": [` + rec + `]}`)
		t.Run(fmt.Sprintf("odd record %d", i), func(t *testing.T) { sameAsUnmarshal(t, b) })
	}
	rng := rand.New(rand.NewPCG(17, 1))
	marks := []byte(`{}[]",:\ 0an-`)
	for _, base := range [][]byte{good, small, []byte(v1File), []byte(v2File)} {
		if !sameAsUnmarshal(t, base) {
			t.Fatalf("a good file did not stream:\n%s", base)
		}
		for range 600 {
			b := bytes.Clone(base)
			i := rng.IntN(len(b))
			switch rng.IntN(4) {
			case 0: // delete a byte
				b = append(b[:i], b[i+1:]...)
			case 1: // insert a structural byte
				b = append(b[:i], append([]byte{marks[rng.IntN(len(marks))]}, b[i:]...)...)
			case 2: // replace a byte
				b[i] = marks[rng.IntN(len(marks))]
			case 3: // change a letter's case (keys match case-insensitively)
				b[i] ^= 0x20
			}
			sameAsUnmarshal(t, b)
		}
	}
}

func FuzzLoadStream(f *testing.F) {
	good, _ := Marshal(richSession(f))
	f.Add(good)
	f.Add([]byte(v1File))
	f.Add([]byte(v2File))
	f.Fuzz(func(t *testing.T, b []byte) { sameAsUnmarshal(t, b) })
}

func mustMarshal(t *testing.T, s *Session) []byte {
	t.Helper()
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
