// dialer.go holds the real-mode network guard: the dialer that refuses
// non-public addresses (GuardedDialer, NonPublicError) and the HTTP client
// built over it.

package recon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"time"
)

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

// UseGuardedNetwork sets Dial to the guarded dialer (names resolved through
// e.Resolver, non-public addresses refused) and HTTP to a client over it.
func (e *Env) UseGuardedNetwork() {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	e.Dial = GuardedDialer(d, e.LookupAddrs)
	e.HTTP = NewHTTPClient(e.Dial, e.RootCAs, 15*time.Second, e.Limits.MaxRedirects)
}
