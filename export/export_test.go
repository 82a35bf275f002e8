package export

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t *testing.T, format string, s *pivot.Session) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, s, fixedAt); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

// noControl fails when out holds a control byte other than newline: a
// terminal escape must never reach the reader of an export.
func noControl(t *testing.T, format string, out []byte) {
	t.Helper()
	for _, r := range []rune{'\u202e', '\u202d', '\u2066', '\u200f', '\u009b'} {
		if bytes.ContainsRune(out, r) {
			t.Fatalf("%s: bidi/C1 control %U in the output", format, r)
		}
	}
	for i, c := range out {
		if (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("%s: control byte %#x at offset %d: %q", format, c, i, out[max(0, i-40):min(len(out), i+40)])
		}
	}
}

var goldenName = map[string]string{
	"md": "demo.md", "json": "demo.json", "csv": "demo.csv", "dot": "demo.dot", "mermaid": "demo.mmd", "stix": "demo.stix.json",
}

func TestGolden(t *testing.T) {
	for _, f := range Formats {
		t.Run(f, func(t *testing.T) {
			got := render(t, f, demoSession())
			path := filepath.Join("testdata", goldenName[f])
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./export/ -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from %s; run go test ./export/ -update and review the diff", f, path)
			}
			if again := render(t, f, demoSession()); !bytes.Equal(got, again) {
				t.Fatalf("%s: two exports of the same session differ", f)
			}
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "pdf", demoSession(), fixedAt)
	if !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("err = %v, want ErrUnknownFormat", err)
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list format %s", err, f)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes for an unknown format", buf.Len())
	}
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "x.pdf"), "pdf", demoSession(), fixedAt); !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("WriteFile err = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("unknown format left files: %v", ents)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := demoSession()
	if err := WriteFile(path, "md", s, fixedAt); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := render(t, "md", s); !bytes.Equal(got, want) {
		t.Fatal("file content differs from Write's output")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("temporary files left behind: %v", ents)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "r.md"), "md", s, fixedAt); err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
}

func TestEmptySession(t *testing.T) {
	s := pivot.NewSession(t0)
	for _, f := range Formats {
		out := render(t, f, s)
		if len(out) == 0 {
			t.Errorf("%s: empty output for an empty session", f)
		}
		noControl(t, f, out)
	}
	if err := Write(&bytes.Buffer{}, "md", nil, fixedAt); err == nil {
		t.Error("nil session: no error")
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nova-parcels.com", "nova-parcels.com"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"", ""},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := neutralise(tt.in); got != tt.want {
			t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFence(t *testing.T) {
	tests := []struct{ body, want string }{
		{"plain", "```"},
		{"a ``` b", "````"},
		{"`````", "``````"},
		{"`x` ``y``", "```"},
	}
	for _, tt := range tests {
		if got := fence(tt.body); got != tt.want {
			t.Errorf("fence(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
