// Package render describes each module's facts once, as rows (recon.Row,
// one renderer per facts type, as k9s's internal/render has one per
// resource): the CLI text report and the workbench's detail pane only
// style and lay out the same rows, so a fact is worded in one place, and
// "could not check" is said as "unknown" by every front end alike.
//
// Rows hold stored strings as received from the network: the front end
// sanitises them when it displays them. The Markdown report does not list
// module facts (it compares domains, from pivot profiles); it uses no rows.
package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// Rows returns the rows of a module's facts; now is the reader's clock
// (ages such as "17 years ago" are counted from it). ok is false for a
// facts type without a renderer (the caller says the shape is unknown).
// A facts type that implements recon.Rower describes itself.
func Rows(facts any, now time.Time) (rows []recon.Row, ok bool) {
	if r, ok := facts.(recon.Rower); ok {
		return r.Rows(now), true
	}
	switch f := facts.(type) {
	case *recon.DNSFacts:
		return DNS(f), true
	case *recon.WhoisFacts:
		return Whois(f, now), true
	case *recon.SSLFacts:
		return SSL(f), true
	case *recon.GeoFacts:
		return Geo(f), true
	case *recon.ThreatFacts:
		return Threat(f), true
	case *recon.PortsFacts:
		return Ports(f), true
	case *recon.EmailFacts:
		return Email(f), true
	case *recon.SubdomainFacts:
		return Subdomains(f), true
	case *recon.HeadersFacts:
		return Headers(f), true
	}
	return nil, false
}

// Module returns the rows of a module result's facts (see Rows). A
// module that did not end ok keeps the rows of what it found but not the
// remarks that there was nothing (a row with no label and LevelInfo, such
// as "no certificate"): what could not be asked is not "nothing".
func Module(m *recon.ModuleResult, now time.Time) ([]recon.Row, bool) {
	if m == nil || m.Facts == nil {
		return nil, true
	}
	rs, ok := Rows(m.Facts, now)
	if m.Status == recon.StatusOK {
		return rs, ok
	}
	out := rs[:0:0]
	for _, r := range rs {
		if !Nothing(r) && !zeroCount(m.Facts, r) {
			out = append(out, r)
		}
	}
	return out, ok
}

// zeroCount reports whether r counts nothing found in facts that a failed
// module left ("found 0 names" when neither CT source answered): a count
// of what could not be read is not 0.
func zeroCount(facts any, r recon.Row) bool {
	f, ok := facts.(*recon.SubdomainFacts)
	return ok && f.Total == 0 && r.Label == "found"
}

// Nothing reports whether r is a remark that nothing was found ("no
// certificate", "no records"): no label, LevelInfo.
func Nothing(r recon.Row) bool { return r.Label == "" && r.Level == recon.LevelInfo && !r.Err }

// Plural returns word for one, its plural otherwise ("entity" →
// "entities", "address" → "addresses", "name" → "names").
func Plural(n int, word string) string {
	if n == 1 || word == "" {
		return word
	}
	switch {
	case len(word) > 1 && word[len(word)-1] == 'y' && !strings.ContainsRune("aeiou", rune(word[len(word)-2])):
		return word[:len(word)-1] + "ies"
	case strings.HasSuffix(word, "s"), strings.HasSuffix(word, "x"), strings.HasSuffix(word, "sh"), strings.HasSuffix(word, "ch"):
		return word + "es"
	}
	return word + "s"
}

// Count returns "1 name", "2 names".
func Count(n int, word string) string { return fmt.Sprintf("%d %s", n, Plural(n, word)) }

// Ago says how far t is from now in days, or whole years and months past
// a year: "in 3 days", "40 days ago", "1 year 11 months ago" (whole years
// and months, as the assessment counts whole years, so it reads true
// beside "registered 1 year ago").
func Ago(now, t time.Time) string {
	d := int(now.Sub(t).Hours() / 24)
	switch {
	case d < 0:
		return "in " + Count(-d, "day")
	case d < 365:
		return Count(d, "day") + " ago"
	}
	y, mo := d/365, (d%365)/30
	if mo == 0 || y >= 10 {
		return Count(y, "year") + " ago"
	}
	return Count(y, "year") + " " + Count(mo, "month") + " ago"
}

// day is a date as the rows show it, "—" when unknown.
func day(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.Format("2006-01-02")
}

// list joins at most max values and says how many more there are.
func list(s []string, max int) string {
	if len(s) > max {
		return strings.Join(s[:max], ", ") + fmt.Sprintf(" … (+%d)", len(s)-max)
	}
	return strings.Join(s, ", ")
}

// info is a remark without colour (nothing found, could not check).
func info(label, value string) recon.Row {
	return recon.Row{Label: label, Value: value, Level: recon.LevelInfo}
}

// paren is "(s)", or "" for an empty s.
func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Unread is how every front end words a question that could not be
// answered: never "none", "clean" or "free".
const Unread = "unknown — could not be read"
