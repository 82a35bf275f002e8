package threat

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/geoip"
)

// DefaultASNSource names the abuse-tolerant ASN list when Env.AbuseASNSource is empty.
const DefaultASNSource = "Spamhaus ASN-DROP"

// maxParallel bounds the DNS questions in flight at once.
const maxParallel = 8

type module struct{}

// New returns the threat module.
func New() recon.Module { return module{} }

func (module) ID() string                { return recon.ModuleThreat }
func (module) Touch() recon.Touch        { return recon.MustInfo(recon.ModuleThreat).Touch }
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleThreat).Applies(k) }

type job struct {
	subject, zone, qname string
}

// Run checks the domain and every address in the configured blocklists,
// the hosting ASNs against the abuse-tolerant list, and the keyed sources.
func (module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	facts := &recon.ThreatFacts{Checks: []recon.DNSBLCheck{}}
	domain := run.Target.Domain()
	// A private address says nothing to a blocklist: it is not sent (the
	// dns module's non-public-address rule reports it).
	public, _, addrErr := run.PublicAddrs(ctx)
	if addrErr != nil && domain == "" {
		return recon.Failed(fmt.Errorf("no address to check: %w", addrErr), facts)
	}

	var jobs []job
	if domain != "" {
		for _, z := range env.DNSBLDomain {
			jobs = append(jobs, job{domain, z, DomainQuery(domain, z)})
		}
	}
	for _, a := range public {
		for _, z := range env.DNSBLIP {
			jobs = append(jobs, job{a.String(), z, IPQuery(a, z)})
		}
	}

	// Each zone's test points, once per run, before any "not listed" is
	// trusted; they also choose how the zone is asked. Meanwhile each
	// question is already put to the resolver (Run.Lookup keeps the answer
	// for the run): when the test points choose the resolver, as they do
	// wherever it serves the lists, the answer is there when the route is,
	// and the test points cost no round trip of their own. The answer is
	// only read once the test points have vouched for it.
	go func() {
		pre := make(chan struct{}, maxParallel)
		for _, j := range jobs {
			select {
			case pre <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				defer func() { <-pre }()
				_, _ = run.Lookup(ctx, j.qname, dns.TypeA)
			}()
		}
	}()
	rts := map[string]*route{}
	var rmu sync.Mutex
	var rwg sync.WaitGroup
	for _, j := range jobs {
		rmu.Lock() // the goroutines started below write to rts
		_, seen := rts[j.zone]
		if !seen {
			rts[j.zone] = nil
		}
		rmu.Unlock()
		if seen {
			continue
		}
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			rt := zoneRoute(ctx, env, run.Lookup, j.zone, isIPZone(env, j.zone))
			rmu.Lock()
			rts[j.zone] = rt
			rmu.Unlock()
		}()
	}
	rwg.Wait()
	listedTest := map[string]bool{}
	for _, z := range append(append([]string{}, env.DNSBLDomain...), env.DNSBLIP...) {
		if rt := rts[z]; rt != nil && !listedTest[z] {
			listedTest[z] = true
			facts.Tests = append(facts.Tests, rt.test)
		}
	}

	var wg sync.WaitGroup
	checks := make([]recon.DNSBLCheck, len(jobs))
	outcomes := make([]outcome, len(jobs))
	sem := make(chan struct{}, maxParallel)
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			checks[i], outcomes[i] = checkRouted(ctx, rts[j.zone], j)
		}()
	}
	var flags []recon.ASNFlag
	wg.Add(1)
	go func() { defer wg.Done(); flags = asnFlags(ctx, run, public) }()
	var keyed []recon.KeyedResult
	wg.Add(1)
	go func() { defer wg.Done(); keyed = keyedResults(ctx, env, run.Target, domain, public) }()
	wg.Wait()

	facts.Checks = checks
	facts.ASN = flags
	facts.Keyed = keyed

	var nAnswered, nRefused int
	var failures, refusals []string
	for i, o := range outcomes {
		switch o {
		case answered:
			nAnswered++
		case refused:
			nRefused++
			refusals = append(refusals, checks[i].Zone+": "+checks[i].Reason)
		case failed:
			failures = append(failures, checks[i].Subject+" in "+checks[i].Zone+": "+checks[i].Reason)
		}
	}
	switch {
	case len(jobs) == 0 || nAnswered > 0:
		return recon.OK(facts)
	case nRefused > 0:
		return recon.RateLimited("every blocklist refused the query ("+strings.Join(uniq(refusals), "; ")+"); use your own recursive resolver with --resolver, not a public one", facts)
	default:
		return recon.Failed(errors.New("no blocklist answered: "+strings.Join(failures, "; ")+"; check --resolver"), facts)
	}
}

// checkRouted asks one question by the zone's route and keeps a "not
// listed" only when the zone's test points answered right.
func checkRouted(ctx context.Context, rt *route, j job) (recon.DNSBLCheck, outcome) {
	if rt == nil || rt.ask == nil {
		return recon.DNSBLCheck{Subject: j.subject, Zone: strings.TrimSuffix(j.zone, "."), Result: recon.DNSBLUnknown,
			Reason: "the list's test points were not answered"}, failed
	}
	if rt.refused && !rt.usable {
		return recon.DNSBLCheck{Subject: j.subject, Zone: strings.TrimSuffix(j.zone, "."), Result: recon.DNSBLUnknown, Refused: true,
			Reason: "the list refused the resolver (" + rt.why + ") and could not be asked another way (see its test points)"}, refused
	}
	c, o := check(ctx, rt.ask, j.subject, j.zone, j.qname)
	if rt.test.Via != ViaResolver {
		c.Via = rt.test.Via
	}
	if !rt.usable && c.Result == recon.DNSBLClean {
		c.Result, c.Reason = recon.DNSBLUnknown, "no listing answered, but "+rt.test.Detail
		return c, failed
	}
	return c, o
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// asnFlags finds each address's ASN (Team Cymru over DNS, and the ASN
// database when loaded) and flags those on env.AbuseASNs.
func asnFlags(ctx context.Context, run *recon.Run, addrs []netip.Addr) []recon.ASNFlag {
	env := run.Env
	if len(env.AbuseASNs) == 0 {
		return nil
	}
	src := env.AbuseASNSource
	if src == "" {
		src = DefaultASNSource
	}
	var mu sync.Mutex
	var out []recon.ASNFlag
	var wg sync.WaitGroup
	for _, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			asns := map[uint32]bool{}
			if g, ok := geoip.LookupDB(env.GeoIP, a); ok && g.ASN != 0 {
				asns[g.ASN] = true
			}
			if o, err := geoip.LookupOrigin(ctx, run.Lookup, env, a); err == nil {
				for _, n := range o.ASNs {
					asns[n] = true
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for n := range asns {
				if name, ok := env.AbuseASNs[n]; ok {
					out = append(out, recon.ASNFlag{ASN: n, Org: name, IP: a.String(), Source: src})
				}
			}
		}()
	}
	wg.Wait()
	sort.Slice(out, func(i, j int) bool {
		if out[i].IP != out[j].IP {
			return out[i].IP < out[j].IP
		}
		return out[i].ASN < out[j].ASN
	})
	return out
}

// keyedResults asks VirusTotal (the domain, or the IP of an IP target: its
// public tier allows 4 requests a minute) and AbuseIPDB (each address, at
// most maxAbuseIPDB), or says why not.
func keyedResults(ctx context.Context, env *recon.Env, t recon.Target, domain string, addrs []netip.Addr) []recon.KeyedResult {
	var reqs []keyedReq
	var out []recon.KeyedResult
	if env.Keys.VirusTotal == "" {
		out = append(out, skippedNoKey(SourceVirusTotal, "NETSPECTER_VIRUSTOTAL_KEY"))
	} else if domain != "" {
		reqs = append(reqs, virusTotal(env, "domain", domain))
	} else if t.Kind == recon.KindIP && len(addrs) > 0 {
		reqs = append(reqs, virusTotal(env, "ip", addrs[0].String()))
	}
	if env.Keys.AbuseIPDB == "" {
		out = append(out, skippedNoKey(SourceAbuseIPDB, "NETSPECTER_ABUSEIPDB_KEY"))
	} else {
		for i, a := range addrs {
			if i == maxAbuseIPDB {
				break
			}
			reqs = append(reqs, abuseIPDB(env, a))
		}
	}
	res := make([]recon.KeyedResult, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() { defer wg.Done(); res[i] = r.do(ctx, env) }()
	}
	wg.Wait()
	return append(res, out...)
}
