package recon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Notice is a fact about the analyst's own network that changes how a
// report reads (a resolver that refuses or rewrites answers, a proxy that
// intercepts TLS, blocklists that refuse the resolver). It is not a
// finding about the target.
type Notice struct {
	Kind string `json:"kind"` // one of the Notice* constants
	Text string `json:"text"`
}

// Notice kinds (stable: scripts may match them).
const (
	NoticeResolverRefused = "resolver-refused"     // the resolver answers REFUSED
	NoticeResolverDown    = "resolver-unreachable" // the resolver does not answer, or SERVFAILs
	NoticeNXRewrite       = "nxdomain-rewrite"     // the resolver answers names that do not exist
	NoticeTLSIntercept    = "tls-intercept"        // a proxy presents its own certificates
	NoticeDNSBLRefused    = "dnsbl-refused"        // blocklists refuse queries from this resolver
)

// NoticeKinds lists every notice kind (stored in session files).
var NoticeKinds = []string{NoticeResolverRefused, NoticeResolverDown, NoticeNXRewrite, NoticeTLSIntercept, NoticeDNSBLRefused}

// ResolverState is what one probe of the resolver found: whether it
// answers, and whether it tells the truth about names that do not exist.
type ResolverState struct {
	Resolver string
	// Probe is the random name asked (it cannot exist).
	Probe string
	// Refused: the resolver answered REFUSED.
	Refused bool
	// Err says why the resolver gave no usable answer (timeout, SERVFAIL).
	Err string
	// Rewrite holds the addresses the resolver gave the name that does not
	// exist: it rewrites NXDOMAIN. Names that resolve only to these do not
	// exist either.
	Rewrite []netip.Addr
}

// Rewritten reports whether addrs are all addresses the resolver gives
// names that do not exist (and there is at least one).
func (s ResolverState) Rewritten(addrs []netip.Addr) bool {
	if len(s.Rewrite) == 0 || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		found := false
		for _, r := range s.Rewrite {
			if a.Unmap() == r {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// RewriteText says in words that the resolver rewrites NXDOMAIN.
func (s ResolverState) RewriteText() string {
	as := make([]string, len(s.Rewrite))
	for i, a := range s.Rewrite {
		as[i] = a.String()
	}
	return fmt.Sprintf("the resolver %s rewrites NXDOMAIN: a name that cannot exist (%s) resolved to %s; names that resolve only to that are treated as not existing. Use another --resolver for reliable answers",
		s.Resolver, strings.TrimSuffix(s.Probe, "."), strings.Join(as, ", "))
}

// probeCache holds one probe per Env (per run of the tool).
var probeCache sync.Map // *Env -> *probeOnce

type probeOnce struct {
	once sync.Once
	done chan struct{}
	st   ResolverState
}

// ResolverState probes the resolver once per Env with a random name that
// cannot exist (under .com, where rewriting resolvers rewrite) and returns
// what it found. Later calls return the same result; a call waits for the
// first probe or for ctx.
func (e *Env) ResolverState(ctx context.Context) (ResolverState, error) {
	v, _ := probeCache.LoadOrStore(e, &probeOnce{done: make(chan struct{})})
	p := v.(*probeOnce)
	p.once.Do(func() {
		go func() {
			defer close(p.done)
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.dnsProbeTimeout())
			defer cancel()
			p.st = e.probeResolver(pctx)
			if p.st.Err != "" {
				// No usable answer may pass: a later scan probes again
				// (refusal and rewriting hold for the run).
				probeCache.CompareAndDelete(e, p)
			}
		}()
	})
	select {
	case <-p.done:
		return p.st, nil
	case <-ctx.Done():
		return ResolverState{Resolver: e.Resolver}, ctx.Err()
	}
}

func (e *Env) dnsProbeTimeout() time.Duration {
	if e.Limits.DNSTimeout > 0 {
		return e.Limits.DNSTimeout
	}
	return 4 * time.Second
}

// ProbeName returns a random name that cannot exist.
func ProbeName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "netspecter-nx-" + hex.EncodeToString(b[:]) + ".com."
}

func (e *Env) probeResolver(ctx context.Context) ResolverState {
	st := ResolverState{Resolver: e.Resolver, Probe: ProbeName()}
	if e.Resolver == "" {
		return st // nothing to probe; Exchange says so to every module
	}
	r, err := e.Exchange(ctx, st.Probe, dns.TypeA)
	switch {
	case err != nil:
		st.Err = err.Error()
	case r.Rcode == dns.RcodeRefused:
		st.Refused = true
	case r.Rcode == dns.RcodeSuccess:
		for _, a := range AddrsOf(r) {
			st.Rewrite = append(st.Rewrite, a.Unmap())
		}
		sort.Slice(st.Rewrite, func(i, j int) bool { return st.Rewrite[i].Less(st.Rewrite[j]) })
	case r.Rcode != dns.RcodeNameError:
		st.Err = fmt.Sprintf("the resolver answered %s to a name that does not exist", dns.RcodeToString[r.Rcode])
	}
	return st
}

// ErrRewritten is wrapped when a name resolves only to the addresses a
// rewriting resolver gives names that do not exist.
var ErrRewritten = errors.New("the name does not exist (the resolver rewrites NXDOMAIN)")

// notices collects the network notices of a report: the resolver's state
// and what modules found about the path (TLS interception, refused
// blocklists).
func notices(rep *Report, st ResolverState) []Notice {
	var out []Notice
	switch {
	case st.Refused:
		out = append(out, Notice{Kind: NoticeResolverRefused, Text: fmt.Sprintf(
			"the resolver %s refused to answer (REFUSED): nothing that needs DNS could be checked; give a resolver that serves you with --resolver (or resolver = in the config)", st.Resolver)})
	case st.Err != "":
		out = append(out, Notice{Kind: NoticeResolverDown, Text: fmt.Sprintf(
			"the resolver %s gave no usable answer to a probe (%s): DNS answers may be missing; check --resolver and your network", st.Resolver, st.Err)})
	case len(st.Rewrite) > 0:
		out = append(out, Notice{Kind: NoticeNXRewrite, Text: st.RewriteText()})
	}
	if s := FactsOf[SSLFacts](rep, ModuleSSL); s != nil && s.Intercepted != nil {
		out = append(out, Notice{Kind: NoticeTLSIntercept, Text: s.Intercepted.Text()})
	}
	if t := FactsOf[ThreatFacts](rep, ModuleThreat); t != nil && !st.Refused {
		var refused, around []string
		seen := map[string]bool{}
		for _, c := range t.Checks {
			if c.Result == DNSBLUnknown && c.Refused && !seen[c.Zone] {
				seen[c.Zone] = true
				refused = append(refused, c.Zone)
			}
		}
		for _, ts := range t.Tests {
			if ts.OK && ts.Via != "resolver" && !seen[ts.Zone] {
				seen[ts.Zone] = true
				around = append(around, ts.Zone+" (asked via "+ts.Via+")")
			}
		}
		if len(refused) > 0 {
			out = append(out, Notice{Kind: NoticeDNSBLRefused, Text: fmt.Sprintf(
				"%s refused to answer through the resolver %s (a public or shared resolver) and could not be asked another way: blocklist status is unknown, not clean; use your own recursive resolver, or set keys.spamhaus_dqs in the config",
				strings.Join(refused, ", "), st.Resolver)})
		}
		if len(around) > 0 {
			out = append(out, Notice{Kind: NoticeDNSBLRefused, Text: fmt.Sprintf(
				"blocklists refused the resolver %s; their answers came another way: %s",
				st.Resolver, strings.Join(around, ", "))})
		}
	}
	return out
}

// Interception describes a TLS-inspecting proxy seen on the path.
type Interception struct {
	// Issuer is the subject of the root the presented chain ends in.
	Issuer string `json:"issuer"`
	// Why says how it was recognised.
	Why string `json:"why"`
	// Certs are the proxy's certificates as presented (evidence; not the
	// site's, never used for pivots or verdicts).
	Certs []CertFacts `json:"certs,omitempty"`
}

// Text is the notice's words.
func (i *Interception) Text() string {
	return "TLS intercepted by a proxy on your network: certificate facts are the proxy's (" + i.Why + ")"
}
