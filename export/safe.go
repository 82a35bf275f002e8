package export

import (
	"strconv"
	"unicode/utf8"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// Every string an exporter writes comes from a session file, which is as
// untrusted as the network: enum-like fields (a level, a kind, a module id)
// included. The helpers here are the one place that decides how such a
// string becomes output: levels and class names come from a fixed list,
// everything else is data — sanitised (control, bidi and invisible
// characters become visible escapes), clipped where a renderer has limits,
// then escaped by the format's own quoting function.

// levelName returns the name of a known verdict level ("red", "yellow",
// "green"; "note" for a signal without colour), "" for no verdict, and "unknown" for anything else a file may
// hold. It is the only way a level reaches an export as a word, a class
// name or a colour.
func levelName(l recon.Level) string { return l.Word() }

// clipRunes is the longest label a graph export writes for one value:
// Graphviz refuses strings over 16,384 bytes and Mermaid a diagram over
// 50,000 characters, and nobody reads a 20,000-character box.
const clipRunes = 200

// clip returns s cut to at most n runes, ending in "…" when it was cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}

// line returns s as one safe line of display text, clipped to n runes
// (0: not clipped).
func line(s string, n int) string {
	s = sanitize.Line(s)
	if n > 0 {
		s = clip(s, n)
	}
	return s
}

// unsafeRune reports whether r must not appear raw in an export: a control
// character (C0 other than newline, DEL, C1) or anything the project's
// sanitiser would escape for a terminal (bidi overrides, invisible
// characters, invalid UTF-8 as utf8.RuneError from a bad byte).
func unsafeRune(r rune) bool {
	if r < 0x80 {
		return r < 0x20 && r != '\n' || r == 0x7f
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	return !sanitize.Safe(string(buf[:n]))
}

// appendJSONString appends s as a JSON string. Besides what JSON requires
// (quote, backslash, C0), every rune that unsafeRune rejects is written as
// a \u escape, so the bytes are safe to cat on a terminal while the value
// a JSON reader decodes is s unchanged. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError && !unsafeRune(r) {
				i += size
				continue
			}
		}
		dst = append(dst, s[start:i]...)
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		default:
			dst = appendUEscape(dst, r)
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendUEscape appends r as \uXXXX (a surrogate pair above the BMP).
func appendUEscape(dst []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		dst = appendU4(dst, 0xd800+(r>>10))
		return appendU4(dst, 0xdc00+(r&0x3ff))
	}
	return appendU4(dst, r)
}

func appendU4(dst []byte, r rune) []byte {
	dst = append(dst, '\\', 'u')
	h := strconv.FormatInt(int64(r), 16)
	for i := len(h); i < 4; i++ {
		dst = append(dst, '0')
	}
	return append(dst, h...)
}

// safeJSON rewrites JSON text (valid UTF-8, as encoding/json writes it) so
// that every rune unsafeRune rejects is a \u escape. Such runes can only
// occur inside strings, where the escape decodes to the same value; the
// data a reader gets is unchanged, only its spelling is terminal-safe.
func safeJSON(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			if c == 0x7f {
				clean = false
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+64)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			if c == 0x7f {
				out = append(out, `\u007f`...)
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case unsafeRune(r):
			out = appendUEscape(out, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
