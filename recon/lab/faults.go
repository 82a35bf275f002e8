package lab

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults inject network trouble into every lab server, reproducibly: the
// same Seed gives the same sequence of decisions.
type Faults struct {
	// Drop is the probability (0..1) that a DNS query goes unanswered or a
	// TCP connection (WHOIS, TLS, HTTP, APIs) is closed as soon as it is
	// accepted.
	Drop float64
	// ServFail is the probability (0..1) that a DNS query is answered SERVFAIL.
	ServFail float64
	// Jitter adds a random extra delay of up to this much to every answer.
	Jitter time.Duration
	// Seed seeds the random decisions (0 means 1).
	Seed uint64

	// NXRewrite makes the resolver answer A questions for names that do
	// not exist with NXRewriteAddr, as ISP "search assist" resolvers do
	// (nxdomain=rewrite).
	NXRewrite bool
	// ResolverRefused makes the resolver answer REFUSED to every question
	// (resolver=refused).
	ResolverRefused bool
	// Block lists TCP ports the lab dialer refuses, as a firewall does
	// (block=43, repeatable). Port 443 also blocks the lab's HTTPS API
	// listeners (Cert Spotter, crt.sh, InternetDB, RDAP, keyed sources),
	// which stand for public HTTPS services; port 53 stops DNS to any
	// server but the configured resolver (as corporate firewalls do).
	Block []int
	// TLSIntercept makes every lab TLS server present a certificate minted
	// on the fly for the requested name by a private CA, as a TLS-inspecting
	// proxy does (tls=intercept). The lab Env trusts that CA, as a managed
	// machine trusts its proxy's, but it is not among Env.PublicRoots.
	TLSIntercept bool
	// DNSBLRefused makes the resolver answer 127.255.255.254 to every
	// question under a Spamhaus zone, the code Spamhaus gives queries that
	// come through public resolvers (dnsbl=refused). The zones' own name
	// servers, asked directly, still answer.
	DNSBLRefused bool
}

// NXRewriteAddr is the address a rewriting lab resolver gives names that do
// not exist (nxdomain=rewrite): a public address no world serves.
const NXRewriteAddr = "92.242.140.21"

// Blocks reports whether the faults block TCP port port.
func (f Faults) Blocks(port int) bool {
	for _, p := range f.Block {
		if p == port {
			return true
		}
	}
	return false
}

// ErrFaults is wrapped by every ParseFaults error.
var ErrFaults = errors.New("lab: bad faults")

// ParseFaults parses "drop=0.1,servfail=0.1,jitter=200ms,seed=7" and the
// network conditions "nxdomain=rewrite", "resolver=refused", "block=PORT"
// (repeatable), "tls=intercept", "dnsbl=refused" (any subset, in any order;
// empty means no faults). Probabilities are between 0 and 1, jitter is a Go
// duration.
func ParseFaults(s string) (Faults, error) {
	var f Faults
	s = strings.TrimSpace(s)
	if s == "" {
		return f, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || v == "" {
			return Faults{}, fmt.Errorf("%w: %q: write key=value, e.g. drop=0.1,servfail=0.1,jitter=200ms", ErrFaults, part)
		}
		switch k {
		case "drop", "servfail":
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || p < 0 || p > 1 || p != p {
				return Faults{}, fmt.Errorf("%w: %s=%s: give a probability between 0 and 1, e.g. %s=0.1", ErrFaults, k, v, k)
			}
			if k == "drop" {
				f.Drop = p
			} else {
				f.ServFail = p
			}
		case "jitter":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > time.Minute {
				return Faults{}, fmt.Errorf("%w: jitter=%s: give a duration up to 1m, e.g. jitter=200ms", ErrFaults, v)
			}
			f.Jitter = d
		case "nxdomain":
			if v != "rewrite" {
				return Faults{}, fmt.Errorf("%w: nxdomain=%s: the only value is nxdomain=rewrite", ErrFaults, v)
			}
			f.NXRewrite = true
		case "resolver":
			if v != "refused" {
				return Faults{}, fmt.Errorf("%w: resolver=%s: the only value is resolver=refused", ErrFaults, v)
			}
			f.ResolverRefused = true
		case "tls":
			if v != "intercept" {
				return Faults{}, fmt.Errorf("%w: tls=%s: the only value is tls=intercept", ErrFaults, v)
			}
			f.TLSIntercept = true
		case "dnsbl":
			if v != "refused" {
				return Faults{}, fmt.Errorf("%w: dnsbl=%s: the only value is dnsbl=refused", ErrFaults, v)
			}
			f.DNSBLRefused = true
		case "block":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 65535 {
				return Faults{}, fmt.Errorf("%w: block=%s: give a TCP port, e.g. block=43 (repeat for more: block=43,block=443)", ErrFaults, v)
			}
			if !f.Blocks(n) {
				f.Block = append(f.Block, n)
			}
		case "seed":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return Faults{}, fmt.Errorf("%w: seed=%s: give a whole number", ErrFaults, v)
			}
			f.Seed = n
		default:
			return Faults{}, fmt.Errorf("%w: unknown fault %q (use drop, servfail, jitter, seed, nxdomain=rewrite, resolver=refused, block=PORT, tls=intercept, dnsbl=refused)", ErrFaults, k)
		}
	}
	return f, nil
}

// String gives the faults in the form ParseFaults reads ("" for none).
func (f Faults) String() string {
	var parts []string
	if f.Drop > 0 {
		parts = append(parts, "drop="+strconv.FormatFloat(f.Drop, 'g', -1, 64))
	}
	if f.ServFail > 0 {
		parts = append(parts, "servfail="+strconv.FormatFloat(f.ServFail, 'g', -1, 64))
	}
	if f.Jitter > 0 {
		parts = append(parts, "jitter="+f.Jitter.String())
	}
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatUint(f.Seed, 10))
	}
	if f.NXRewrite {
		parts = append(parts, "nxdomain=rewrite")
	}
	if f.ResolverRefused {
		parts = append(parts, "resolver=refused")
	}
	for _, p := range f.Block {
		parts = append(parts, "block="+strconv.Itoa(p))
	}
	if f.TLSIntercept {
		parts = append(parts, "tls=intercept")
	}
	if f.DNSBLRefused {
		parts = append(parts, "dnsbl=refused")
	}
	return strings.Join(parts, ",")
}

// Active reports whether any random fault (drop, servfail, jitter) is set.
func (f Faults) Active() bool { return f.Drop > 0 || f.ServFail > 0 || f.Jitter > 0 }

// Any reports whether any fault at all is set.
func (f Faults) Any() bool {
	return f.Active() || f.NXRewrite || f.ResolverRefused || len(f.Block) > 0 || f.TLSIntercept || f.DNSBLRefused
}

// dice draws the lab's fault decisions from one seeded source.
type dice struct {
	f  Faults
	mu sync.Mutex
	r  *rand.Rand
}

func newDice(f Faults) *dice {
	seed := f.Seed
	if seed == 0 {
		seed = 1
	}
	return &dice{f: f, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (d *dice) hit(p float64) bool {
	if d == nil || p <= 0 {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.r.Float64() < p
}

func (d *dice) drop() bool     { return d != nil && d.hit(d.f.Drop) }
func (d *dice) servfail() bool { return d != nil && d.hit(d.f.ServFail) }

func (d *dice) jitter() time.Duration {
	if d == nil || d.f.Jitter <= 0 {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return time.Duration(d.r.Int64N(int64(d.f.Jitter) + 1))
}

// FaultStats counts the faults injected so far.
type FaultStats struct {
	DNSDropped, DNSServFail, ConnsDropped int
}

// faultListener closes a share of accepted connections at once.
type faultListener struct {
	net.Listener
	l *Lab
}

// Accept returns the next connection that is not dropped.
func (fl faultListener) Accept() (net.Conn, error) {
	for {
		c, err := fl.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if fl.l.dice.drop() {
			fl.l.count(func(s *FaultStats) { s.ConnsDropped++ })
			_ = c.Close()
			continue
		}
		return c, nil
	}
}

// FaultStats returns how many faults the lab has injected.
func (l *Lab) FaultStats() FaultStats {
	l.statsMu.Lock()
	defer l.statsMu.Unlock()
	return l.faultStats
}

func (l *Lab) count(f func(*FaultStats)) {
	l.statsMu.Lock()
	f(&l.faultStats)
	l.statsMu.Unlock()
}
