package sanitize

import (
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "nova-parcels.com", "nova-parcels.com"},
		{"unicode kept", "bücher.de ✓", "bücher.de ✓"},
		{"csi clear", "a\x1b[2Jb", `a\x1b[2Jb`},
		{"osc title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"osc52", "\x1b]52;c;ZXZpbA==\x07", `\x1b]52;c;ZXZpbA==\x07`},
		{"c1 csi", "x\u009b31m", `x\u009b31m`},
		{"bidi", "abc\u202Egpj.exe", `abc\u202egpj.exe`},
		{"invalid utf8", "a\xffb", `a\xffb`},
		{"nul", "a\x00b", `a\x00b`},
		{"newline", "a\nb", `a\x0ab`},
		{"del", "a\x7f", `a\x7f`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Line(tt.in)
			if got != tt.want {
				t.Fatalf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !Safe(got) {
				t.Fatalf("output %q is not safe", got)
			}
		})
	}
}

func TestText(t *testing.T) {
	got := Text("line1\r\nline2\tx\x1b[H")
	want := "line1\nline2    x\\x1b[H"
	if got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if !Safe(l) {
			t.Fatalf("line %q not safe", l)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "a", "\x1b[2J", "\xff\xfe", "\u202e", "\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out := Line(s); !Safe(out) {
			t.Fatalf("Line(%q) = %q not safe", s, out)
		}
		for _, l := range strings.Split(Text(s), "\n") {
			if !Safe(l) {
				t.Fatalf("Text(%q) line %q not safe", s, l)
			}
		}
	})
}
