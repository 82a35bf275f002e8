// Package sanitize makes strings that came from the network safe to print on
// a terminal. Control characters (C0, DEL, C1), bidi overrides and invalid
// UTF-8 are replaced by visible escapes, so a TXT record or a WHOIS line can
// never move the cursor, retitle the terminal, write the clipboard or
// reorder what the analyst reads. The stored value is never changed: only
// what is displayed goes through here.
package sanitize

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s safe for one line of terminal output: every control
// character, including newline and tab, becomes a visible escape.
func Line(s string) string { return clean(s, false) }

// Text returns s safe for multi-line terminal output: newlines are kept (a
// CR LF pair becomes LF), tabs become spaces, every other control character
// becomes a visible escape.
func Text(s string) string { return clean(s, true) }

// Safe reports whether s would be printed unchanged by Line.
func Safe(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		if bad(r) {
			return false
		}
		i += n
	}
	return true
}

func bad(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0xfeff:
		return true
	}
	return false
}

func clean(s string, multiline bool) string {
	if Safe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && r == '\n':
			b.WriteByte('\n')
		case multiline && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// dropped: the LF follows
		case multiline && r == '\t':
			b.WriteString("    ")
		case r < 0x80 && bad(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case bad(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
