package ctlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// Service names used with recon.Sources.
const (
	ServiceCertspotter = "certspotter"
	ServiceCrtsh       = "crtsh"
)

// maxShortRetry is the longest Retry-After the client waits for before
// retrying once; a longer one ends the attempt as rate-limited.
const maxShortRetry = 2 * time.Second

// ErrRateLimited is matched (errors.Is) by every *RateLimitError.
var ErrRateLimited = errors.New("ctlog: rate limited")

// RateLimitError says a service refused because of its rate limit.
type RateLimitError struct {
	Service    string
	RetryAfter time.Duration // 0 when the service did not say

	retryable bool // the Retry-After header was present
}

// Error says who is rate-limiting and what to do: wait (as long as the
// service asked), or set an API key.
func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s is rate-limiting us (retry after %s); wait, or set an API key", e.Service, e.RetryAfter.Round(time.Second))
	}
	return fmt.Sprintf("%s is rate-limiting us; wait a minute, or set an API key", e.Service)
}

// Unwrap makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// StatusError is an HTTP answer other than 200 and 429.
type StatusError struct {
	Service string
	Code    int
}

// Error names the service and the HTTP status it answered.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d; try again later", e.Service, e.Code)
}

// ErrTooLarge is returned when a body is larger than Env.Limits.MaxBody.
var ErrTooLarge = errors.New("ctlog: response body larger than the limit (raise limits.max_body)")

// Client queries the CT search services named in an Env, through its HTTP
// client, rate limits and body limit.
type Client struct {
	Env *recon.Env
}

// Query is one Cert Spotter issuances search.
type Query struct {
	Domain            string
	IncludeSubdomains bool
	Expand            []string // e.g. "dns_names", "issuer", "cert_der"
	MaxPages          int      // 0: Env.Limits.CTMaxPages
}

// Certspotter follows the issuances pages (after=<last id>) until an empty
// page or MaxPages. It returns what it read so far together with an error,
// and the number of pages read.
func (c *Client) Certspotter(ctx context.Context, q Query) ([]Issuance, int, error) {
	maxPages := q.MaxPages
	if maxPages <= 0 {
		maxPages = c.Env.Limits.CTMaxPages
	}
	if maxPages <= 0 {
		maxPages = 20
	}
	base := strings.TrimRight(c.Env.CertspotterURL, "/") + "/v1/issuances"
	var all []Issuance
	after := ""
	pages := 0
	for pages < maxPages {
		v := url.Values{}
		v.Set("domain", q.Domain)
		if q.IncludeSubdomains {
			v.Set("include_subdomains", "true")
		}
		for _, e := range q.Expand {
			v.Add("expand", e)
		}
		if after != "" {
			v.Set("after", after)
		}
		body, err := c.get(ctx, ServiceCertspotter, base+"?"+v.Encode(), c.Env.Keys.Certspotter)
		if err != nil {
			return all, pages, err
		}
		page, err := DecodeCertspotter(bytes.NewReader(body))
		if err != nil {
			return all, pages, err
		}
		pages++
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		last := page[len(page)-1].ID
		if last == "" || last == after {
			break // no way to ask for the next page
		}
		after = last
	}
	return all, pages, nil
}

// Crtsh asks crt.sh for every certificate under domain (q=%.domain).
func (c *Client) Crtsh(ctx context.Context, domain string) ([]Issuance, error) {
	u := strings.TrimRight(c.Env.CrtshURL, "/") + "/?q=" + url.QueryEscape("%."+domain) + "&output=json"
	body, err := c.get(ctx, ServiceCrtsh, u, "")
	if err != nil {
		return nil, err
	}
	return DecodeCrtsh(bytes.NewReader(body))
}

// get is getOnce retried with backoff (recon.Retry) after a 5xx or a
// timeout.
func (c *Client) get(ctx context.Context, svc, u, bearer string) ([]byte, error) {
	var body []byte
	err := recon.Retry(ctx, c.Env, svc, func() (bool, error) {
		var err error
		body, err = c.getOnce(ctx, svc, u, bearer)
		var se *StatusError
		var ne net.Error
		return (errors.As(err, &se) && se.Code >= 500) || (errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil), err
	})
	return body, err
}

// getOnce does one GET with rate limiting, counting and a bounded body. A
// 429 with a short Retry-After is retried once after waiting.
func (c *Client) getOnce(ctx context.Context, svc, u, bearer string) ([]byte, error) {
	env := c.Env
	if env.HTTP == nil {
		return nil, fmt.Errorf("ctlog: no HTTP client configured for %s", svc)
	}
	for attempt := 0; ; attempt++ {
		if err := env.Sources.Wait(ctx, svc); err != nil {
			return nil, err
		}
		body, err := c.once(ctx, svc, u, bearer)
		var rl *RateLimitError
		if errors.As(err, &rl) {
			env.Sources.Done(svc, err, true)
			if rl.RetryAfter > 0 {
				env.Sources.Backoff(svc, time.Now().Add(rl.RetryAfter))
			}
			if attempt == 0 && rl.RetryAfter <= maxShortRetry && rl.retryable {
				continue
			}
			return nil, err
		}
		env.Sources.Done(svc, err, false)
		return body, err
	}
}

func (c *Client) once(ctx context.Context, svc, u, bearer string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("ctlog: %s: bad URL (check the configured base URL): %w", svc, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "netspecter-tui")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Env.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", svc, err)
	}
	defer resp.Body.Close()
	limit := c.Env.Limits.MaxBody
	if limit <= 0 {
		limit = 8 << 20
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		h := resp.Header.Get("Retry-After")
		return nil, &RateLimitError{Service: svc, RetryAfter: recon.RetryAfter(h, time.Now()), retryable: h != ""}
	case resp.StatusCode != http.StatusOK:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &StatusError{Service: svc, Code: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the answer: %w", svc, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes)", svc, ErrTooLarge, limit)
	}
	return body, nil
}
