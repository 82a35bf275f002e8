package recon

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRetry(t *testing.T) {
	defer func(b time.Duration) { RetryBase = b }(RetryBase)
	RetryBase = time.Millisecond
	boom := errors.New("HTTP 503")
	for _, tt := range []struct {
		name      string
		results   []error // one per call; nil is success
		retryable bool
		calls     int
		wantErr   string
	}{
		{"first try", []error{nil}, true, 1, ""},
		{"second try", []error{boom, nil}, true, 2, ""},
		{"gives up", []error{boom, boom, boom, nil}, true, 3, "HTTP 503 (svc: 3 attempts)"},
		{"not retryable", []error{boom, nil}, false, 1, "HTTP 503"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := Retry(context.Background(), nil, "svc", func() (bool, error) {
				calls++
				return tt.retryable, tt.results[calls-1]
			})
			if calls != tt.calls || (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Fatalf("%d calls, %v; want %d calls, %q", calls, err, tt.calls, tt.wantErr)
			}
			if err != nil && !errors.Is(err, boom) {
				t.Errorf("%v does not wrap the last error", err)
			}
		})
	}
}

func TestRetryRespectsDeadline(t *testing.T) {
	defer func(b, m time.Duration) { RetryBase, RetryMax = b, m }(RetryBase, RetryMax)
	RetryBase, RetryMax = time.Hour, time.Hour // every wait would outlast the context
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	calls := 0
	start := time.Now()
	err := Retry(ctx, nil, "svc", func() (bool, error) { calls++; return true, errors.New("timeout") })
	if calls != 1 || time.Since(start) > 500*time.Millisecond || !strings.Contains(err.Error(), "no time left") {
		t.Fatalf("%d calls in %s: %v", calls, time.Since(start), err)
	}
}

func TestBackoffJitterAndCap(t *testing.T) {
	for i := range 30 {
		for range 20 {
			d := backoff(i)
			ceil := min(RetryBase<<min(i, 20), RetryMax)
			if ceil <= 0 {
				ceil = RetryMax
			}
			if d < ceil/2 || d > ceil {
				t.Fatalf("backoff(%d) = %s, want %s..%s", i, d, ceil/2, ceil)
			}
		}
	}
}
