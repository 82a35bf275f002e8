package whoismod

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/likexian/whois"

	"github.com/netspecter/netspecter-tui/recon"
)

// QueryTimeout bounds one WHOIS server's answer (the module's context may
// bound it further).
const QueryTimeout = 10 * time.Second

// maxHops bounds the referral walk (IANA, registry, registrar, one spare).
const maxHops = 4

type module struct{}

// New returns the whois module (id "whois"): port-43 WHOIS with referral,
// RDAP as the fallback. It applies to domain and e-mail targets.
func New() recon.Module { return module{} }

// ID returns "whois".
func (module) ID() string { return recon.ModuleWhois }

// Touch says the module asks third-party record services.
func (module) Touch() recon.Touch { return recon.MustInfo(recon.ModuleWhois).Touch }

// Applies is true for domains and e-mail addresses (their domain part).
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleWhois).Applies(k) }

// Run walks the WHOIS referral chain for the target's domain, parses the
// answers, and falls back to RDAP when WHOIS gives nothing usable.
func (module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	domain := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(run.Target.Domain())), ".")
	if !strings.Contains(domain, ".") {
		return recon.Skipped(fmt.Sprintf("WHOIS needs a registered domain name such as example.com, not %q", domain))
	}
	// A host name (ns1.example.net, a CT subdomain) is registered as part of
	// its registrable domain: ask for that. Registries know only ICANN
	// domains: a site under a platform suffix (x.pages.dev) is asked as
	// the platform's domain, and the record says it is the platform's.
	domain, platform := recon.ICANNDomain(domain)
	res := run1(ctx, env, domain)
	if f, ok := res.Facts.(*recon.WhoisFacts); ok && f != nil && platform != "" {
		f.Platform = platform
		res.Pivots = nil // the platform's registrar and name servers link nothing
	}
	return res
}

// run1 asks WHOIS (then RDAP) about one ICANN-registered domain.
func run1(ctx context.Context, env *recon.Env, domain string) *recon.ModuleResult {
	w := walk(ctx, env, domain)
	facts, kind, detail := Combine(w.answers)
	facts.Domain = domain
	facts.Servers = w.servers
	facts.Raw = w.raw(maxRaw(env))
	switch kind {
	case AnswerFound:
		facts.Source = "whois"
		return recon.OK(&facts, pivotsOf(&facts)...)
	case AnswerNotFound:
		facts.Source = "whois"
		facts.Registered, facts.Registration = false, recon.RegFree
		return recon.OK(&facts)
	}

	// WHOIS gave nothing usable (or was rate-limited): ask RDAP.
	whoisErr := w.problem(kind, detail)
	rf, rkind, rdetail, rerr := lookupRDAP(ctx, env, domain)
	if rerr == nil {
		rf.Domain = domain
		rf.Servers = append(append([]string{}, w.servers...), rf.Servers...)
		switch rkind {
		case AnswerFound:
			return recon.OK(&rf, pivotsOf(&rf)...)
		case AnswerNotFound:
			rf.Registered, rf.Registration = false, recon.RegFree
			return recon.OK(&rf)
		case AnswerRateLimited:
			if kind != AnswerRateLimited {
				return recon.RateLimited(rdetail, &rf)
			}
		}
	}
	if kind == AnswerRateLimited {
		msg := whoisErr.Error()
		if rerr != nil {
			msg += "; the RDAP fallback failed too: " + rerr.Error()
		} else if rkind == AnswerRateLimited {
			msg += "; RDAP is rate-limiting too: " + rdetail
		}
		return recon.RateLimited(msg, &facts)
	}
	msg := whoisErr.Error()
	if rerr != nil {
		msg += "; the RDAP fallback failed too: " + rerr.Error()
	}
	return recon.Failed(errors.New(msg), &facts)
}

// pivotsOf returns the registrar and name-server pivots.
func pivotsOf(f *recon.WhoisFacts) []recon.Pivot {
	var ps []recon.Pivot
	if f.Registrar != "" {
		ps = append(ps, recon.Pivot{Kind: recon.PivotRegistrar, Value: f.Registrar, Relation: recon.RelRegistrar})
	}
	for _, ns := range f.NameServers {
		ps = append(ps, recon.Pivot{Kind: recon.PivotNS, Value: ns, Relation: recon.RelNS})
	}
	return ps
}

func maxWhois(env *recon.Env) int64 {
	if env.Limits.MaxWhois > 0 {
		return env.Limits.MaxWhois
	}
	return recon.DefaultLimits().MaxWhois
}

// maxRaw bounds the stored transcript: each answer is already at most
// MaxWhois bytes; all of them together at most twice that.
func maxRaw(env *recon.Env) int { return 2 * int(maxWhois(env)) }

// walkResult is what the referral walk collected.
type walkResult struct {
	servers  []string
	sections []Section
	answers  []Answer
	errs     []error
	loop     string
}

// walk asks env.WhoisServer, then the server each answer refers to, until a
// registration record's registrar server has answered, an answer names no
// further server, a server fails, or a referral loops.
func walk(ctx context.Context, env *recon.Env, domain string) *walkResult {
	w := &walkResult{}
	next := normServer(env.WhoisServer)
	if h, p, err := net.SplitHostPort(strings.ToLower(strings.TrimSpace(env.WhoisServer))); next == "" && err == nil && h != "" && p != "" {
		next = net.JoinHostPort(h, p) // the configured server may be a single label ("localhost:4343")
	}
	if next == "" {
		w.errs = append(w.errs, fmt.Errorf("the WHOIS server %q is not a host:port; set it to whois.iana.org:43", env.WhoisServer))
		return w
	}
	asked := map[string]bool{}
	foundRecord := false
	for hop := 0; hop < maxHops && next != ""; hop++ {
		if asked[next] {
			w.loop = fmt.Sprintf("WHOIS referral loop: %s referred back to %s, which was already asked; stopped there", w.servers[len(w.servers)-1], next)
			break
		}
		asked[next] = true
		server := next
		next = ""
		w.servers = append(w.servers, server)
		// Keep time in hand: for the RDAP fallback while no record is
		// found, and for returning the registry's record when the
		// registrar's server is slow.
		share := 2.0 / 3
		if foundRecord {
			share = 0.5
		}
		hctx, cancel := shareOf(ctx, share)
		text, truncated, err := query(hctx, env, server, domain)
		cancel()
		if err != nil && strings.TrimSpace(text) == "" {
			w.errs = append(w.errs, err)
			break
		}
		if truncated {
			text += fmt.Sprintf("\n%% netspecter: answer cut at %d bytes\n", maxWhois(env))
		}
		w.sections = append(w.sections, Section{Server: server, Text: text})
		a := ParseAnswerFor(text, !foundRecord, domain)
		w.answers = append(w.answers, a)
		switch a.Kind {
		case AnswerReferral:
			next = a.Refer
		case AnswerFound:
			if !foundRecord {
				// The registry's record names the registrar's server: ask it once.
				next = a.Refer
			}
			foundRecord = true
		case AnswerUnparsed:
			if !foundRecord {
				next = a.Refer
			}
		}
		if next == server {
			w.loop = fmt.Sprintf("WHOIS referral loop: %s referred to itself; stopped there", server)
			next = ""
		}
	}
	return w
}

// shareOf returns a context whose deadline leaves (1-share) of ctx's
// remaining time unused; without a deadline on ctx it is ctx.
func shareOf(ctx context.Context, share float64) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	rem := time.Until(dl)
	return context.WithTimeout(ctx, time.Duration(float64(rem)*share))
}

// raw is the transcript: each answer after a "# <server>" line, bounded.
func (w *walkResult) raw(limit int) string {
	var b strings.Builder
	for _, s := range w.sections {
		b.WriteString("# " + s.Server + "\n")
		b.WriteString(s.Text)
		if !strings.HasSuffix(s.Text, "\n") {
			b.WriteString("\n")
		}
	}
	out := b.String()
	if len(out) > limit {
		out = out[:limit] + fmt.Sprintf("\n%% netspecter: transcript cut at %d bytes\n", limit)
	}
	return out
}

// problem says in words why the walk gave no record.
func (w *walkResult) problem(kind AnswerKind, detail string) error {
	last := ""
	if n := len(w.servers); n > 0 {
		last = w.servers[n-1]
	}
	switch {
	case kind == AnswerRateLimited:
		for i, a := range w.answers {
			if a.Kind == AnswerRateLimited {
				last = w.sections[i].Server
				break
			}
		}
		return fmt.Errorf("WHOIS server %s is rate-limiting us (%q); wait a few minutes before scanning again", last, detail)
	case len(w.errs) > 0:
		return w.errs[len(w.errs)-1]
	case w.loop != "":
		return errors.New(w.loop)
	case len(w.answers) > 0 && w.answers[len(w.answers)-1].Kind == AnswerReferral:
		return fmt.Errorf("WHOIS server %s referred to a server that did not answer", last)
	case last != "":
		return fmt.Errorf("WHOIS server %s answered, but with nothing that reads as a registration record or a \"not found\"; see the raw answer", last)
	}
	return errors.New("no WHOIS server was asked")
}

// query asks one server about domain through env.Dial, with stats and
// referral following turned off, bounded by MaxWhois bytes and by the
// smaller of QueryTimeout and ctx's deadline.
func query(ctx context.Context, env *recon.Env, server, domain string) (string, bool, error) {
	timeout := QueryTimeout
	if dl, ok := ctx.Deadline(); ok {
		if rem := time.Until(dl); rem < timeout {
			timeout = rem
		}
	}
	if timeout <= 0 || ctx.Err() != nil {
		return "", false, fmt.Errorf("no time left to ask WHOIS server %s (raise --timeout)", server)
	}
	if err := env.Sources.Wait(ctx, "whois"); err != nil {
		return "", false, fmt.Errorf("waited for the WHOIS rate limit until the scan's time ran out (raise --timeout): %w", err)
	}
	if env.Dial == nil {
		return "", false, errors.New("no dialer configured for WHOIS (this is a setup bug: Env.Dial is nil)")
	}
	qctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := qctx.Deadline()
	d := &ctxDialer{ctx: qctx, dial: env.Dial, max: maxWhois(env), deadline: deadline}
	c := whois.NewClient().SetDialer(d).SetTimeout(timeout).
		SetDisableStats(true).SetDisableReferral(true)
	text, err := c.Whois(domain, server)
	truncated := d.truncated()
	rateLimited := err == nil && rateLimitLine(text) != ""
	if err != nil {
		err = describe(err, server, timeout, ctx)
	}
	env.Sources.Done("whois", err, rateLimited)
	return text, truncated, err
}

// describe turns a likexian/whois error into words that say what to do.
func describe(err error, server string, timeout time.Duration, parent context.Context) error {
	var ne net.Error
	switch {
	case parent.Err() != nil && errors.Is(parent.Err(), context.Canceled):
		return fmt.Errorf("WHOIS query to %s was cancelled", server)
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Errorf("WHOIS server %s did not answer within %s; try again later, or check that outgoing TCP port 43 is not blocked", server, timeout.Round(time.Millisecond))
	case strings.Contains(err.Error(), "connect to whois server failed"):
		return fmt.Errorf("could not connect to WHOIS server %s (%v); check your network, or that outgoing TCP port 43 is allowed", server, errors.Unwrap(err))
	}
	return fmt.Errorf("WHOIS server %s: %w; try again later", server, err)
}
