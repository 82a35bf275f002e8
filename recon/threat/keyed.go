package threat

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// Keyed source names (also their recon.Sources service names).
const (
	SourceVirusTotal = "virustotal"
	SourceAbuseIPDB  = "abuseipdb"
)

// Thresholds for calling a keyed verdict malicious.
const (
	// VirusTotalMinEngines is how many engines must say "malicious": a single
	// engine is often a false positive.
	VirusTotalMinEngines = 2
	// AbuseIPDBMinScore is the abuse confidence score (0-100) from which an
	// address counts as malicious.
	AbuseIPDBMinScore = 50
)

// maxAbuseIPDB bounds the addresses of one target sent to AbuseIPDB.
const maxAbuseIPDB = 4

// keyedReq describes one request to a keyed source.
type keyedReq struct {
	source, envVar, key string
	subject             string
	url                 string
	header              string
	parse               func(body []byte) (detail string, malicious bool, err error)
}

func skippedNoKey(source, envVar string) recon.KeyedResult {
	return recon.KeyedResult{Source: source, Status: recon.StatusSkipped, Detail: "skipped: no key (set " + envVar + ")"}
}

// redact removes the key from s: no error text or fact may carry it.
func redact(s, key string) string {
	if key == "" {
		return s
	}
	s = strings.ReplaceAll(s, key, "[redacted]")
	if q := url.QueryEscape(key); q != key {
		s = strings.ReplaceAll(s, q, "[redacted]")
	}
	return s
}

func (k keyedReq) do(ctx context.Context, env *recon.Env) recon.KeyedResult {
	r := k.run(ctx, env)
	r.Source = k.source
	r.Detail = redact(r.Detail, k.key)
	return r
}

func (k keyedReq) run(ctx context.Context, env *recon.Env) (res recon.KeyedResult) {
	if err := env.Sources.Wait(ctx, k.source); err != nil {
		return recon.KeyedResult{Status: recon.StatusError, Detail: k.subject + ": not asked: " + err.Error()}
	}
	var reqErr error
	rateLimited := false
	defer func() { env.Sources.Done(k.source, reqErr, rateLimited) }()
	fail := func(format string, a ...any) recon.KeyedResult {
		reqErr = fmt.Errorf("%s", redact(fmt.Sprintf(format, a...), k.key))
		return recon.KeyedResult{Status: recon.StatusError, Detail: k.subject + ": " + reqErr.Error()}
	}
	if env.HTTP == nil {
		return fail("no HTTP client configured")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return fail("%v", err)
	}
	req.Header.Set(k.header, k.key)
	req.Header.Set("Accept", "application/json")
	resp, err := env.HTTP.Do(req)
	if err != nil {
		return fail("%v", err)
	}
	defer resp.Body.Close()
	maxBody := env.Limits.MaxBody
	if maxBody <= 0 {
		maxBody = recon.DefaultLimits().MaxBody
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return recon.KeyedResult{Status: recon.StatusOK, Detail: k.subject + ": no record"}
	case http.StatusUnauthorized, http.StatusForbidden:
		return fail("the key was rejected (%s); check %s", resp.Status, k.envVar)
	case http.StatusTooManyRequests:
		rateLimited = true
		wait := recon.RetryAfter(resp.Header.Get("Retry-After"), env.Clock())
		detail := k.subject + ": rate limit reached (429)"
		if wait > 0 {
			env.Sources.Backoff(k.source, time.Now().Add(wait))
			detail += "; retry after " + wait.String()
		} else {
			detail += "; try again later"
		}
		return recon.KeyedResult{Status: recon.StatusRateLimited, Detail: detail}
	default:
		return fail("unexpected %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fail("reading the answer: %v", err)
	}
	if int64(len(b)) > maxBody {
		return fail("answer larger than %d bytes, not read", maxBody)
	}
	detail, malicious, err := k.parse(b)
	if err != nil {
		return fail("%v", err)
	}
	return recon.KeyedResult{Status: recon.StatusOK, Detail: k.subject + ": " + detail, Malicious: malicious}
}

func virusTotal(env *recon.Env, kind, subject string) keyedReq {
	path := "/api/v3/domains/"
	if kind == "ip" {
		path = "/api/v3/ip_addresses/"
	}
	return keyedReq{
		source: SourceVirusTotal, envVar: "NETSPECTER_VIRUSTOTAL_KEY", key: env.Keys.VirusTotal,
		subject: subject, header: "x-apikey",
		url:   strings.TrimSuffix(env.VirusTotalURL, "/") + path + url.PathEscape(subject),
		parse: parseVirusTotal,
	}
}

func parseVirusTotal(b []byte) (string, bool, error) {
	var v struct {
		Data *struct {
			Attributes struct {
				Stats map[string]int `json:"last_analysis_stats"`
				Rep   *int           `json:"reputation"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Data == nil {
		return "", false, fmt.Errorf("VirusTotal answer is not a v3 object (%v)", err)
	}
	s := v.Data.Attributes.Stats
	total := 0
	for _, n := range s {
		total += n
	}
	d := fmt.Sprintf("%d of %d engines say malicious, %d suspicious", s["malicious"], total, s["suspicious"])
	if r := v.Data.Attributes.Rep; r != nil {
		d += fmt.Sprintf(" (community reputation %d)", *r)
	}
	return d, s["malicious"] >= VirusTotalMinEngines, nil
}

func abuseIPDB(env *recon.Env, a netip.Addr) keyedReq {
	q := url.Values{"ipAddress": {a.String()}, "maxAgeInDays": {"90"}}
	return keyedReq{
		source: SourceAbuseIPDB, envVar: "NETSPECTER_ABUSEIPDB_KEY", key: env.Keys.AbuseIPDB,
		subject: a.String(), header: "Key",
		url:   strings.TrimSuffix(env.AbuseIPDBURL, "/") + "/api/v2/check?" + q.Encode(),
		parse: parseAbuseIPDB,
	}
}

func parseAbuseIPDB(b []byte) (string, bool, error) {
	var v struct {
		Data *struct {
			Score       *int    `json:"abuseConfidenceScore"`
			Reports     int     `json:"totalReports"`
			Whitelisted *bool   `json:"isWhitelisted"`
			Last        *string `json:"lastReportedAt"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Data == nil || v.Data.Score == nil {
		return "", false, fmt.Errorf("AbuseIPDB answer has no abuseConfidenceScore (%v)", err)
	}
	d := fmt.Sprintf("abuse confidence %d%%, %d reports in 90 days", *v.Data.Score, v.Data.Reports)
	if v.Data.Last != nil && *v.Data.Last != "" {
		d += ", last " + *v.Data.Last
	}
	white := v.Data.Whitelisted != nil && *v.Data.Whitelisted
	if white {
		d += " (whitelisted)"
	}
	return d, *v.Data.Score >= AbuseIPDBMinScore && !white, nil
}
