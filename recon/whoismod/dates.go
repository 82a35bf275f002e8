package whoismod

import (
	"strings"
	"time"
)

// dateLayouts are the registration date forms seen in WHOIS answers, tried
// in order. Layouts without a zone are read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700", // -0700 offset without colon (MarkMonitor)
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006.01.02 15:04:05",
	"2006.01.02",
	"2006/01/02 15:04:05 (MST)",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102 15:04:05",
	"20060102",
	"02-Jan-2006 15:04:05 MST",
	"02-Jan-2006 15:04:05",
	"02-Jan-2006",
	"2-Jan-2006",
	"02-January-2006",
	"02 Jan 2006",
	"2 January 2006",
	"January 2 2006",
	"January 2, 2006",
	"Jan 2 2006",
	"02.01.2006 15:04:05",
	"02.01.2006",
	"2.1.2006",
	"02/01/2006 15:04:05",
	"02/01/2006",
	"02-01-2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon Jan _2 15:04:05 2006",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	time.RFC822Z,
	time.RFC822,
}

// ParseDate reads a WHOIS or RDAP date in any of the forms registries use
// ("2021-04-15T18:21:57.0Z", "1997-09-15T00:00:00-0700", "11-Jun-2014",
// "2001/03/22", "19990717 #175298", "2003-03-17 12:20:05", ...). It returns
// the time in UTC and false when the text is not a date it knows.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 6 || len(s) > 64 {
		return time.Time{}, false
	}
	cands := []string{s}
	// Trailing comments and annotations: "19990717 #175298", "2019-01-01 (YYYY-MM-DD)".
	if i := strings.IndexAny(s, "#("); i > 0 {
		cands = append(cands, strings.TrimSpace(s[:i]))
	}
	// "2020-01-01 00:00:00 UTC+8", "... UTC", "... GMT".
	for _, suf := range []string{" UTC", " GMT", " Z"} {
		if i := strings.Index(s, suf); i > 0 {
			cands = append(cands, strings.TrimSpace(s[:i]))
		}
	}
	// Trailing period ("2014-01-01.") and upper-case month names.
	cands = append(cands, strings.TrimRight(s, ". "))
	for _, c := range cands {
		for _, l := range dateLayouts {
			// Anything before the DNS (IANA's own dates are 1985) or far
			// in the future is a misread, not a registration date.
			if t, err := time.Parse(l, c); err == nil && t.Year() >= 1980 && t.Year() <= 2200 {
				return t.UTC(), true
			}
		}
		// Month names in capitals ("11-JUN-2014").
		if tc := titleMonths(c); tc != c {
			for _, l := range dateLayouts {
				if t, err := time.Parse(l, tc); err == nil && t.Year() >= 1980 && t.Year() <= 2200 {
					return t.UTC(), true
				}
			}
		}
	}
	return time.Time{}, false
}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// titleMonths rewrites "JUN"/"jun"/"JUNE" to "Jun"/"June" so time.Parse reads them.
func titleMonths(s string) string {
	low := asciiLower(s) // same length as s: strings.ToLower widens invalid UTF-8 (fuzz: index out of range)
	for _, m := range months {
		for _, form := range []string{m, m[:3]} {
			lf := strings.ToLower(form)
			if i := strings.Index(low, lf); i >= 0 && s[i:i+len(lf)] != form {
				return s[:i] + form + s[i+len(lf):]
			}
		}
	}
	return s
}

// asciiLower lower-cases A-Z only, so that indices into the result are
// indices into s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
