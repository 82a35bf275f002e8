package fingerprint

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
)

// Normalise works on the body and an ASCII-lower-cased copy of it (the
// same length, so an index found in one is valid in the other) with
// bytes.Index scans: regular expressions with (?i) or a leading class
// cannot skip ahead and cost about a second on a 512 KiB page.

// lowerASCII returns b with A-Z lower-cased and every other byte kept.
func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// isSpace is regexp's \s: ASCII white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// span is a byte range [from, to) to replace.
type span struct{ from, to int }

// cut returns b with the spans (sorted, not overlapping) replaced by repl.
func cut(b []byte, spans []span, repl string) []byte {
	if len(spans) == 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	at := 0
	for _, s := range spans {
		out = append(out, b[at:s.from]...)
		out = append(out, repl...)
		at = s.to
	}
	return append(out, b[at:]...)
}

// merge sorts spans and joins overlapping ones.
func merge(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// tagEnd returns the index after the '>' that closes the tag opened at
// from, or len(lc) when it is not closed.
func tagEnd(lc []byte, from int) int {
	if i := bytes.IndexByte(lc[from:], '>'); i >= 0 {
		return from + i + 1
	}
	return len(lc)
}

// openerAt reports whether lc[i:] starts the tag name (a word boundary
// follows it).
func openerAt(lc []byte, i int, name string) bool {
	j := i + len(name)
	return bytes.HasPrefix(lc[i:], []byte(name)) && (j == len(lc) || !isWordByte(lc[j]))
}

// elementEnd returns the index after "</name\s*>" at or after from, or
// len(lc) when the element is not closed (a page cut at the read limit).
func elementEnd(lc []byte, from int, name string) int {
	closer := []byte("</" + name)
	for from < len(lc) {
		i := bytes.Index(lc[from:], closer)
		if i < 0 {
			return len(lc)
		}
		j := from + i + len(closer)
		for j < len(lc) && isSpace(lc[j]) {
			j++
		}
		if j < len(lc) && lc[j] == '>' {
			return j + 1
		}
		from = j
	}
	return len(lc)
}

// dropElements removes <script>, <style>, <noscript> elements and
// comments, leftmost first.
func dropElements(b, lc []byte) []byte {
	var spans []span
	for i := 0; i < len(lc); {
		k := bytes.IndexByte(lc[i:], '<')
		if k < 0 {
			break
		}
		i += k
		end := -1
		switch {
		case bytes.HasPrefix(lc[i:], []byte("<!--")):
			if e := bytes.Index(lc[i+4:], []byte("-->")); e >= 0 {
				end = i + 4 + e + 3
			} else {
				end = len(lc)
			}
		case openerAt(lc, i, "<script"):
			end = elementEnd(lc, i+7, "script")
		case openerAt(lc, i, "<style"):
			end = elementEnd(lc, i+6, "style")
		case openerAt(lc, i, "<noscript"):
			end = elementEnd(lc, i+9, "noscript")
		}
		if end < 0 {
			i++
			continue
		}
		spans = append(spans, span{i, end})
		i = end
	}
	return cut(b, spans, "")
}

var (
	hiddenType = regexp.MustCompile(`\btype\s*=\s*["']?hidden`)
	tokenName  = regexp.MustCompile(`\bname\s*=\s*["']?[^"'>\s]*(?:csrf|token|nonce)`)
)

// dropTags removes hidden inputs (per-request state: CSRF tokens, view
// state) and <meta> tags whose name holds a token.
func dropTags(b, lc []byte) []byte {
	var spans []span
	for _, t := range []struct {
		open string
		drop *regexp.Regexp
	}{{"<input", hiddenType}, {"<meta", tokenName}} {
		for i := 0; ; {
			k := bytes.Index(lc[i:], []byte(t.open))
			if k < 0 {
				break
			}
			i += k
			if !openerAt(lc, i, t.open) {
				i++
				continue
			}
			end := tagEnd(lc, i)
			if t.drop.Match(lc[i:end]) {
				spans = append(spans, span{i, end})
			}
			i = end
		}
	}
	return cut(b, merge(spans), "")
}

// tokenAttrs are attributes whose value is a nonce, an integrity hash or
// a token; a trailing '*' takes any [-\w] continuation (data-csrf-token).
var tokenAttrs = []string{"nonce", "integrity", "data-csrf*", "data-token", "csrf*", "_token", "authenticity_token",
	"__requestverificationtoken", "csrfmiddlewaretoken"}

// dropAttrs removes token attributes (with the white space before them).
func dropAttrs(b, lc []byte) []byte {
	var spans []span
	for _, a := range tokenAttrs {
		name, more := strings.CutSuffix(a, "*")
		for i := 0; ; {
			k := bytes.Index(lc[i:], []byte(name))
			if k < 0 {
				break
			}
			at := i + k
			i = at + 1
			if at == 0 || !isSpace(lc[at-1]) {
				continue
			}
			j := at + len(name)
			for more && j < len(lc) && (isWordByte(lc[j]) || lc[j] == '-') {
				j++
			}
			for j < len(lc) && isSpace(lc[j]) {
				j++
			}
			if j >= len(lc) || lc[j] != '=' {
				continue
			}
			j++
			for j < len(lc) && isSpace(lc[j]) {
				j++
			}
			if j >= len(lc) {
				continue
			}
			q := lc[j]
			if e := bytes.IndexByte(lc[j+1:], q); (q == '"' || q == '\'') && e >= 0 {
				j += e + 2
			} else { // unquoted, or a quote never closed: up to white space or '>'
				s := j
				for j < len(lc) && !isSpace(lc[j]) && lc[j] != '>' {
					j++
				}
				if j == s {
					continue
				}
			}
			spans = append(spans, span{at - 1, j})
		}
	}
	return cut(b, merge(spans), "")
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '_' || c == '-' || c == '='
}

// replaceTokens turns runs of 20 or more token characters that look
// random (isRandomToken) into "TOKEN": cache-busting hashes, session ids.
func replaceTokens(b []byte) []byte {
	var spans []span
	for i := 0; i < len(b); {
		if !isTokenByte(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isTokenByte(b[j]) {
			j++
		}
		if j-i >= 20 && isRandomToken(b[i:j]) {
			spans = append(spans, span{i, j})
		}
		i = j
	}
	return cut(b, spans, "TOKEN")
}

// replaceHost turns the host name h (lower case), with a "www." before it,
// into "HOST", case-insensitively.
func replaceHost(b []byte, h string) []byte {
	lc := lowerASCII(b)
	var spans []span
	for i := 0; ; {
		k := bytes.Index(lc[i:], []byte(h))
		if k < 0 {
			break
		}
		from := i + k
		if from >= 4 && bytes.Equal(lc[from-4:from], []byte("www.")) && (len(spans) == 0 || spans[len(spans)-1].to <= from-4) {
			from -= 4
		}
		spans = append(spans, span{from, i + k + len(h)})
		i = i + k + len(h)
	}
	return cut(b, spans, "HOST")
}

// foldSpace drops white space between tags and turns every other run of
// white space into one space.
func foldSpace(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if !isSpace(b[i]) {
			out = append(out, b[i])
			i++
			continue
		}
		j := i
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if !(len(out) > 0 && out[len(out)-1] == '>' && j < len(b) && b[j] == '<') {
			out = append(out, ' ')
		}
		i = j
	}
	return out
}

// Normalise reduces an HTML page to what a kit or template keeps from
// one site to the next: scripts, styles, <noscript>, comments, hidden
// inputs, token <meta> tags, nonce/integrity/CSRF attributes and long
// random tokens are removed; the site's own host names (hosts, compared
// case-insensitively) become "HOST"; white space between tags is dropped
// and other runs of white space become one space.
func Normalise(body []byte, hosts ...string) []byte {
	b := dropElements(body, lowerASCII(body))
	b = dropTags(b, lowerASCII(b))
	b = dropAttrs(b, lowerASCII(b))
	b = replaceTokens(b)
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), "."))
		if len(h) < 3 {
			continue
		}
		b = replaceHost(b, h)
	}
	return bytes.TrimSpace(foldSpace(b))
}
