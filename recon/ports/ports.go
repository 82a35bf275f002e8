package ports

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/cdn"
)

// Service is the name InternetDB requests are counted and rate-limited under.
const Service = "internetdb"

// MaxDecode bounds what Decode reads when its caller did not bound the reader.
const MaxDecode = 8 << 20

// maxParallel bounds the addresses asked at once.
const maxParallel = 4

// ErrMalformed is wrapped by Decode errors.
var ErrMalformed = errors.New("ports: malformed InternetDB answer")

// ErrRateLimited is wrapped by the error of a host InternetDB refused with 429.
var ErrRateLimited = errors.New("ports: InternetDB rate limit")

// wire is InternetDB's Host schema (openapi.json: cpes, hostnames, ip,
// ports, tags, vulns, all required). Detail is the error body
// ({"detail": "..."} or a validation error list).
type wire struct {
	CPEs      []string        `json:"cpes"`
	Hostnames []string        `json:"hostnames"`
	IP        *string         `json:"ip"`
	Ports     []int           `json:"ports"`
	Tags      []string        `json:"tags"`
	Vulns     []string        `json:"vulns"`
	Detail    json.RawMessage `json:"detail"`
}

// Decode reads one InternetDB JSON answer (at most MaxDecode bytes). It
// returns an error wrapping ErrMalformed for anything that is not a Host
// object: invalid JSON, a non-object, an error body without "ip", a port
// outside 0-65535 or trailing data. Strings are kept unchanged.
func Decode(r io.Reader) (*recon.HostPorts, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxDecode+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading: %v", ErrMalformed, err)
	}
	if len(b) > MaxDecode {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, MaxDecode)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var w wire
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: not valid JSON for a Host object: %v", ErrMalformed, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrMalformed)
	}
	if w.IP == nil {
		if len(w.Detail) > 0 {
			return nil, fmt.Errorf("%w: no \"ip\"; InternetDB said %s", ErrMalformed, truncate(string(w.Detail), 200))
		}
		return nil, fmt.Errorf("%w: no \"ip\" field (is this an InternetDB Host object?)", ErrMalformed)
	}
	for _, p := range w.Ports {
		if p < 0 || p > 65535 {
			return nil, fmt.Errorf("%w: port %d out of range", ErrMalformed, p)
		}
	}
	return &recon.HostPorts{IP: *w.IP, Ports: w.Ports, CPEs: w.CPEs, Hostnames: w.Hostnames, Tags: w.Tags, Vulns: w.Vulns}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

type module struct {
	retryDelay time.Duration // wait before the one retry after a 5xx
}

// New returns the ports module.
func New() recon.Module { return &module{retryDelay: time.Second} }

func (*module) ID() string                { return recon.ModulePorts }
func (*module) Touch() recon.Touch        { return recon.MustInfo(recon.ModulePorts).Touch }
func (*module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModulePorts).Applies(k) }

// Run asks InternetDB about every address of the target.
func (m *module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	facts := &recon.PortsFacts{Hosts: []recon.HostPorts{}}
	ask, skipped, err := run.PublicAddrs(ctx)
	if err != nil && len(ask) == 0 && len(skipped) == 0 {
		return recon.Failed(fmt.Errorf("no address to look up: %w", err), facts)
	}
	if env.HTTP == nil || env.InternetDBURL == "" {
		return recon.Failed(errors.New("no HTTP client or InternetDB URL configured"), facts)
	}
	hosts := make([]*recon.HostPorts, len(ask))
	errs := make([]error, len(ask))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallel)
	for i, a := range ask {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			hosts[i], errs[i] = m.lookup(ctx, env, a)
		}()
	}
	wg.Wait()

	var pivots []recon.Pivot
	var limited, failed []string
	for i, h := range hosts {
		if errs[i] != nil {
			if errors.Is(errs[i], ErrRateLimited) {
				limited = append(limited, errs[i].Error())
			} else {
				failed = append(failed, errs[i].Error())
			}
			continue
		}
		h.CDN = cdn.ProviderString(h.IP)
		if h.CDN == "" {
			h.CDN = cdn.Provider(ask[i])
		}
		facts.Hosts = append(facts.Hosts, *h)
		for _, n := range h.Hostnames {
			if v := hostnamePivot(n); v != "" {
				pivots = append(pivots, recon.Pivot{Kind: recon.PivotDomain, Value: v, Relation: recon.RelHostname})
			}
		}
	}
	switch {
	case len(limited) > 0:
		return &recon.ModuleResult{Status: recon.StatusRateLimited, Err: strings.Join(append(limited, failed...), "; "), Facts: facts, Pivots: pivots}
	case len(failed) > 0:
		return &recon.ModuleResult{Status: recon.StatusError, Err: strings.Join(failed, "; "), Facts: facts, Pivots: pivots}
	}
	res := recon.OK(facts, pivots...)
	if len(ask) == 0 && len(skipped) > 0 {
		return recon.Skipped("no public address to look up: " + strings.Join(skipped, ", "))
	}
	return res
}

// hostnamePivot returns the normalised hostname, or "" when it is not a
// plausible domain name.
func hostnamePivot(n string) string {
	t, err := recon.ParseTarget(n)
	if err != nil || t.Kind != recon.KindDomain {
		return ""
	}
	return t.Value
}

// lookup asks InternetDB about one address, retrying once after a 5xx.
func (m *module) lookup(ctx context.Context, env *recon.Env, a netip.Addr) (*recon.HostPorts, error) {
	h, retry, err := m.once(ctx, env, a)
	if !retry {
		return h, err
	}
	t := time.NewTimer(m.retryDelay)
	select {
	case <-ctx.Done():
		t.Stop()
		return nil, fmt.Errorf("InternetDB %s: %v (gave up waiting to retry: %v)", a, err, ctx.Err())
	case <-t.C:
	}
	h, _, err2 := m.once(ctx, env, a)
	if err2 != nil {
		return nil, fmt.Errorf("%w (after one retry; try again later)", err2)
	}
	return h, nil
}

// once makes one request; retry says whether a 5xx invites one more.
func (m *module) once(ctx context.Context, env *recon.Env, a netip.Addr) (h *recon.HostPorts, retry bool, err error) {
	if err := env.Sources.Wait(ctx, Service); err != nil {
		return nil, false, fmt.Errorf("InternetDB %s: %w", a, err)
	}
	rateLimited := false
	defer func() { env.Sources.Done(Service, err, rateLimited) }()
	u := strings.TrimSuffix(env.InternetDBURL, "/") + "/" + a.String()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false, fmt.Errorf("InternetDB %s: %w", a, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := env.HTTP.Do(req)
	if err != nil {
		return nil, false, fmt.Errorf("InternetDB %s: %w", a, err)
	}
	defer resp.Body.Close()
	maxBody := env.Limits.MaxBody
	if maxBody <= 0 {
		maxBody = recon.DefaultLimits().MaxBody
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		if err != nil {
			return nil, false, fmt.Errorf("InternetDB %s: reading the answer: %w", a, err)
		}
		if int64(len(b)) > maxBody {
			return nil, false, fmt.Errorf("InternetDB %s: answer larger than %d bytes, not read (raise the body limit if this is expected)", a, maxBody)
		}
		h, err := Decode(bytes.NewReader(b))
		if err != nil {
			return nil, false, fmt.Errorf("InternetDB %s: %w", a, err)
		}
		return h, false, nil
	case resp.StatusCode == http.StatusNotFound:
		return &recon.HostPorts{IP: a.String(), NoData: true}, false, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		rateLimited = true
		now := env.Clock()
		wait := recon.RetryAfter(resp.Header.Get("Retry-After"), now)
		detail := "no Retry-After given"
		if wait > 0 {
			env.Sources.Backoff(Service, time.Now().Add(wait))
			detail = "retry after " + wait.String()
		}
		return nil, false, fmt.Errorf("%w: InternetDB refused %s with 429 (%s); try again later", ErrRateLimited, a, detail)
	case resp.StatusCode >= 500:
		return nil, true, fmt.Errorf("InternetDB %s: server error %s", a, resp.Status)
	default:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, false, fmt.Errorf("InternetDB %s: unexpected %s: %s", a, resp.Status, truncate(strings.TrimSpace(string(b)), 200))
	}
}
