// sources.go holds the per-service request counters and rate limits
// (Sources) and the parsing of a service's Retry-After.

package recon

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sources counts requests per service and rate-limits them with token
// buckets. The zero value and a nil *Sources are usable (no limits).
type Sources struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	stats    map[string]*SourceStats
}

// SourceStats are the counters of one service, shown in the sources panel.
type SourceStats struct {
	Service      string    `json:"service"`
	Requests     int       `json:"requests"`
	Errors       int       `json:"errors"`
	RateLimited  int       `json:"rate_limited"`
	LastError    string    `json:"last_error,omitempty"`
	LimitedUntil time.Time `json:"limited_until,omitempty"`
	PerSecond    float64   `json:"per_second,omitempty"`
}

// NewSources creates Sources with per-service limits in requests per second
// (burst = ceil(rps)). A service not in limits is not limited.
func NewSources(limits map[string]float64) *Sources {
	s := &Sources{limiters: map[string]*rate.Limiter{}, stats: map[string]*SourceStats{}}
	for svc, rps := range limits {
		if rps > 0 {
			b := int(rps + 0.999)
			s.limiters[svc] = rate.NewLimiter(rate.Limit(rps), b)
			s.stat(svc).PerSecond = rps
		}
	}
	return s
}

// DefaultRateLimits are the per-service limits (requests per second) used
// unless the config says otherwise.
func DefaultRateLimits() map[string]float64 {
	return map[string]float64{
		"dns":         200,
		"whois":       2,
		"rdap":        5,
		"certspotter": 2,
		"crtsh":       1,
		"internetdb":  5,
		"virustotal":  0.06, // 4 a minute on the public tier
		"abuseipdb":   1,
	}
}

func (s *Sources) stat(svc string) *SourceStats {
	st := s.stats[svc]
	if st == nil {
		st = &SourceStats{Service: svc}
		s.stats[svc] = st
	}
	return st
}

// Wait blocks until the service's token bucket allows one more request.
func (s *Sources) Wait(ctx context.Context, svc string) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	l := s.limiters[svc]
	until := time.Time{}
	if st := s.stats[svc]; st != nil {
		until = st.LimitedUntil
	}
	s.mu.Unlock()
	if d := time.Until(until); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	if l == nil {
		return nil
	}
	if err := l.Wait(ctx); err != nil {
		// x/time/rate says "Wait(n=1) would exceed context deadline": say
		// it in our words, keeping errors.Is(err, context.DeadlineExceeded).
		if ctx.Err() != nil {
			return fmt.Errorf("%s: cancelled while waiting for the rate limit: %w", svc, ctx.Err())
		}
		return fmt.Errorf("%s: the rate limit (%g requests/s, [rate_limits] in the config) leaves no time before the timeout: %w", svc, float64(l.Limit()), context.DeadlineExceeded)
	}
	return nil
}

// Done records the outcome of one request.
func (s *Sources) Done(svc string, err error, rateLimited bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stat(svc)
	st.Requests++
	if rateLimited {
		st.RateLimited++
	}
	if err != nil {
		st.Errors++
		st.LastError = err.Error()
	}
}

// Backoff records that svc asked us to wait until t (Retry-After).
func (s *Sources) Backoff(svc string, t time.Time) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stat(svc)
	if t.After(st.LimitedUntil) {
		st.LimitedUntil = t
	}
}

// Snapshot returns a copy of every service's counters, sorted by name.
func (s *Sources) Snapshot() []SourceStats {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SourceStats, 0, len(s.stats))
	for _, st := range s.stats {
		out = append(out, *st)
	}
	sortStats(out)
	return out
}

func sortStats(s []SourceStats) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Service < s[j-1].Service; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// RetryAfter parses a Retry-After header (seconds or HTTP date) relative to now.
func RetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
