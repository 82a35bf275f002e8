package recon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/time/rate"
)

// DialFunc opens a connection, like net.Dialer.DialContext.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Keys are the optional API keys. They are never written to sessions,
// exports, logs or error messages.
type Keys struct {
	VirusTotal  string `toml:"virustotal"`
	AbuseIPDB   string `toml:"abuseipdb"`
	Certspotter string `toml:"certspotter"`
	// SpamhausDQS is a Spamhaus Data Query Service key: blocklist questions
	// then go to <key>.zen.dq.spamhaus.net (and dbl), which answer through
	// any resolver. Never shown: zones are reported without it.
	SpamhausDQS string `toml:"spamhaus_dqs"`
}

// Loaded names the keys that are set (never their values).
func (k Keys) Loaded() []string {
	var out []string
	if k.VirusTotal != "" {
		out = append(out, "virustotal")
	}
	if k.AbuseIPDB != "" {
		out = append(out, "abuseipdb")
	}
	if k.Certspotter != "" {
		out = append(out, "certspotter")
	}
	if k.SpamhausDQS != "" {
		out = append(out, "spamhaus_dqs")
	}
	return out
}

// Limits bound every read and wait.
type Limits struct {
	ModuleTimeout time.Duration // per module of one scan
	DNSTimeout    time.Duration // per DNS exchange
	MaxBody       int64         // bytes of any HTTP body read
	MaxWhois      int64         // bytes of one WHOIS answer
	MaxRedirects  int           // HTTP redirects followed by the headers module
	SubdomainCap  int           // names kept by the subdomains module
	CTMaxPages    int           // Certspotter pages followed
	MaxSANs       int           // SANs kept per certificate
}

// DefaultLimits are the limits used unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{
		ModuleTimeout: 20 * time.Second,
		DNSTimeout:    4 * time.Second,
		MaxBody:       8 << 20,
		MaxWhois:      1 << 20,
		MaxRedirects:  5,
		SubdomainCap:  1000,
		CTMaxPages:    20,
		MaxSANs:       10000,
	}
}

// Env is the only way a module reaches the network: every address, client,
// database and limit a module uses comes from here. The lab builds an Env
// whose addresses point at loopback servers; the real Env points at the
// public services. The code paths are the same.
type Env struct {
	// Resolver is the recursive resolver, "host:port", or a DNS-over-HTTPS
	// URL ("https://host/dns-query", RFC 8484) asked through HTTP.
	Resolver string
	// Dial opens every TCP connection modules make (WHOIS, TLS, HTTP). Outside
	// the lab it refuses non-public addresses (see GuardedDialer).
	Dial DialFunc
	// HTTP is the client for third-party APIs and the headers module. Its
	// transport dials through Dial.
	HTTP *http.Client
	// RootCAs verifies certificates (nil: the system pool). The lab sets its CA.
	RootCAs *x509.CertPool
	// PublicRoots are the roots of the public web PKI. A chain that RootCAs
	// accepts but PublicRoots does not ends in a private root: a
	// TLS-inspecting proxy's. nil: that check is not made.
	PublicRoots *x509.CertPool

	// Proxy is the proxy URL (http:// or socks5://) that Dial and HTTP go
	// through, "" for none; shown without credentials. With a proxy set,
	// nothing is sent around it (no direct DNS to a zone's name servers).
	Proxy string

	// WhoisServer is the first WHOIS server asked ("whois.iana.org:43").
	WhoisServer string
	// RDAPBootstrapURL is the base of IANA's RDAP bootstrap files.
	RDAPBootstrapURL string

	// GeoIP holds the opened .mmdb readers, or nil.
	GeoIP *GeoDB
	// CymruOrigin, CymruOrigin6 and CymruASN are Team Cymru's DNS zones.
	CymruOrigin, CymruOrigin6, CymruASN string

	// CertspotterURL, CrtshURL and InternetDBURL are the bases of those APIs.
	CertspotterURL, CrtshURL, InternetDBURL string
	// VirusTotalURL and AbuseIPDBURL are the bases of the keyed sources.
	VirusTotalURL, AbuseIPDBURL string

	// DNSBLDomain and DNSBLIP are the blocklist zones asked for domains and IPs.
	DNSBLDomain, DNSBLIP []string
	// AbuseASNs maps abuse-tolerant ASNs to their name (Spamhaus ASN-DROP format).
	AbuseASNs map[uint32]string
	// AbuseASNSource says where AbuseASNs came from.
	AbuseASNSource string

	Keys   Keys
	Limits Limits

	// Lab is true when every address is a lab server.
	Lab bool
	// PassiveStrict runs no module that contacts the target itself.
	PassiveStrict bool
	// Now is the clock (tests and the lab fix it).
	Now func() time.Time

	// Sources counts requests per service and applies rate limits.
	Sources *Sources

	// Trace, when set, receives every DNS exchange (see TraceEvent); with
	// TraceDial around Dial it receives the TCP round trips too. For
	// measurements (the benchmarks' critical path); nil in normal use.
	Trace func(TraceEvent)
}

// Clock returns Now() or time.Now().
func (e *Env) Clock() time.Time {
	if e != nil && e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// ErrNonPublic is returned by the guarded dialer for loopback, private,
// link-local and other non-public addresses.
var ErrNonPublic = errors.New("recon: refusing to connect to a non-public address")

// NonPublicError carries the address refused and why.
type NonPublicError struct {
	Addr   string
	Reason string
}

// Error implements error.
func (e *NonPublicError) Error() string {
	return fmt.Sprintf("refused to connect to %s: it is a %s address (a hostile record can point scans at your own network)", e.Addr, e.Reason)
}

// Unwrap makes errors.Is(err, ErrNonPublic) true.
func (e *NonPublicError) Unwrap() error { return ErrNonPublic }

// CheckPublic returns a *NonPublicError when a is not a public address.
func CheckPublic(a netip.Addr) error {
	if why := NonPublicReason(a); why != "" {
		return &NonPublicError{Addr: a.String(), Reason: why}
	}
	return nil
}

// GuardedDialer returns the real-mode dialer: host names are resolved through
// resolve (never the system resolver) and every address is checked with
// CheckPublic right before the connection is opened, so no redirect, CNAME or
// referral can aim a connection at the analyst's own network.
func GuardedDialer(d *net.Dialer, resolve func(ctx context.Context, host string) ([]netip.Addr, error)) DialFunc {
	if d == nil {
		d = &net.Dialer{Timeout: 10 * time.Second}
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var addrs []netip.Addr
		if a, err := netip.ParseAddr(host); err == nil {
			addrs = []netip.Addr{a}
		} else {
			addrs, err = resolve(ctx, host)
			if err != nil {
				return nil, err
			}
			if len(addrs) == 0 {
				return nil, fmt.Errorf("%s has no address", host)
			}
		}
		var lastErr error
		for _, a := range addrs {
			if err := CheckPublic(a); err != nil {
				lastErr = err
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
			if err == nil {
				return c, nil
			}
			lastErr = err
		}
		return nil, lastErr
	}
}

// NewHTTPClient builds the HTTP client every module uses: it dials through
// dial, verifies with roots, bounds every phase, and follows at most
// maxRedirects redirects.
func NewHTTPClient(dial DialFunc, roots *x509.CertPool, timeout time.Duration, maxRedirects int) *http.Client {
	tr := &http.Transport{
		DialContext:            dial,
		TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 256 << 10,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    16,
		IdleConnTimeout:        30 * time.Second,
		ForceAttemptHTTP2:      true,
		Proxy:                  nil, // never a proxy from the environment: addresses come from Env only
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return nil
		},
	}
}

// ---- DNS ------------------------------------------------------------------

// DNSAttempts is how many times Exchange asks before giving up on a
// resolver that does not answer (UDP loses packets) or answers SERVFAIL.
const DNSAttempts = 3

// Exchange sends one DNS query to the Env's resolver, over UDP with a retry
// over TCP when the answer is truncated. A lost answer or a SERVFAIL is
// asked again (DNSAttempts in all, each try under DNSTimeout/DNSAttempts,
// with a short jittered pause), since both are usually transient. It is the only
// DNS path modules use.
func (e *Env) Exchange(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	if e.Resolver == "" {
		return nil, errors.New("recon: no DNS resolver configured (give --resolver host:port)")
	}
	timeout := e.Limits.DNSTimeout
	if timeout <= 0 {
		timeout = 4 * time.Second
	}
	per := max(timeout/DNSAttempts, 20*time.Millisecond)
	var r *dns.Msg
	var err error
	for attempt := 1; attempt <= DNSAttempts; attempt++ {
		if attempt > 1 {
			pause := time.Duration(attempt*10+rand.IntN(20)) * time.Millisecond
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("DNS %s %s via %s: %w", dns.TypeToString[qtype], name, e.Resolver, ctx.Err())
			case <-time.After(pause):
			}
		}
		r, err = e.exchangeOnce(ctx, name, qtype, per)
		var ne net.Error
		switch {
		case err == nil && r.Rcode == dns.RcodeServerFailure && attempt < DNSAttempts:
			continue
		case err != nil && errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil:
			continue
		}
		break
	}
	if err != nil {
		return nil, fmt.Errorf("DNS %s %s via %s: %w", dns.TypeToString[qtype], name, e.Resolver, err)
	}
	return r, nil
}

func (e *Env) exchangeOnce(ctx context.Context, name string, qtype uint16, timeout time.Duration) (*dns.Msg, error) {
	if err := e.Sources.Wait(ctx, "dns"); err != nil {
		return nil, err
	}
	if e.Trace != nil {
		defer e.trace(ctx, "dns "+dns.TypeToString[qtype]+" "+name, time.Now())
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	m.SetEdns0(1232, false)
	if u, ok := DoHURL(e.Resolver); ok {
		// One HTTP exchange gets the whole budget (a proxy such as Tor
		// adds a second or more).
		r, err := e.exchangeDoH(ctx, u, m, timeout*DNSAttempts)
		e.Sources.Done("dns", err, false)
		if err != nil {
			return nil, err
		}
		if r.Id != m.Id {
			return nil, errors.New("answer id mismatch")
		}
		return r, nil
	}
	c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: 1232}
	r, _, err := c.ExchangeContext(ctx, m, e.Resolver)
	if err == nil && r != nil && r.Truncated {
		tc := &dns.Client{Net: "tcp", Timeout: timeout}
		r, _, err = tc.ExchangeContext(ctx, m, e.Resolver)
	}
	e.Sources.Done("dns", err, false)
	if err != nil {
		return nil, err
	}
	if r.Id != m.Id {
		return nil, errors.New("answer id mismatch")
	}
	return r, nil
}

// ExchangeAt asks one question directly of the name server at server
// ("ip:53"), without recursion, over a UDP connection opened through Dial
// (so the guarded dialer's public-address check, and the lab's routing,
// apply). It is for asking a zone's own name servers when the resolver
// cannot be used for that zone (a blocklist that refuses public
// resolvers). Bounded by the DNS timeout.
func (e *Env) ExchangeAt(ctx context.Context, server, name string, qtype uint16) (*dns.Msg, error) {
	if e.Dial == nil {
		return nil, errors.New("recon: no dialer configured")
	}
	timeout := e.Limits.DNSTimeout
	if timeout <= 0 {
		timeout = 4 * time.Second
	}
	if err := e.Sources.Wait(ctx, "dns"); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := e.Dial(ctx, "udp", server)
	if err != nil {
		e.Sources.Done("dns", err, false)
		return nil, fmt.Errorf("DNS %s %s at %s: %w", dns.TypeToString[qtype], name, server, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	m.SetEdns0(1232, false)
	c := &dns.Client{Timeout: timeout, UDPSize: 1232}
	r, _, err := c.ExchangeWithConnContext(ctx, m, &dns.Conn{Conn: conn, UDPSize: 1232})
	e.Sources.Done("dns", err, false)
	if err != nil {
		return nil, fmt.Errorf("DNS %s %s at %s: %w", dns.TypeToString[qtype], name, server, err)
	}
	if r.Id != m.Id {
		return nil, errors.New("answer id mismatch")
	}
	return r, nil
}

// RcodeError is returned for answers other than NOERROR and NXDOMAIN.
type RcodeError struct {
	Name  string
	Type  string
	Rcode int
}

// Error implements error.
func (e *RcodeError) Error() string {
	return fmt.Sprintf("%s %s: the resolver answered %s", e.Type, e.Name, dns.RcodeToString[e.Rcode])
}

// LookupAddrs resolves host to its A and AAAA addresses through the Env's resolver.
func (e *Env) LookupAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	var firstErr error
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		r, err := e.Exchange(ctx, host, t)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		out = append(out, AddrsOf(r)...)
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	if st, _ := e.ResolverState(ctx); st.Rewritten(out) {
		return nil, fmt.Errorf("%s: %w", host, ErrRewritten)
	}
	return out, nil
}

// AddrsOf extracts A and AAAA addresses from an answer.
func AddrsOf(r *dns.Msg) []netip.Addr {
	var out []netip.Addr
	if r == nil {
		return nil
	}
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.A:
			if a, ok := netip.AddrFromSlice(v.A.To4()); ok {
				out = append(out, a)
			}
		case *dns.AAAA:
			if a, ok := netip.AddrFromSlice(v.AAAA.To16()); ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// ---- sources: request counts and rate limits ------------------------------

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

// Default service addresses (real mode). The lab replaces every one of them.
const (
	DefaultWhoisServer      = "whois.iana.org:43"
	DefaultRDAPBootstrapURL = "https://data.iana.org/rdap/"
	DefaultCertspotterURL   = "https://api.certspotter.com"
	DefaultCrtshURL         = "https://crt.sh"
	DefaultInternetDBURL    = "https://internetdb.shodan.io"
	DefaultVirusTotalURL    = "https://www.virustotal.com"
	DefaultAbuseIPDBURL     = "https://api.abuseipdb.com"
)

// Defaults returns an Env with the real services' addresses, the default
// zones, limits and rate limits, and no resolver, dialer or HTTP client: the
// caller (real mode in cmd, or the lab) sets Resolver, Dial and HTTP.
func Defaults() *Env {
	return &Env{
		WhoisServer:      DefaultWhoisServer,
		RDAPBootstrapURL: DefaultRDAPBootstrapURL,
		CymruOrigin:      "origin.asn.cymru.com",
		CymruOrigin6:     "origin6.asn.cymru.com",
		CymruASN:         "asn.cymru.com",
		CertspotterURL:   DefaultCertspotterURL,
		CrtshURL:         DefaultCrtshURL,
		InternetDBURL:    DefaultInternetDBURL,
		VirusTotalURL:    DefaultVirusTotalURL,
		AbuseIPDBURL:     DefaultAbuseIPDBURL,
		DNSBLDomain:      []string{"dbl.spamhaus.org"},
		DNSBLIP:          []string{"zen.spamhaus.org"},
		Limits:           DefaultLimits(),
		Sources:          NewSources(DefaultRateLimits()),
	}
}

// UseGuardedNetwork sets Dial to the guarded dialer (names resolved through
// e.Resolver, non-public addresses refused) and HTTP to a client over it.
func (e *Env) UseGuardedNetwork() {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	e.Dial = GuardedDialer(d, e.LookupAddrs)
	e.HTTP = NewHTTPClient(e.Dial, e.RootCAs, 15*time.Second, e.Limits.MaxRedirects)
}
