package recon

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/proxy"
)

// NetworkOptions say how real mode reaches the network.
type NetworkOptions struct {
	// Proxy is an http:// or socks5:// (socks5h:// too) URL every TCP
	// connection (HTTP APIs, WHOIS, the target's TLS and HTTP) goes
	// through; "" for none.
	Proxy string
	// ProxyFromEnv takes HTTPS_PROXY, then ALL_PROXY (and the lower-case
	// forms) when Proxy is empty.
	ProxyFromEnv bool
	// Getenv reads the environment (os.Getenv; tests give their own).
	Getenv func(string) string
	// Bootstrap resolves the host name of a DNS-over-HTTPS resolver when
	// no proxy does it (nil: net.DefaultResolver). It is the only look-up
	// not made through Env.Resolver, since it finds Env.Resolver itself.
	Bootstrap func(ctx context.Context, host string) ([]netip.Addr, error)
}

// ErrProxy is wrapped by errors about the proxy setting.
var ErrProxy = errors.New("recon: bad proxy")

// ParseProxy checks a proxy URL: http://host:port or socks5://host:port
// (socks5h is read as socks5: the tool sends addresses it resolved and
// checked itself), with optional user:password.
func ParseProxy(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrProxy, Quote(s), err)
	}
	switch u.Scheme {
	case "http", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("%w %s: use http://HOST:PORT or socks5://HOST:PORT (e.g. socks5://127.0.0.1:9050 for a local Tor)", ErrProxy, Quote(Redact(s)))
	}
	if u.Hostname() == "" || u.Port() == "" {
		return nil, fmt.Errorf("%w %s: give the host and the port, e.g. %s://127.0.0.1:%s", ErrProxy, Quote(Redact(s)), u.Scheme, map[bool]string{true: "9050", false: "3128"}[u.Scheme != "http"])
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("%w %s: a proxy URL has no path", ErrProxy, Quote(Redact(s)))
	}
	return u, nil
}

// Redact returns a proxy or resolver URL without its password.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// proxyFromEnv returns HTTPS_PROXY, else ALL_PROXY (either case), or "".
func proxyFromEnv(getenv func(string) string) string {
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
	}
	return ""
}

// UseNetwork sets Dial and HTTP for real mode: every connection to an
// address a target or a service resolved to is checked with CheckPublic
// (through the proxy too: a proxy inside the network would reach what the
// guard keeps out), and goes through the proxy when one is configured. The
// guard lets through exactly the configured proxy and the configured
// DNS-over-HTTPS resolver, which the analyst chose. With a DoH resolver
// (Resolver "https://…/dns-query") DNS goes over HTTP through the same
// client and proxy.
func (e *Env) UseNetwork(o NetworkOptions) error {
	getenv := o.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	ps := o.Proxy
	if ps == "" && o.ProxyFromEnv {
		ps = proxyFromEnv(getenv)
	}
	base := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	direct := func(ctx context.Context, network, addr string) (net.Conn, error) {
		return base.DialContext(ctx, network, addr)
	}
	via := direct
	if ps != "" {
		u, err := ParseProxy(ps)
		if err != nil {
			return err
		}
		via, err = proxyDialer(u, base)
		if err != nil {
			return err
		}
		e.Proxy = Redact(u.String())
	}
	doh := ""
	if u, ok := DoHURL(e.Resolver); ok {
		doh = hostPort(u)
	}
	bootstrap := o.Bootstrap
	if bootstrap == nil {
		bootstrap = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	e.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(network, "udp") && ps != "" {
			return nil, fmt.Errorf("not sending UDP to %s around the proxy %s", addr, e.Proxy)
		}
		if doh != "" && strings.EqualFold(addr, doh) {
			// The DoH resolver the analyst chose: the proxy resolves its
			// name, or the bootstrap look-up does; never the guard's check.
			if ps != "" {
				return via(ctx, network, addr)
			}
			addrs, err := literalOr(ctx, host, bootstrap)
			if err != nil {
				return nil, fmt.Errorf("DNS-over-HTTPS resolver %s: %w", host, err)
			}
			return dialFirst(ctx, network, port, addrs, direct)
		}
		var addrs []netip.Addr
		if a, err := netip.ParseAddr(host); err == nil {
			addrs = []netip.Addr{a}
		} else if addrs, err = e.LookupAddrs(ctx, host); err != nil {
			return nil, err
		} else if len(addrs) == 0 {
			return nil, fmt.Errorf("%s has no address", host)
		}
		var ok []netip.Addr
		var lastErr error
		for _, a := range addrs {
			if err := CheckPublic(a); err != nil {
				lastErr = err
				continue
			}
			ok = append(ok, a)
		}
		if len(ok) == 0 {
			return nil, lastErr
		}
		return dialFirst(ctx, network, port, ok, via)
	}
	e.HTTP = NewHTTPClient(e.Dial, e.RootCAs, 15*time.Second, e.Limits.MaxRedirects)
	return nil
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

func literalOr(ctx context.Context, host string, resolve func(context.Context, string) ([]netip.Addr, error)) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	return resolve(ctx, host)
}

func dialFirst(ctx context.Context, network, port string, addrs []netip.Addr, dial DialFunc) (net.Conn, error) {
	var lastErr error
	for _, a := range addrs {
		c, err := dial(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	if lastErr == nil {
		lastErr = errors.New("no address to dial")
	}
	return nil, lastErr
}

// proxyDialer returns a dial function that opens TCP connections through
// the proxy u; the proxy itself is reached with base.
func proxyDialer(u *url.URL, base *net.Dialer) (DialFunc, error) {
	switch u.Scheme {
	case "socks5", "socks5h":
		var auth *proxy.Auth
		if u.User != nil {
			pw, _ := u.User.Password()
			auth = &proxy.Auth{User: u.User.Username(), Password: pw}
		}
		d, err := proxy.SOCKS5("tcp", u.Host, auth, base)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrProxy, err)
		}
		cd, ok := d.(proxy.ContextDialer)
		if !ok {
			return nil, fmt.Errorf("%w: the SOCKS5 dialer cannot take a context", ErrProxy)
		}
		name := Redact(u.String())
		return func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := cd.DialContext(ctx, "tcp", addr)
			if err != nil {
				return nil, fmt.Errorf("through the proxy %s: %w", name, err)
			}
			return c, nil
		}, nil
	case "http":
		return httpConnect(u, base), nil
	}
	return nil, fmt.Errorf("%w: scheme %q", ErrProxy, u.Scheme)
}

// httpConnect tunnels through an HTTP proxy with CONNECT.
func httpConnect(u *url.URL, base *net.Dialer) DialFunc {
	name := Redact(u.String())
	authz := ""
	if u.User != nil {
		pw, _ := u.User.Password()
		authz = "Basic " + base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pw))
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := base.DialContext(ctx, "tcp", u.Host)
		if err != nil {
			return nil, fmt.Errorf("the proxy %s: %w", name, err)
		}
		if dl, ok := ctx.Deadline(); ok {
			_ = c.SetDeadline(dl)
		} else {
			_ = c.SetDeadline(time.Now().Add(15 * time.Second))
		}
		var req bytes.Buffer
		fmt.Fprintf(&req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", addr, addr)
		if authz != "" {
			fmt.Fprintf(&req, "Proxy-Authorization: %s\r\n", authz)
		}
		req.WriteString("\r\n")
		if _, err := c.Write(req.Bytes()); err != nil {
			c.Close()
			return nil, fmt.Errorf("the proxy %s: %w", name, err)
		}
		br := bufio.NewReader(io.LimitReader(c, 64<<10))
		resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("the proxy %s did not answer CONNECT %s: %w", name, addr, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			c.Close()
			return nil, fmt.Errorf("the proxy %s refused CONNECT %s: %s", name, addr, resp.Status)
		}
		if br.Buffered() > 0 {
			c.Close()
			return nil, fmt.Errorf("the proxy %s sent data before the tunnel opened", name)
		}
		_ = c.SetDeadline(time.Time{})
		return c, nil
	}
}

// DoHURL reports whether resolver is a DNS-over-HTTPS URL and parses it.
func DoHURL(resolver string) (*url.URL, bool) {
	if !strings.HasPrefix(resolver, "https://") {
		return nil, false
	}
	u, err := url.Parse(resolver)
	if err != nil || u.Hostname() == "" {
		return nil, false
	}
	return u, true
}

// dohDo sends the packed query b by POST (body) or GET (?dns=base64url).
func (e *Env) dohDo(ctx context.Context, u *url.URL, b []byte, method string) (*http.Response, error) {
	var req *http.Request
	var err error
	if method == http.MethodGet {
		gu := *u
		q := gu.Query()
		q.Set("dns", base64.RawURLEncoding.EncodeToString(b))
		gu.RawQuery = q.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, gu.String(), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(b))
		if err == nil {
			req.Header.Set("Content-Type", "application/dns-message")
		}
	}
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/dns-message")
	return e.HTTP.Do(req)
}

// maxDoHAnswer bounds a DNS-over-HTTPS answer.
const maxDoHAnswer = 64 << 10

// exchangeDoH sends m to the DoH resolver u (RFC 8484 wire format, POST)
// through e.HTTP, so through the proxy when there is one.
func (e *Env) exchangeDoH(ctx context.Context, u *url.URL, m *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	if e.HTTP == nil {
		return nil, errors.New("no HTTP client for DNS over HTTPS")
	}
	m.Id = 0 // RFC 8484 §4.1: 0 makes answers cacheable
	b, err := m.Pack()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := e.dohDo(ctx, u, b, http.MethodPost)
	if err == nil && resp.StatusCode == http.StatusMethodNotAllowed {
		// RFC 8484 §4.1: a server must take GET; some refuse POST.
		resp.Body.Close()
		resp, err = e.dohDo(ctx, u, b, http.MethodGet)
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDoHAnswer+1))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the DNS-over-HTTPS resolver answered HTTP %d", resp.StatusCode)
	}
	if len(body) > maxDoHAnswer {
		return nil, fmt.Errorf("the DNS-over-HTTPS answer is larger than %d bytes", maxDoHAnswer)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/dns-message") {
		return nil, fmt.Errorf("the DNS-over-HTTPS resolver answered %s, not application/dns-message (is the URL its /dns-query?)", Quote(ct))
	}
	r := new(dns.Msg)
	if err := r.Unpack(body); err != nil {
		return nil, fmt.Errorf("the DNS-over-HTTPS answer does not parse: %w", err)
	}
	return r, nil
}
