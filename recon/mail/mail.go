package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/dnsmod"
)

// ID is the module id (a contract).
const ID = recon.ModuleEmail

// maxIncludeDepth bounds the SPF include/redirect recursion (RFC 7208 allows
// at most 10 lookups, so deeper chains are broken anyway).
const maxIncludeDepth = 10

// maxIncludeFetches bounds how many included records one scan fetches.
const maxIncludeFetches = 30

type module struct{}

// New returns the email module.
func New() recon.Module { return module{} }

func (module) ID() string                { return recon.ModuleEmail }
func (module) Touch() recon.Touch        { return recon.MustInfo(recon.ModuleEmail).Touch }
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleEmail).Applies(k) }

type question struct {
	key   string // key in EmailFacts.Errors
	name  string
	qtype uint16
}

type reply struct {
	msg *dns.Msg
	why string // "" when msg is a result (NOERROR or NXDOMAIN)
	err error
}

func (module) Run(ctx context.Context, r *recon.Run) *recon.ModuleResult {
	domain := dnsmod.Norm(r.Target.Domain())
	f := &recon.EmailFacts{Domain: domain}
	if domain == "" {
		return recon.Failed(errors.New("email: the target has no domain; give a domain or an e-mail address"), f)
	}
	qs := []question{
		{"MX", domain, dns.TypeMX},
		{"TXT", domain, dns.TypeTXT},
		{"_dmarc TXT", "_dmarc." + domain, dns.TypeTXT},
		{"_mta-sts TXT", "_mta-sts." + domain, dns.TypeTXT},
		{"_smtp._tls TXT", "_smtp._tls." + domain, dns.TypeTXT},
	}
	replies := make([]reply, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = ask(ctx, r, q.name, q.qtype)
		}()
	}
	wg.Wait()
	for i, q := range qs {
		if replies[i].why != "" {
			if f.Errors == nil {
				f.Errors = map[string]string{}
			}
			f.Errors[q.key] = replies[i].why
		}
	}
	mx, txt, dmarc, sts, rpt := replies[0], replies[1], replies[2], replies[3], replies[4]

	var pivots []recon.Pivot
	if mx.why == "" {
		pivots = fillMX(f, mx.msg)
	}
	if txt.why == "" {
		var spfs []string
		for _, s := range texts(txt.msg) {
			if IsSPF(s) {
				spfs = append(spfs, s)
			}
		}
		f.SPFCount = len(spfs)
		if len(spfs) > 0 {
			f.SPF = ParseSPF(spfs[0])
			if len(spfs) == 1 {
				expandSPF(ctx, r, f, domain)
			}
		}
	}
	dmarcCount := 0
	var orgDMARC reply // the organisational domain's answer, when it was asked and failed
	orgName := ""
	if dmarc.why == "" {
		var recs []string
		for _, s := range texts(dmarc.msg) {
			if IsDMARC(s) {
				recs = append(recs, s)
			}
		}
		dmarcCount = len(recs)
		if len(recs) > 0 {
			f.DMARC = ParseDMARC(recs[0])
			if len(recs) > 1 {
				f.DMARC.Errors = append(f.DMARC.Errors, fmt.Sprintf("%d DMARC records at _dmarc.%s: receivers ignore all of them; keep one", len(recs), domain))
			}
		}
	}
	if dmarcCount == 0 && dmarc.why == "" {
		// RFC 7489 §6.6.3: without a record of its own, a subdomain is
		// governed by its organisational domain's record (sp=, else p=).
		if org := recon.RegisteredDomain(domain); org != domain {
			rep := ask(ctx, r, "_dmarc."+org, dns.TypeTXT)
			if rep.why != "" {
				// Unread is not "no DMARC": the subdomain's policy is unknown.
				orgDMARC, orgName = rep, org
				setErr(f, "_dmarc TXT", "_dmarc."+org+": "+rep.why)
			} else {
				for _, s := range texts(rep.msg) {
					if IsDMARC(s) {
						f.DMARC = ParseDMARC(s)
						f.DMARC.From = org
						if f.DMARC.SubdomainPolicy != "" {
							f.DMARC.Policy = f.DMARC.SubdomainPolicy
						}
						dmarcCount = 1
						break
					}
				}
			}
		}
	}
	if sts.why == "" {
		var ids []string
		for _, s := range texts(sts.msg) {
			if id, ok := parseSTS(s); ok {
				ids = append(ids, id)
			}
		}
		f.MTASTS = len(ids) == 1 // RFC 8461 §3.1: several records mean none
		if f.MTASTS {
			f.MTASTSID = ids[0]
		} else if len(ids) > 1 {
			f.MTASTSProblem = fmt.Sprintf("%d MTA-STS records: senders ignore MTA-STS; keep one", len(ids))
		}
	}
	if rpt.why == "" {
		for _, s := range texts(rpt.msg) {
			if hasVersion(s, "v=TLSRPTv1") {
				f.TLSRPT = true
			}
		}
	}
	f.Spoofable, f.SpoofReason, f.Posture = verdict(f, dmarcCount)

	// Without the SPF and DMARC answers the verdict would be a guess: fail
	// and say why, keeping what was found.
	for _, q := range []struct {
		rep  reply
		what string
	}{{txt, "the SPF record (TXT " + domain + ")"}, {dmarc, "the DMARC record (TXT _dmarc." + domain + ")"},
		{orgDMARC, "the organisational DMARC record that governs " + domain + " (TXT _dmarc." + orgName + ")"}} {
		if q.rep.why != "" {
			f.Spoofable, f.SpoofReason, f.Posture = false, "unknown: "+q.what+" could not be read", ""
			return recon.Failed(fmt.Errorf("email: could not read %s: %s; %s", q.what, q.rep.why, hint(r, q.rep.err)), f)
		}
	}
	return recon.OK(f, pivots...)
}

// ask runs one memoised query and classifies the outcome.
func ask(ctx context.Context, r *recon.Run, name string, qtype uint16) reply {
	m, err := r.Lookup(ctx, name, qtype)
	if err != nil {
		return reply{why: dnsmod.Describe(r.Env.Resolver, err), err: err}
	}
	if m == nil {
		return reply{why: "no answer from " + r.Env.Resolver, err: errors.New("no answer")}
	}
	if m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
		rc := dns.RcodeToString[m.Rcode]
		if rc == "" {
			rc = fmt.Sprintf("rcode %d", m.Rcode)
		}
		return reply{why: rc + " from " + r.Env.Resolver, err: &recon.RcodeError{Name: name, Type: dns.TypeToString[qtype], Rcode: m.Rcode}}
	}
	return reply{msg: m}
}

func hint(r *recon.Run, err error) string {
	var ne net.Error
	var rc *recon.RcodeError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("the resolver %s did not answer: check --resolver and your network", r.Env.Resolver)
	case errors.As(err, &rc) && rc.Rcode == dns.RcodeRefused:
		return fmt.Sprintf("the resolver %s refused: use another --resolver", r.Env.Resolver)
	}
	return "try again later or use another --resolver"
}

// texts returns the TXT records of an answer, character-strings joined.
func texts(m *dns.Msg) []string {
	if m == nil {
		return nil
	}
	var out []string
	for _, rr := range m.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, dnsmod.TXTBytes(t.Txt)) // the bytes, not the escaped presentation form
		}
	}
	return out
}

// fillMX sets HasMX, NullMX and MX (sorted by preference) and returns the MX pivots.
func fillMX(f *recon.EmailFacts, m *dns.Msg) []recon.Pivot {
	var mxs []recon.MXRecord
	for _, rr := range m.Answer {
		if v, ok := rr.(*dns.MX); ok {
			mxs = append(mxs, recon.MXRecord{Host: dnsmod.NormHost(v.Mx), Pref: v.Preference})
		}
	}
	if len(mxs) == 1 && mxs[0].Host == "." {
		f.NullMX = true // RFC 7505: the domain accepts no mail
		return nil
	}
	sort.SliceStable(mxs, func(i, j int) bool {
		if mxs[i].Pref != mxs[j].Pref {
			return mxs[i].Pref < mxs[j].Pref
		}
		return mxs[i].Host < mxs[j].Host
	})
	var ps []recon.Pivot
	for _, x := range mxs {
		if x.Host == "." || x.Host == "" {
			continue
		}
		dup := false
		for _, h := range f.MX {
			dup = dup || h == x.Host
		}
		if dup {
			continue
		}
		f.MX = append(f.MX, x.Host)
		ps = append(ps, recon.Pivot{Kind: recon.PivotMX, Value: x.Host, Relation: recon.RelMX})
	}
	f.HasMX = len(f.MX) > 0
	return ps
}

// expandSPF follows include: and redirect= through run.Lookup and sets the
// SPF record's Lookups to the total of the whole tree.
func expandSPF(ctx context.Context, r *recon.Run, f *recon.EmailFacts, domain string) {
	w := &walker{ctx: ctx, r: r, f: f, seen: map[string]bool{domain: true}}
	total := w.count(f.SPF, 1)
	if total == f.SPF.Lookups {
		return
	}
	f.SPF.Lookups = total
	if total > MaxLookups {
		kept := f.SPF.Errors[:0]
		for _, e := range f.SPF.Errors {
			if !strings.HasPrefix(e, lookupLimitPrefix) {
				kept = append(kept, e)
			}
		}
		f.SPF.Errors = append(kept, fmt.Sprintf("%s%d DNS lookups counting its includes; the limit is %d, so receivers return permerror", lookupLimitPrefix, total, MaxLookups))
	}
}

type walker struct {
	ctx     context.Context
	r       *recon.Run
	f       *recon.EmailFacts
	seen    map[string]bool
	fetches int
}

func (w *walker) count(rec *recon.SPFRecord, depth int) int {
	n := rec.Lookups
	var targets []string
	for _, m := range rec.Mechanisms {
		if m.Name == "include" {
			targets = append(targets, m.Value)
		}
	}
	if rec.Redirect != "" && rec.All == "" {
		targets = append(targets, rec.Redirect)
	}
	for _, t := range targets {
		if n > MaxLookups || depth > maxIncludeDepth || w.fetches >= maxIncludeFetches || w.ctx.Err() != nil {
			break // over the limit already: the exact total no longer matters
		}
		if strings.Contains(t, "%") {
			continue // macros depend on the sender; cannot be expanded here
		}
		name := dnsmod.Norm(t)
		if w.seen[name] {
			w.f.SPF.Errors = appendNew(w.f.SPF.Errors, fmt.Sprintf("include loop: %s is included again (receivers return permerror)", name))
			continue
		}
		w.seen[name] = true
		w.fetches++
		rep := ask(w.ctx, w.r, name, dns.TypeTXT)
		if rep.why != "" {
			setErr(w.f, "SPF "+name, rep.why)
			continue
		}
		var spfs []string
		for _, s := range texts(rep.msg) {
			if IsSPF(s) {
				spfs = append(spfs, s)
			}
		}
		if len(spfs) != 1 {
			why := "has no SPF record"
			if len(spfs) > 1 {
				why = fmt.Sprintf("has %d SPF records", len(spfs))
			}
			w.f.SPF.Errors = append(w.f.SPF.Errors, fmt.Sprintf("included domain %s %s (receivers return permerror)", name, why))
			continue
		}
		n += w.count(ParseSPF(spfs[0]), depth+1)
	}
	return n
}

// parseSTS returns the id of an MTA-STS TXT record ("v=STSv1; id=...").
func parseSTS(s string) (string, bool) {
	if !hasVersion(s, "v=STSv1") {
		return "", false
	}
	for _, part := range strings.Split(Unquote(s), ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.TrimSpace(k) == "id" {
			return strings.TrimSpace(v), true
		}
	}
	return "", true
}

// hasVersion reports whether a record starts with the version tag v
// followed by ";", a space or nothing.
func hasVersion(s, v string) bool {
	t := strings.TrimSpace(Unquote(s))
	if !strings.HasPrefix(t, v) {
		return false
	}
	rest := t[len(v):]
	return rest == "" || rest[0] == ';' || rest[0] == ' ' || rest[0] == '\t'
}

// verdict decides whether mail in the domain's name can be forged, says why
// in words, and builds the posture key.
func verdict(f *recon.EmailFacts, dmarcCount int) (bool, string, string) {
	spf := "none"
	switch {
	case f.SPFCount > 1, f.SPF != nil && len(f.SPF.Errors) > 0:
		spf = "permerror"
	case f.SPF != nil && f.SPF.All != "":
		spf = f.SPF.All
	case f.SPF != nil && f.SPF.Redirect != "":
		spf = "redirect"
	case f.SPF != nil:
		spf = "neutral"
	}
	dmarc := "none"
	d := f.DMARC
	switch {
	case d == nil:
	case dmarcCount > 1:
		dmarc = "permerror"
	case d.Policy == "":
		dmarc = "invalid"
	case d.Policy == "none":
		dmarc = "monitor"
	default:
		dmarc = d.Policy
		if d.Pct < 100 {
			dmarc += fmt.Sprintf(":pct%d", d.Pct)
		}
	}
	posture := "spf:" + spf + " dmarc:" + dmarc

	spfWords := map[string]string{
		"none":      "there is no SPF record",
		"permerror": "the SPF record is broken (receivers treat it as a permanent error)",
		"-all":      "SPF ends in -all",
		"~all":      "SPF ends in ~all (softfail: failures are only marked)",
		"?all":      "SPF ends in ?all (neutral: failures are not even marked)",
		"+all":      "SPF ends in +all (every server on the internet passes)",
		"redirect":  "SPF redirects to " + redirectOf(f),
		"neutral":   "SPF has no all mechanism (neutral for unlisted servers)",
	}[spf]
	name := f.Domain
	switch {
	case spf == "+all":
		return true, fmt.Sprintf("anyone can send mail as %s: %s, so forged mail passes SPF and DMARC alignment", name, spfWords), posture
	case dmarc == "none":
		if spf == "none" {
			return true, fmt.Sprintf("anyone can send mail as %s: there is no SPF and no DMARC record", name), posture
		}
		return true, fmt.Sprintf("the From: header of %s can be forged: %s, but there is no DMARC record, and SPF alone checks only the envelope sender", name, spfWords), posture
	case dmarc == "permerror":
		return true, fmt.Sprintf("the From: header of %s can be forged: it has %d DMARC records, so receivers ignore all of them", name, dmarcCount), posture
	case dmarc == "invalid":
		return true, fmt.Sprintf("the From: header of %s can be forged: the DMARC record has no valid p= policy, so receivers ignore it", name), posture
	case dmarc == "monitor":
		return true, fmt.Sprintf("the From: header of %s can be forged: DMARC p=none only monitors, receivers still deliver forged mail (%s)", name, spfWords), posture
	case d.Pct < 100:
		return true, fmt.Sprintf("forged mail from %s is partly delivered: DMARC p=%s applies to only %d%% of failing mail (pct=%d)", name, d.Policy, d.Pct, d.Pct), posture
	}
	reason := fmt.Sprintf("forged mail from %s is refused: DMARC p=%s tells receivers to %s mail that fails SPF and DKIM alignment; %s", name, d.Policy, map[string]string{"reject": "reject", "quarantine": "quarantine"}[d.Policy], spfWords)
	if spf == "none" || spf == "permerror" {
		reason += " (DMARC then relies on DKIM alone)"
	}
	return false, reason, posture
}

func redirectOf(f *recon.EmailFacts) string {
	if f.SPF == nil {
		return ""
	}
	return f.SPF.Redirect
}

func setErr(f *recon.EmailFacts, k, why string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	f.Errors[k] = why
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
