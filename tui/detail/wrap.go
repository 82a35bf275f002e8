package detail

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/recon"
)

// wrapLine breaks a line longer than width at spaces (never inside a host
// name, a date or an address: only a word longer than the line is cut),
// indenting continuation lines under the text of the first (hanging
// indent). Styles open at a break are closed and reopened on the next line.
func wrapLine(ln string, width int) []string {
	if ansi.StringWidth(ln) <= width {
		return []string{ln}
	}
	plain := ansi.Strip(ln)
	ind := len(plain) - len(strings.TrimLeft(plain, " "))
	if bulleted(strings.TrimLeft(plain, " ")) {
		ind += 2
	} else if ind == 2 && len(plain) > 15 && strings.TrimSpace(plain[2:15]) != "" && plain[14] == ' ' && plain[15] != ' ' {
		ind = 15 // key/value line (label padded to 13 cells): under the value
	} else if ind == 2 && len(plain) > 8 && plain[7] == ' ' && plain[8] != ' ' && strings.ToUpper(plain[2:8]) == plain[2:8] && strings.TrimSpace(plain[2:8]) != "" {
		ind = 8 // DNS record line (type padded to 6 cells): under the value
	}
	ind = min(ind, width/2)
	// A word that would not fit under the hanging indent gets less of it.
	for _, wd := range strings.Fields(plain) {
		if ww := ansi.StringWidth(wd); ww > width-ind {
			ind = max(min(ind, width-ww), 2)
		}
	}
	return wordWrap(ln, width, ind)
}

// wordWrap fills lines of at most width cells with the space-separated
// words of s (which may carry SGR sequences: they hold no spaces), the
// lines after the first indented by ind.
func wordWrap(s string, width, ind int) []string {
	var out []string
	var cur strings.Builder
	curW := 0
	active := "" // SGR sequences in effect at the current point
	lead := strings.Repeat(" ", ind)
	flush := func() {
		line := cur.String()
		if active != "" {
			line += "\x1b[0m"
		}
		out = append(out, line)
		cur.Reset()
		cur.WriteString(lead)
		cur.WriteString(active)
		curW = ind
	}
	words := strings.Split(s, " ")
	for i, wd := range words {
		ww := ansi.StringWidth(wd)
		sep := 0
		if i > 0 {
			sep = 1
		}
		if i > 0 && curW+sep+ww > width && curW > ind {
			flush()
			sep = 0
		} else if i > 0 {
			cur.WriteByte(' ')
			curW++
		}
		for ww > width-curW && width-curW > 0 && ww > width-ind {
			// A word longer than a whole line: cut it.
			room := width - curW
			cur.WriteString(ansi.Cut(wd, 0, room))
			active = sgrAfter(active, ansi.Cut(wd, 0, room))
			wd = ansi.Cut(wd, room, ww)
			ww = ansi.StringWidth(wd)
			curW = width
			flush()
		}
		cur.WriteString(wd)
		curW += ww
		active = sgrAfter(active, wd)
	}
	if strings.TrimSpace(ansi.Strip(cur.String())) != "" || len(out) == 0 {
		out = append(out, cur.String())
	}
	return out
}

// sgrAfter returns the SGR sequences in effect after s, given those in
// effect before it: a reset clears them, others accumulate.
func sgrAfter(active, s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return active
		}
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		if j >= len(s) {
			return active
		}
		seq := s[i : j+1]
		if s[j] == 'm' {
			if seq == "\x1b[0m" || seq == "\x1b[m" {
				active = ""
			} else {
				active += seq
			}
		}
		s = s[j+1:]
	}
}

// bulleted reports whether a line starts with a verdict mark (or the
// hollow mark of a false positive) and a space.
func bulleted(s string) bool {
	if strings.HasPrefix(s, "○ ") {
		return true
	}
	for _, l := range recon.Levels {
		if strings.HasPrefix(s, l.Mark()+" ") {
			return true
		}
	}
	return false
}
