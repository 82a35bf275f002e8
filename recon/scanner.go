package recon

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	geoip2 "github.com/oschwald/geoip2-golang/v2"
)

// GeoDB holds opened MaxMind / DB-IP databases. Either reader may be nil.
type GeoDB struct {
	City *geoip2.Reader // GeoLite2-City / GeoIP2-City / DB-IP City Lite
	ASN  *geoip2.Reader // GeoLite2-ASN
	// Files names the files opened, for the sources panel.
	Files []string
}

// Module is one source of facts. Modules are listed explicitly (see
// recon/modules), never self-registered.
type Module interface {
	// ID is the module id (a contract: dns, whois, ssl, ...).
	ID() string
	// Touch says how the module touches the world.
	Touch() Touch
	// Applies reports whether the module runs for this target kind.
	Applies(k Kind) bool
	// Run does the work. It must honour ctx. It returns the result with Status,
	// Facts and Pivots set; the scanner fills the rest. Signals come from the
	// assessment rules, not from modules.
	Run(ctx context.Context, r *Run) *ModuleResult
}

// PassiveFallback is implemented by target modules that, under
// --passive-strict, take their facts from a third-party source instead of
// contacting the target (ssl reads the certificate from CT). Other target
// modules are skipped under --passive-strict.
type PassiveFallback interface {
	PassiveFallback() bool
}

// PassiveSkipper is implemented by target modules that say more precisely
// than the generic reason what --passive-strict leaves unread.
type PassiveSkipper interface {
	PassiveSkipReason() string
}

// passiveSkipReason is why module m is skipped under --passive-strict.
func passiveSkipReason(m Module) string {
	if p, ok := m.(PassiveSkipper); ok {
		if r := p.PassiveSkipReason(); r != "" {
			return r
		}
	}
	return "passive-strict: this module connects to the target itself"
}

func hasPassiveFallback(m Module) bool {
	p, ok := m.(PassiveFallback)
	return ok && p.PassiveFallback()
}

// Run is one scan of one target, shared by its modules: it memoises DNS
// answers so that modules asking the same question share one query, and it
// gives the target's addresses to IP-dependent modules as soon as the A and
// AAAA answers arrive.
type Run struct {
	Target Target
	Env    *Env

	mu    sync.Mutex
	cache map[dnsKey]*dnsCall

	addrOnce sync.Once
	addrDone chan struct{}
	addrs    []netip.Addr
	addrErr  error
}

type dnsKey struct {
	name  string
	qtype uint16
}

type dnsCall struct {
	done chan struct{}
	msg  *dns.Msg
	err  error
}

// NewRun prepares a run; Scanner.Scan calls it, tests of single modules may too.
func NewRun(env *Env, t Target) *Run {
	return &Run{Target: t, Env: env, cache: map[dnsKey]*dnsCall{}, addrDone: make(chan struct{})}
}

// Lookup asks the resolver once per (name, type) for the whole run. Callers
// wait on their own ctx; the shared query runs under the DNS timeout.
func (r *Run) Lookup(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	k := dnsKey{strings.ToLower(dns.Fqdn(name)), qtype}
	r.mu.Lock()
	c, ok := r.cache[k]
	if !ok {
		c = &dnsCall{done: make(chan struct{})}
		r.cache[k] = c
		go func() {
			qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.dnsTimeout()*2)
			defer cancel()
			c.msg, c.err = r.Env.Exchange(qctx, name, qtype)
			close(c.done)
		}()
	}
	r.mu.Unlock()
	select {
	case <-c.done:
		return c.msg, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (r *Run) dnsTimeout() time.Duration {
	if r.Env.Limits.DNSTimeout > 0 {
		return r.Env.Limits.DNSTimeout
	}
	return 4 * time.Second
}

// Addrs returns the target's addresses: the IP itself for an IP target, or the
// A and AAAA answers for a domain (or an e-mail address's domain).
func (r *Run) Addrs(ctx context.Context) ([]netip.Addr, error) {
	r.addrOnce.Do(func() {
		go func() {
			defer close(r.addrDone)
			if r.Target.Kind == KindIP {
				a, err := netip.ParseAddr(r.Target.Value)
				r.addrs, r.addrErr = []netip.Addr{a}, err
				return
			}
			name := r.Target.Domain()
			var wg sync.WaitGroup
			var msgs [2]*dns.Msg
			var errs [2]error
			for i, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					msgs[i], errs[i] = r.Lookup(context.WithoutCancel(ctx), name, t)
				}()
			}
			wg.Wait()
			for i := range msgs {
				if msgs[i] != nil && msgs[i].Rcode != dns.RcodeSuccess && msgs[i].Rcode != dns.RcodeNameError && errs[i] == nil {
					errs[i] = &RcodeError{Name: name, Type: dns.TypeToString[[]uint16{dns.TypeA, dns.TypeAAAA}[i]], Rcode: msgs[i].Rcode}
				}
				r.addrs = append(r.addrs, AddrsOf(msgs[i])...)
			}
			if len(r.addrs) == 0 {
				r.addrErr = errors.Join(errs[0], errs[1])
			} else if st, _ := r.Env.ResolverState(ctx); st.Rewritten(r.addrs) {
				// Only the rewriting resolver's own address: the name does
				// not exist (as after an NXDOMAIN, no addresses and no
				// error), and nothing may be sent to that address as if it
				// were the target's.
				r.addrs = nil
			}
		}()
	})
	select {
	case <-r.addrDone:
		return r.addrs, r.addrErr
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// PublicAddrs is Addrs de-duplicated (IPv4-mapped addresses unmapped) and
// split: the addresses a module may send to a third party or connect to,
// and, outside the lab, the non-public ones left out, each with its reason
// ("10.0.0.5 (private)"). A hostile record pointing inward is reported,
// never looked up or leaked to a service.
func (r *Run) PublicAddrs(ctx context.Context) (public []netip.Addr, skipped []string, err error) {
	addrs, err := r.Addrs(ctx)
	seen := map[netip.Addr]bool{}
	for _, a := range addrs {
		a = a.Unmap()
		if seen[a] {
			continue
		}
		seen[a] = true
		if why := NonPublicReason(a); why != "" && !r.Env.Lab {
			skipped = append(skipped, a.String()+" ("+why+")")
			continue
		}
		public = append(public, a)
	}
	return public, skipped, err
}

// ---- results helpers for modules -----------------------------------------

// OK returns a successful result with facts and pivots.
func OK(facts any, pivots ...Pivot) *ModuleResult {
	return &ModuleResult{Status: StatusOK, Facts: facts, Pivots: pivots}
}

// Failed returns an error result; facts may hold what was found before the failure.
func Failed(err error, facts any) *ModuleResult {
	return &ModuleResult{Status: StatusError, Err: err.Error(), Facts: facts}
}

// Skipped returns a skipped result with the reason.
func Skipped(reason string) *ModuleResult {
	return &ModuleResult{Status: StatusSkipped, Err: reason}
}

// RateLimited returns a rate-limited result.
func RateLimited(detail string, facts any) *ModuleResult {
	return &ModuleResult{Status: StatusRateLimited, Err: detail, Facts: facts}
}

// nothingRead is implemented by facts that can tell they hold nothing
// that was read (no certificate, host record, location, CT name or HTTP
// answer).
type nothingRead interface{ NothingRead() bool }

// readOrNil returns facts, or nil when they hold nothing that was read: a
// failed or skipped module's empty list or zero count ("certs": [], "total": 0,
// "cloudflare": false) must not read as a finding in --json.
func readOrNil(facts any) any {
	if f, ok := facts.(nothingRead); ok && f.NothingRead() {
		return nil
	}
	return facts
}

// ---- scanner ----------------------------------------------------------------

// Scanner runs modules concurrently against a target.
type Scanner struct {
	env     *Env
	modules []Module
}

// NewScanner returns a scanner over the given modules (see modules.All).
func NewScanner(env *Env, modules []Module) *Scanner {
	return &Scanner{env: env, modules: modules}
}

// Env returns the scanner's environment.
func (s *Scanner) Env() *Env { return s.env }

// Modules returns the modules, in order.
func (s *Scanner) Modules() []Module { return s.modules }

// ErrUnknownModule is returned by CheckModules for an id no module has.
var ErrUnknownModule = errors.New("unknown module")

// CheckModules validates a list of module ids.
func (s *Scanner) CheckModules(ids []string) error {
	valid := map[string]bool{}
	var names []string
	for _, m := range s.modules {
		valid[m.ID()] = true
		names = append(names, m.ID())
	}
	for _, id := range ids {
		if !valid[id] {
			return fmt.Errorf("%w %q: valid modules are %s", ErrUnknownModule, id, strings.Join(names, ", "))
		}
	}
	return nil
}

// ScanOptions tune one scan.
type ScanOptions struct {
	// Only restricts the scan to these module ids (empty: all that apply).
	Only []string
	// Progress, when set, is called as each module finishes with the
	// modules done so far and those still running, in module order. Calls
	// are serialised.
	Progress func(done, pending []string)
	// Finished, when set, is called with a copy of each module's result as
	// it finishes (before the assessment adds signals), serialised with
	// Progress, so a UI can show modules as they come in.
	Finished func(id string, res ModuleResult)
}

// Scan runs every applicable module concurrently, each under its own
// timeout, and returns the report with the assessment. A failing, panicking
// or hanging module never fails the scan: its result says what went wrong.
func (s *Scanner) Scan(ctx context.Context, t Target, opts ScanOptions) *Report {
	start := s.env.Clock()
	wall := time.Now()
	rep := &Report{Target: t, Modules: map[string]*ModuleResult{}, Started: start}
	run := NewRun(s.env, t)
	// The resolver probe runs once per Env, beside the first scan's modules.
	go func() { _, _ = s.env.ResolverState(ctx) }()
	only := map[string]bool{}
	for _, id := range opts.Only {
		only[id] = true
	}
	// Decide first what runs, so that progress reports know the whole set.
	var toRun []Module
	var started []string // ids of toRun, in module order
	for _, m := range s.modules {
		if len(only) > 0 && !only[m.ID()] {
			continue
		}
		if !m.Applies(t.Kind) {
			continue
		}
		if s.env.PassiveStrict && m.Touch() == TouchTarget && !hasPassiveFallback(m) {
			res := Skipped(passiveSkipReason(m))
			s.finish(m, res, start, 0)
			rep.Modules[m.ID()] = res
			continue
		}
		toRun = append(toRun, m)
		started = append(started, m.ID())
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, m := range toRun {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, d := s.runOne(ctx, m, run)
			s.finish(m, res, start, d)
			mu.Lock()
			rep.Modules[m.ID()] = res
			if opts.Finished != nil && res != nil {
				opts.Finished(m.ID(), *res)
			}
			if opts.Progress != nil {
				var done, pending []string
				for _, id := range started {
					if rep.Modules[id] != nil {
						done = append(done, id)
					} else {
						pending = append(pending, id)
					}
				}
				opts.Progress(done, pending)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	st, _ := s.env.ResolverState(ctx)
	rep.Notices = notices(rep, st)
	rep.DurationMS = time.Since(wall).Milliseconds()
	Assess(rep, s.env.Clock())
	return rep
}

func (s *Scanner) finish(m Module, res *ModuleResult, start time.Time, d time.Duration) {
	res.Module = m.ID()
	res.Touch = m.Touch()
	if s.env.PassiveStrict && res.Touch == TouchTarget && hasPassiveFallback(m) {
		res.Touch = TouchThirdParty // it used its third-party source instead
	}
	if res.Started.IsZero() {
		res.Started = start
	}
	res.DurationMS = d.Milliseconds()
	if res.Status == "" {
		res.Status = StatusOK
	}
	if res.Status != StatusOK {
		res.Facts = readOrNil(res.Facts)
	}
	if res.Signals == nil {
		res.Signals = []Signal{}
	}
	if res.Pivots == nil {
		res.Pivots = []Pivot{}
	}
	res.Pivots = dedupPivots(res.Pivots)
}

func (s *Scanner) runOne(ctx context.Context, m Module, run *Run) (res *ModuleResult, d time.Duration) {
	timeout := s.env.Limits.ModuleTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	mctx, cancel := context.WithTimeout(WithModule(ctx, m.ID()), timeout)
	defer cancel()
	begin := time.Now()
	ch := make(chan *ModuleResult, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- &ModuleResult{Status: StatusError, Err: fmt.Sprintf("internal error in module %s: %v (please report this with the target)", m.ID(), p) + "\n" + firstLines(string(debug.Stack()), 8)}
			}
		}()
		ch <- m.Run(mctx, run)
	}()
	select {
	case res = <-ch:
	case <-mctx.Done():
		// Give the module a moment to return what it has, then move on.
		select {
		case res = <-ch:
		case <-time.After(100 * time.Millisecond):
		}
	}
	d = time.Since(begin)
	if res == nil {
		res = &ModuleResult{Status: StatusError}
	}
	if mctx.Err() != nil && ctx.Err() == nil && res.Status != StatusOK && res.Status != StatusSkipped {
		res.Status = StatusError
		res.Err = fmt.Sprintf("timed out after %s (raise --timeout, or try again later)", timeout)
	} else if ctx.Err() != nil && res.Status != StatusOK {
		res.Status = StatusError
		res.Err = "cancelled"
	}
	if res.Status == StatusError && res.Err == "" {
		res.Err = "failed without a reason"
	}
	return res, d
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func dedupPivots(ps []Pivot) []Pivot {
	seen := map[Pivot]bool{}
	out := ps[:0]
	for _, p := range ps {
		if p.Value == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// SortedModuleIDs returns the ids present in a report in display order.
func SortedModuleIDs(r *Report) []string {
	order := map[string]int{}
	for i, id := range ModuleIDs {
		order[id] = i
	}
	var ids []string
	for id := range r.Modules {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		oi, iok := order[ids[i]]
		oj, jok := order[ids[j]]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return ids[i] < ids[j]
	})
	return ids
}

// ModulesFor returns the ids of this scanner's modules that apply to
// target kind k, in display order (the workbench's module picker).
func (s *Scanner) ModulesFor(k Kind) []string {
	var out []string
	for _, m := range s.modules {
		if m.Applies(k) {
			out = append(out, m.ID())
		}
	}
	return out
}
