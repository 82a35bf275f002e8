// dns.go holds the Env's DNS path: Exchange (the resolver, with retries and
// DoH), ExchangeAt (a zone's own name servers) and address lookups.

package recon

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"time"

	"github.com/miekg/dns"
)

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
	var r *dns.Msg
	var err error
	if u, ok := DoHURL(e.Resolver); ok {
		// One HTTP exchange gets the whole budget (a proxy such as Tor
		// adds a second or more).
		r, err = e.exchangeDoH(ctx, u, m, timeout*DNSAttempts)
	} else {
		c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: 1232}
		r, _, err = c.ExchangeContext(ctx, m, e.Resolver)
		if err == nil && r != nil && r.Truncated {
			tc := &dns.Client{Net: "tcp", Timeout: timeout}
			r, _, err = tc.ExchangeContext(ctx, m, e.Resolver)
		}
	}
	e.Sources.Done("dns", err, false)
	if err != nil {
		return nil, err
	}
	if r.Id != m.Id {
		return nil, errIDMismatch
	}
	return r, nil
}

// errIDMismatch is an answer whose id is not the question's (a spoofed or
// stray packet).
var errIDMismatch = errors.New("answer id mismatch")

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
		return nil, errIDMismatch
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
