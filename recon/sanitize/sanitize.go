// Package sanitize makes strings that came from the network (or from a
// session file someone else wrote) safe to print on a terminal and to put on
// a clipboard. Control characters (C0, DEL, C1), bidi controls, invisible
// and format characters (zero-width spaces and joiners, word joiners, the
// byte-order mark, tag characters, Hangul fillers, line and paragraph
// separators, everything of Unicode category Cf) and invalid UTF-8 are
// replaced by visible escapes, and long runs of combining marks are cut, so
// a TXT record or a WHOIS line can never move the cursor, retitle the
// terminal, write the clipboard, hide text or reorder and smear what the
// analyst reads. The stored value is never changed: only what is displayed
// goes through here.
package sanitize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMarks is how many combining marks one base character keeps; the rest
// of the run is replaced by a count ("[+N marks]"). Real scripts stack at
// most three or four; hundreds are "Zalgo" text meant to overdraw the lines
// around it.
const MaxMarks = 4

// Line returns s safe for one line of terminal output: every control
// character, including newline and tab, becomes a visible escape.
func Line(s string) string { return clean(s, false) }

// Text returns s safe for multi-line terminal output: newlines are kept (a
// CR LF pair becomes LF), tabs become spaces, every other control character
// becomes a visible escape.
func Text(s string) string { return clean(s, true) }

// Safe reports whether s would be printed unchanged by Line.
func Safe(s string) bool {
	marks := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			marks = 0
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		if bad(r) {
			return false
		}
		if unicode.Is(unicode.M, r) {
			if marks++; marks > MaxMarks {
				return false
			}
		} else {
			marks = 0
		}
		i += n
	}
	return true
}

// Bad reports whether r is never printed as itself: a control, format,
// invisible or separator character that Line and Text escape.
func Bad(r rune) bool { return bad(r) }

func bad(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r <= 0x9f: // C1
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r == 0x034f, // combining grapheme joiner
		r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, // Hangul fillers: letters that draw nothing
		r == 0x17b4, r == 0x17b5, // Khmer inherent vowels (invisible)
		r >= 0x180b && r <= 0x180f,   // Mongolian variation selectors and vowel separator
		r >= 0x2060 && r <= 0x206f,   // word joiner, invisible operators, bidi isolates, deprecated format
		r >= 0xfff0 && r <= 0xfff8,   // unassigned specials
		r >= 0xe0000 && r <= 0xe0fff: // tag characters and variation selectors supplement (text smuggling)
		return true
	}
	return unicode.Is(unicode.Cf, r) // zero-width space/joiners, bidi controls, BOM, soft hyphen, ...
}

func clean(s string, multiline bool) string {
	if Safe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	marks := 0 // combining marks on the current base character
	dropped := 0
	flush := func() {
		if dropped > 0 {
			fmt.Fprintf(&b, "[+%d marks]", dropped)
			dropped = 0
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		isMark := r >= utf8.RuneSelf && r != utf8.RuneError && unicode.Is(unicode.M, r) && !bad(r)
		if isMark {
			marks++
			if marks > MaxMarks {
				dropped++
				i += n
				continue
			}
		} else {
			flush()
			marks = 0
		}
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
		case bad(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		case bad(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	flush()
	return b.String()
}
