package hostile

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/ctlog"
)

// TestBackoffOn5xx: a CT service that fails twice with 503 is asked again
// with backoff (recon.Retry) and its third answer is used; one that always
// fails is given up after recon.RetryAttempts calls with the reason.
func TestBackoffOn5xx(t *testing.T) {
	var calls, failFirst atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= failFirst.Load() {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":"1","dns_names":["a.example.com"],"not_before":"2025-01-01T00:00:00Z","not_after":"2025-04-01T00:00:00Z"}]`))
	}))
	defer srv.Close()
	env := &recon.Env{HTTP: srv.Client(), CertspotterURL: srv.URL, Limits: recon.DefaultLimits(), Sources: recon.NewSources(nil)}
	c := &ctlog.Client{Env: env}

	failFirst.Store(2)
	iss, _, err := c.Certspotter(context.Background(), ctlog.Query{Domain: "example.com", MaxPages: 1, Expand: []string{"dns_names"}})
	if err != nil || len(iss) != 1 || calls.Load() != 3 {
		t.Fatalf("after two 503s: %d issuances, %v, %d calls; want the third answer", len(iss), err, calls.Load())
	}

	calls.Store(0)
	failFirst.Store(100)
	_, _, err = c.Certspotter(context.Background(), ctlog.Query{Domain: "example.com", MaxPages: 1})
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") || int(calls.Load()) != recon.RetryAttempts {
		t.Fatalf("always 503: %v after %d calls, want an error after %d", err, calls.Load(), recon.RetryAttempts)
	}
}
