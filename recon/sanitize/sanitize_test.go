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
		{"line separator", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"zero width space", "pay\u200bpal.com", `pay\u200bpal.com`},
		{"zwnj zwj", "a\u200cb\u200dc", `a\u200cb\u200dc`},
		{"word joiner and invisible operators", "a\u2060b\u2061c\u2062d\u2063e\u2064f", `a\u2060b\u2061c\u2062d\u2063e\u2064f`},
		{"bom", "\ufeffx", `\ufeffx`},
		{"soft hyphen (Cf)", "ex\u00adample", `ex\u00adample`},
		{"tag characters", "ok\U000E0001\U000E0041\U000E007F", `ok\U000e0001\U000e0041\U000e007f`},
		{"variation selector supplement (smuggling)", "a\U000E0100", `a\U000e0100`},
		{"hangul fillers", "\u3164|\u115f|\u1160|\uffa0", `\u3164|\u115f|\u1160|\uffa0`},
		{"mongolian vowel separator", "a\u180eb", `a\u180eb`},
		{"bidi isolate", "a\u2067b\u2069", `a\u2067b\u2069`},
		{"combining marks kept up to the cap", "e\u0301\u0302\u0303\u0304", "e\u0301\u0302\u0303\u0304"},
		{"combining marks over the cap", "e\u0301\u0302\u0303\u0304\u0305\u0306x", "e\u0301\u0302\u0303\u0304[+2 marks]x"},
		{"cap is per base character", "a\u0301\u0301\u0301b\u0301\u0301\u0301", "a\u0301\u0301\u0301b\u0301\u0301\u0301"},
		{"marks with no base", "\u0301\u0301\u0301\u0301\u0301", "\u0301\u0301\u0301\u0301[+1 marks]"},
		{"emoji variation selector kept", "\u2714\ufe0f", "\u2714\ufe0f"},
		{"devanagari kept", "\u0928\u092e\u0938\u094d\u0924\u0947", "\u0928\u092e\u0938\u094d\u0924\u0947"},
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

func TestZalgoBounded(t *testing.T) {
	in := "x" + strings.Repeat("\u0336", 200000) + "y"
	got := Line(in)
	want := "x" + strings.Repeat("\u0336", MaxMarks) + "[+199996 marks]y"
	if got != want {
		t.Fatalf("Line(200k marks) = %.80q (len %d), want %q", got, len(got), want)
	}
	if Safe(in) {
		t.Fatal("Safe accepted 200k combining marks")
	}
}

func TestSafeAgreesWithLine(t *testing.T) {
	for _, s := range []string{"plain", "e\u0301\u0301\u0301\u0301", "e\u0301\u0301\u0301\u0301\u0301", "\u200b", "\u3164", "\u2028", "ok\U000E0041"} {
		if Safe(s) != (Line(s) == s) {
			t.Errorf("Safe(%q) = %v but Line gives %q", s, Safe(s), Line(s))
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "a", "\x1b[2J", "\xff\xfe", "\u202e", "\u009b", "\u200b", "e\u0301\u0301\u0301\u0301\u0301", "\U000E0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !Safe(out) {
			t.Fatalf("Line(%q) = %q not safe", s, out)
		}
		if Line(out) != out {
			t.Fatalf("Line is not idempotent on %q", s)
		}
		if Safe(s) != (out == s) {
			t.Fatalf("Safe(%q) = %v, Line changed it: %v", s, Safe(s), out != s)
		}
		for _, l := range strings.Split(Text(s), "\n") {
			if !Safe(l) {
				t.Fatalf("Text(%q) line %q not safe", s, l)
			}
		}
	})
}
