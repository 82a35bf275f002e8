package headers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/cdn"
)

// MaxBody is how much of the page is read for fingerprinting.
const MaxBody = 512 << 10

// maxHeaderBytes bounds the response headers when the Env's transport sets no limit.
const maxHeaderBytes = 256 << 10

// SecurityHeaders are the headers checked, in the order they are reported.
var SecurityHeaders = []string{
	"Strict-Transport-Security",
	"Content-Security-Policy",
	"X-Frame-Options",
	"X-Content-Type-Options",
	"Referrer-Policy",
	"Permissions-Policy",
}

// ErrRedirectLoop is returned when a redirect leads back to a URL already visited.
var ErrRedirectLoop = errors.New("headers: redirect loop")

// ErrTooManyRedirects is returned after Limits.MaxRedirects redirects.
var ErrTooManyRedirects = errors.New("headers: too many redirects")

// New returns the headers module.
func New() recon.Module { return module{} }

type module struct{}

func (module) ID() string         { return recon.ModuleHeaders }
func (module) Touch() recon.Touch { return recon.MustInfo(recon.ModuleHeaders).Touch }

// PassiveSkipReason says what --passive-strict leaves unread: everything
// this module reads needs the site's own page.
func (module) PassiveSkipReason() string {
	return "passive-strict: this module fetches the site itself; not read: security headers, tech stack, page title and hash, analytics IDs, verification meta tags, favicon hash"
}
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleHeaders).Applies(k) }

// Run fetches the site and describes its answer.
func (module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	if env.HTTP == nil {
		return recon.Failed(errors.New("headers: no HTTP client configured"), nil)
	}
	Warm() // the fingerprints compile while the page is fetched
	domain := strings.ToLower(strings.TrimSuffix(run.Target.Domain(), "."))
	facts := &recon.HeadersFacts{URL: "https://" + domain + "/"}
	remote, body, err := fetch(ctx, env, facts.URL, facts)
	if err != nil && !errors.Is(err, ErrRedirectLoop) && !errors.Is(err, ErrTooManyRedirects) && ctx.Err() == nil {
		if errors.Is(err, recon.ErrNonPublic) {
			return &recon.ModuleResult{Status: recon.StatusSkipped, Err: err.Error(), Facts: facts}
		}
		httpsErr := err
		*facts = recon.HeadersFacts{URL: "http://" + domain + "/", HTTPSError: httpsErr.Error()}
		remote, body, err = fetch(ctx, env, facts.URL, facts)
		if err != nil && facts.StatusCode == 0 {
			err = fmt.Errorf("https: %v; http: %w", httpsErr, err)
		}
	}
	if facts.StatusCode != 0 {
		cloudflare(ctx, run, facts, remote)
		pageFingerprints(facts, body, domain)
		if ctx.Err() == nil {
			favicon(ctx, env, facts, body)
		} else {
			facts.FaviconError = "favicon not checked: " + ctx.Err().Error()
		}
	}
	if err != nil {
		if facts.StatusCode == 0 {
			// Nothing answered: no facts, so no "cloudflare": false or
			// empty header list reads as what the site sent.
			return recon.Failed(err, nil)
		}
		return recon.Failed(err, facts)
	}
	return recon.OK(facts, Pivots(facts)...)
}

// Fetch does the GET of u through env.HTTP (a copy with its own redirect
// policy), fills facts from the last response it got, and returns the
// address the last connection went to. A redirect loop or too many
// redirects return an error with the facts gathered so far kept.
func Fetch(ctx context.Context, env *recon.Env, u string, facts *recon.HeadersFacts) (netip.Addr, error) {
	remote, _, err := fetch(ctx, env, u, facts)
	return remote, err
}

// fetch is Fetch that also returns the body read (at most MaxBody bytes).
func fetch(ctx context.Context, env *recon.Env, u string, facts *recon.HeadersFacts) (netip.Addr, []byte, error) {
	maxRedirects := env.Limits.MaxRedirects
	if maxRedirects < 0 {
		maxRedirects = 0
	}
	var stop error
	seen := map[string]bool{u: true}
	client := *env.HTTP
	if tr, ok := client.Transport.(*http.Transport); ok && tr.MaxResponseHeaderBytes <= 0 {
		tr = tr.Clone()
		tr.MaxResponseHeaderBytes = maxHeaderBytes
		client.Transport = tr
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		next := req.URL.String()
		switch {
		case seen[next]:
			stop = fmt.Errorf("%w: %s leads back to %s after %d redirects; the site may only work in a browser with cookies", ErrRedirectLoop, via[len(via)-1].URL, next, len(via))
			return http.ErrUseLastResponse
		case len(via) > maxRedirects:
			stop = fmt.Errorf("%w: stopped after %d (the limit; raise limits.max_redirects)", ErrTooManyRedirects, maxRedirects)
			return http.ErrUseLastResponse
		}
		seen[next] = true
		facts.Redirects = append(facts.Redirects, next)
		return nil
	}
	var remote netip.Addr
	var mu sync.Mutex
	trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) {
		if ta, ok := ci.Conn.RemoteAddr().(*net.TCPAddr); ok {
			if a, ok := netip.AddrFromSlice(ta.IP); ok {
				mu.Lock()
				remote = a.Unmap()
				mu.Unlock()
			}
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, u, nil)
	if err != nil {
		return netip.Addr{}, nil, fmt.Errorf("headers: bad URL %q: %w", u, err)
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (compatible; netspecter-tui)")
	req.Header.Set("Accept", "text/html,*/*;q=0.8")
	resp, err := client.Do(req)
	env.Sources.Done("http (target)", err, false)
	if err != nil {
		return netip.Addr{}, nil, err
	}
	defer resp.Body.Close()
	// A body cut short (slow server, deadline) still leaves the headers,
	// which are the facts that matter; fingerprint what arrived.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	describe(facts, resp, body)
	mu.Lock()
	defer mu.Unlock()
	return remote, body, stop
}

// describe fills facts from one response.
func describe(f *recon.HeadersFacts, resp *http.Response, body []byte) {
	f.StatusCode = resp.StatusCode
	f.FinalURL = resp.Request.URL.String()
	f.Raw = make(map[string][]string, len(resp.Header))
	for k, v := range resp.Header {
		f.Raw[k] = append([]string(nil), v...)
	}
	f.Security = Security(resp.Header)
	if resp.Request.URL.Scheme != "https" {
		// Over plain HTTP a browser ignores Strict-Transport-Security
		// (RFC 6797 §8.1): this answer cannot say whether the site sends
		// it, so it is not listed as missing.
		f.Security = slices.DeleteFunc(f.Security, func(c recon.HeaderCheck) bool { return c.Name == "Strict-Transport-Security" })
	}
	f.Server = resp.Header.Get("Server")
	f.PoweredBy = resp.Header.Get("X-Powered-By")
	f.Tech = Tech(resp.Header, body)
	f.Parking = recon.ParkingPage(body)
	if v := resp.Header.Get("Cf-Ray"); v != "" {
		f.Cloudflare, f.CloudflareEvidence = true, "cf-ray: "+v
	} else if strings.EqualFold(strings.TrimSpace(f.Server), "cloudflare") {
		f.Cloudflare, f.CloudflareEvidence = true, "server: "+f.Server
	}
}

// Security reports each of SecurityHeaders as present (with its value) or missing.
func Security(h http.Header) []recon.HeaderCheck {
	out := make([]recon.HeaderCheck, 0, len(SecurityHeaders))
	for _, name := range SecurityHeaders {
		v, ok := h[http.CanonicalHeaderKey(name)]
		out = append(out, recon.HeaderCheck{Name: name, Present: ok, Value: strings.Join(v, ", ")})
	}
	return out
}

// cloudflare adds address evidence: the connected address or one of the
// target's addresses inside Cloudflare's ranges.
func cloudflare(ctx context.Context, run *recon.Run, f *recon.HeadersFacts, remote netip.Addr) {
	if f.Cloudflare {
		return
	}
	addrs := []netip.Addr{remote}
	if a, err := run.Addrs(ctx); err == nil {
		addrs = append(addrs, a...)
	}
	for _, a := range addrs {
		if a.IsValid() && cdn.Provider(a) == "cloudflare" {
			f.Cloudflare, f.CloudflareEvidence = true, fmt.Sprintf("address %s is in Cloudflare's ranges", a)
			return
		}
	}
}
