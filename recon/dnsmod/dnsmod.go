package dnsmod

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// ID is the module id (a contract).
const ID = recon.ModuleDNS

// domainTypes are the questions asked about a domain, in display order.
var domainTypes = []uint16{
	dns.TypeA, dns.TypeAAAA, dns.TypeCNAME, dns.TypeMX,
	dns.TypeNS, dns.TypeTXT, dns.TypeSOA, dns.TypeCAA,
}

// maxChain bounds how many CNAME hops are followed in an answer.
const maxChain = 16

type module struct{}

// New returns the dns module.
func New() recon.Module { return module{} }

func (module) ID() string                { return recon.ModuleDNS }
func (module) Touch() recon.Touch        { return recon.MustInfo(recon.ModuleDNS).Touch }
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleDNS).Applies(k) }

func (module) Run(ctx context.Context, r *recon.Run) *recon.ModuleResult {
	if r.Target.Kind == recon.KindIP {
		return runPTR(ctx, r)
	}
	return runDomain(ctx, r)
}

type answer struct {
	msg *dns.Msg
	err error
}

func runDomain(ctx context.Context, r *recon.Run) *recon.ModuleResult {
	name := Norm(r.Target.Domain())
	facts := &recon.DNSFacts{Name: name}
	if name == "" {
		return recon.Failed(errors.New("dns: the target has no domain to look up"), facts)
	}
	answers := make([]answer, len(domainTypes))
	var wg sync.WaitGroup
	for i, t := range domainTypes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := r.Lookup(ctx, name, t)
			answers[i] = answer{m, err}
		}()
	}
	wg.Wait()

	cnames := map[string]string{} // owner -> target, from every answer
	failed := 0
	var errs []error
	for i, t := range domainTypes {
		tname := dns.TypeToString[t]
		a := answers[i]
		if why, err := failure(r, a); why != "" {
			setErr(facts, tname, why)
			failed++
			errs = append(errs, err)
			continue
		}
		if a.msg.Rcode == dns.RcodeNameError {
			facts.NXDomain = true
		}
		for _, rr := range a.msg.Answer {
			if c, ok := rr.(*dns.CNAME); ok {
				cnames[Norm(c.Hdr.Name)] = Norm(c.Target)
			}
		}
		collect(facts, t, a.msg)
	}
	facts.CNAME = chain(name, cnames)
	facts.Verifications = fingerprint.Verifications(facts.TXT)
	sort.SliceStable(facts.MX, func(i, j int) bool {
		if facts.MX[i].Pref != facts.MX[j].Pref {
			return facts.MX[i].Pref < facts.MX[j].Pref
		}
		return facts.MX[i].Host < facts.MX[j].Host
	})

	if failed == len(domainTypes) {
		return recon.Failed(allFailed(r, name, errs), facts)
	}
	markRewritten(ctx, r, facts)
	reverse(ctx, r, facts)
	return recon.OK(facts, pivots(facts)...)
}

// reverse asks the reverse names of the domain's first recon.MaxAddrPTR
// public addresses (clusters read a shared-hosting server name from them).
// A missing or failed answer leaves the address out: it is no finding.
func reverse(ctx context.Context, r *recon.Run, f *recon.DNSFacts) {
	var addrs []netip.Addr
	for _, s := range append(append([]string{}, f.A...), f.AAAA...) {
		a, err := netip.ParseAddr(s)
		if err != nil || recon.NonPublicReason(a.Unmap()) != "" || len(addrs) == recon.MaxAddrPTR {
			continue
		}
		addrs = append(addrs, a.Unmap())
	}
	names := make([][]string, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rev, err := dns.ReverseAddr(a.String())
			if err != nil {
				return
			}
			m, err := r.Lookup(ctx, rev, dns.TypePTR)
			if err != nil || m == nil || m.Rcode != dns.RcodeSuccess {
				return
			}
			for _, rr := range m.Answer {
				if p, ok := rr.(*dns.PTR); ok {
					if n := Norm(p.Ptr); n != "" && !contains(names[i], n) {
						names[i] = append(names[i], n)
					}
				}
			}
		}()
	}
	wg.Wait()
	for i, a := range addrs {
		if len(names[i]) > 0 {
			if f.AddrPTR == nil {
				f.AddrPTR = map[string][]string{}
			}
			f.AddrPTR[a.String()] = names[i]
		}
	}
}

// markRewritten moves A records that are only the rewriting resolver's
// answer for names that do not exist into Rewritten, and says the name does
// not exist: it is not scanned as real.
func markRewritten(ctx context.Context, r *recon.Run, f *recon.DNSFacts) {
	if len(f.A) == 0 {
		return
	}
	st, _ := r.Env.ResolverState(ctx)
	var addrs []netip.Addr
	for _, s := range f.A {
		if a, err := netip.ParseAddr(s); err == nil {
			addrs = append(addrs, a)
		}
	}
	if !st.Rewritten(addrs) || len(f.AAAA) > 0 || len(f.MX) > 0 || len(f.NS) > 0 || len(f.TXT) > 0 || f.SOA != nil {
		return
	}
	f.Rewritten, f.A = f.A, nil
	f.NXDomain = true
}

func runPTR(ctx context.Context, r *recon.Run) *recon.ModuleResult {
	facts := &recon.DNSFacts{Name: r.Target.Value}
	a, err := netip.ParseAddr(r.Target.Value)
	if err != nil {
		return recon.Failed(fmt.Errorf("dns: %q is not an IP address: %w", r.Target.Value, err), facts)
	}
	rev, err := dns.ReverseAddr(a.String())
	if err != nil {
		return recon.Failed(fmt.Errorf("dns: cannot build the reverse name of %s: %w", a, err), facts)
	}
	m, err := r.Lookup(ctx, rev, dns.TypePTR)
	if why, err := failure(r, answer{m, err}); why != "" {
		setErr(facts, "PTR", why)
		return recon.Failed(allFailed(r, rev, []error{err}), facts)
	}
	var ps []recon.Pivot
	for _, rr := range m.Answer {
		if p, ok := rr.(*dns.PTR); ok {
			n := Norm(p.Ptr)
			if n == "" || contains(facts.PTR, n) {
				continue
			}
			facts.PTR = append(facts.PTR, n)
			ps = append(ps, recon.Pivot{Kind: recon.PivotDomain, Value: n, Relation: recon.RelPTR})
		}
	}
	return recon.OK(facts, ps...)
}

// collect adds the records of type t found in m to facts.
func collect(f *recon.DNSFacts, t uint16, m *dns.Msg) {
	for _, rr := range m.Answer {
		if rr.Header().Rrtype != t {
			continue
		}
		switch v := rr.(type) {
		case *dns.A:
			if a, ok := netip.AddrFromSlice(v.A.To4()); ok {
				f.A = appendNew(f.A, a.String())
			}
		case *dns.AAAA:
			if a, ok := netip.AddrFromSlice(v.AAAA.To16()); ok {
				f.AAAA = appendNew(f.AAAA, a.String())
			}
		case *dns.MX:
			mx := recon.MXRecord{Host: NormHost(v.Mx), Pref: v.Preference}
			dup := false
			for _, x := range f.MX {
				dup = dup || x == mx
			}
			if !dup {
				f.MX = append(f.MX, mx)
			}
		case *dns.NS:
			f.NS = appendNew(f.NS, Norm(v.Ns))
		case *dns.TXT:
			f.TXT = append(f.TXT, TXTBytes(v.Txt))
		case *dns.SOA:
			if f.SOA == nil {
				f.SOA = &recon.SOARecord{
					NS: Norm(v.Ns), Mbox: Norm(v.Mbox), Serial: v.Serial, Refresh: v.Refresh,
					Retry: v.Retry, Expire: v.Expire, MinTTL: v.Minttl,
				}
			}
		case *dns.CAA:
			f.CAA = append(f.CAA, recon.CAARecord{Flag: v.Flag, Tag: v.Tag, Value: v.Value})
		}
	}
}

// chain follows the CNAMEs from name, in order, stopping at a loop.
func chain(name string, cnames map[string]string) []string {
	var out []string
	seen := map[string]bool{name: true}
	for cur := name; len(out) < maxChain; {
		next, ok := cnames[cur]
		if !ok || next == "" || seen[next] {
			if ok && seen[next] && next != "" {
				out = append(out, next) // show the loop's closing hop once
			}
			break
		}
		out = append(out, next)
		seen[next] = true
		cur = next
	}
	return out
}

func pivots(f *recon.DNSFacts) []recon.Pivot {
	var ps []recon.Pivot
	for _, a := range f.A {
		ps = append(ps, recon.Pivot{Kind: recon.PivotIP, Value: a, Relation: recon.RelA})
	}
	for _, a := range f.AAAA {
		ps = append(ps, recon.Pivot{Kind: recon.PivotIP, Value: a, Relation: recon.RelAAAA})
	}
	for _, c := range f.CNAME {
		if c == f.Name {
			continue // a CNAME loop back to the target
		}
		ps = append(ps, recon.Pivot{Kind: recon.PivotDomain, Value: c, Relation: recon.RelCNAME})
	}
	for _, n := range f.NS {
		ps = append(ps, recon.Pivot{Kind: recon.PivotNS, Value: n, Relation: recon.RelNS})
	}
	for _, m := range f.MX {
		if m.Host == "." || m.Host == "" {
			continue // null MX (RFC 7505): no host to follow
		}
		ps = append(ps, recon.Pivot{Kind: recon.PivotMX, Value: m.Host, Relation: recon.RelMX})
	}
	for _, v := range f.Verifications {
		ps = append(ps, recon.Pivot{Kind: recon.PivotVerify, Value: v.Service + ":" + v.Token, Relation: recon.RelVerify})
	}
	return ps
}

// failure says in words why a question got no usable answer, or "" when
// the answer is a result (NOERROR, including empty, or NXDOMAIN).
func failure(r *recon.Run, a answer) (string, error) {
	if a.err != nil {
		return Describe(r.Env.Resolver, a.err), a.err
	}
	if a.msg == nil {
		return "no answer from " + r.Env.Resolver, errors.New("no answer")
	}
	switch a.msg.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
		return "", nil
	}
	rc := dns.RcodeToString[a.msg.Rcode]
	if rc == "" {
		rc = fmt.Sprintf("rcode %d", a.msg.Rcode)
	}
	err := &recon.RcodeError{Rcode: a.msg.Rcode}
	if len(a.msg.Question) > 0 {
		err.Name, err.Type = a.msg.Question[0].Name, dns.TypeToString[a.msg.Question[0].Qtype]
	}
	return rc + " from " + r.Env.Resolver, err
}

// Describe turns a lookup error into a short reason such as "no answer from
// 127.0.0.1:53 within the time limit".
func Describe(resolver string, err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "no answer from " + resolver + " within the time limit"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

// allFailed builds the module error when no question got an answer; it says
// what to do next.
func allFailed(r *recon.Run, name string, errs []error) error {
	res := r.Env.Resolver
	var rc *recon.RcodeError
	timeouts, refused, servfail := 0, 0, 0
	for _, err := range errs {
		var ne net.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			timeouts++
		case errors.As(err, &rc) && rc.Rcode == dns.RcodeRefused:
			refused++
		case errors.As(err, &rc) && rc.Rcode == dns.RcodeServerFailure:
			servfail++
		}
	}
	switch {
	case res == "":
		return errors.New("dns: no resolver configured: give --resolver host:port")
	case timeouts == len(errs):
		return fmt.Errorf("dns: the resolver %s did not answer: check --resolver and your network", res)
	case refused == len(errs):
		return fmt.Errorf("dns: the resolver %s refused every question about %s: it may not serve you recursion; use another --resolver", res, name)
	case servfail == len(errs):
		return fmt.Errorf("dns: the resolver %s answered SERVFAIL for every question about %s: the domain's name servers may be broken or unreachable; try again later or another --resolver", res, name)
	}
	return fmt.Errorf("dns: every question about %s failed (%v): check --resolver", name, errors.Join(errs...))
}

func setErr(f *recon.DNSFacts, t, why string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	f.Errors[t] = why
}

// Norm lower-cases a DNS name and strips its trailing dot.
func Norm(s string) string {
	return strings.TrimSuffix(strings.ToLower(s), ".")
}

// NormHost is Norm, except that the root name stays "." (an MX of "." is a
// null MX, RFC 7505).
func NormHost(s string) string {
	if s == "." {
		return "."
	}
	return Norm(s)
}

func appendNew(s []string, v string) []string {
	if contains(s, v) {
		return s
	}
	return append(s, v)
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TXTBytes joins the character-strings of a TXT record and undoes
// miekg/dns's presentation escapes (\DDD for unprintable bytes, \" and
// \\), so the stored value is the record's bytes as they came from the
// network. Display code escapes them again (see recon/sanitize).
func TXTBytes(parts []string) string {
	var b strings.Builder
	for _, s := range parts {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c != '\\' || i+1 >= len(s) {
				b.WriteByte(c)
				continue
			}
			if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
				if n := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0'); n <= 255 {
					b.WriteByte(byte(n))
					i += 3
					continue
				}
			}
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
