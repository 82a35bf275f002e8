package diff

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSince reads the --since argument: an age before now ("7d", "2w",
// "36h", "90m", "1mo", or any Go duration) or a point in time ("2026-11-20",
// RFC 3339). It returns the time the old state is taken at.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("--since needs an age (7d, 2w, 36h) or a date (2026-11-20)")
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	units := []struct {
		suffix string
		add    func(n int) time.Time
	}{
		{"mo", func(n int) time.Time { return now.AddDate(0, -n, 0) }},
		{"y", func(n int) time.Time { return now.AddDate(-n, 0, 0) }},
		{"w", func(n int) time.Time { return now.AddDate(0, 0, -7*n) }},
		{"d", func(n int) time.Time { return now.AddDate(0, 0, -n) }},
	}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			if n, err := strconv.Atoi(num); err == nil && n >= 0 && n < 100000 {
				return u.add(n), nil
			}
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: give an age (7d, 2w, 36h, 1mo) or a date (2026-11-20, RFC 3339)", s)
}
