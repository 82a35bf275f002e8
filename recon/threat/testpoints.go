package threat

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/geoip"
)

// How a blocklist was asked (DNSBLTest.Via, DNSBLCheck.Via).
const (
	ViaResolver = "resolver"
	ViaDirect   = "the zone's name servers"
	ViaDQS      = "Spamhaus DQS"
)

// TestPoints returns the RFC 5782 §5 test names of zone: one every working
// list answers as listed, one it answers as not listed. IP lists use
// 127.0.0.2 and 127.0.0.1; Spamhaus' DBL uses dbltest.com (its documented
// test name) and other domain lists TEST; INVALID is never listed.
func TestPoints(zone string, ipZone bool) (listed, unlisted string) {
	zone = strings.TrimSuffix(zone, ".")
	if ipZone {
		return "2.0.0.127." + zone, "1.0.0.127." + zone
	}
	if familyOf(zone) == famDBL {
		return "dbltest.com." + zone, "invalid." + zone
	}
	return "test." + zone, "invalid." + zone
}

// DQSZone maps a Spamhaus public zone to its Data Query Service zone for
// key ("zen.spamhaus.org" → "KEY.zen.dq.spamhaus.net"), or "" when zone is
// not a Spamhaus zone or key is empty.
func DQSZone(zone, key string) string {
	zone = strings.TrimSuffix(strings.ToLower(zone), ".")
	base, ok := strings.CutSuffix(zone, ".spamhaus.org")
	if !ok || key == "" || strings.Contains(base, ".") {
		return ""
	}
	return key + "." + base + ".dq.spamhaus.net"
}

// route is how one zone is asked during this run, decided once from its
// test points.
type route struct {
	test recon.DNSBLTest
	// usable: a "not listed" from the zone can be trusted.
	usable bool
	// refused: the zone refused (127.255.255.254 and the like); why is
	// the answer and its meaning.
	refused bool
	why     string
	// ask asks a question of the zone by this route; qname is the
	// public-zone name (the route rewrites it for DQS).
	ask func(ctx context.Context, qname string, qtype uint16) (*dns.Msg, error)
}

type routeKey struct {
	env  *recon.Env
	zone string
}

type routeOnce struct {
	once sync.Once
	done chan struct{}
	r    *route
}

var routes sync.Map // routeKey -> *routeOnce

// zoneRoute checks zone's test points once per Env (the first scan pays;
// later ones reuse the answer) and returns how to ask it: through the
// resolver when its test points answer right; else with the Spamhaus DQS
// key when one is set; else the zone's own name servers, asked directly
// (not when a proxy is set: that would go around it). lookup is the run's
// resolver look-up.
func zoneRoute(ctx context.Context, env *recon.Env, lookup geoip.LookupFunc, zone string, ipZone bool) *route {
	key := routeKey{env, zone}
	v, _ := routes.LoadOrStore(key, &routeOnce{done: make(chan struct{})})
	o := v.(*routeOnce)
	o.once.Do(func() {
		go func() {
			defer close(o.done)
			o.r = decideRoute(context.WithoutCancel(ctx), env, lookup, zone, ipZone)
			if !o.r.usable && !o.r.refused {
				// A timeout or SERVFAIL may pass: the next scan asks again
				// (a refusal or working test points hold for the run).
				routes.CompareAndDelete(key, o)
			}
		}()
	})
	select {
	case <-o.done:
		return o.r
	case <-ctx.Done():
		return &route{test: recon.DNSBLTest{Zone: zone, Via: ViaResolver, Detail: "the test points were not answered in time"}}
	}
}

func decideRoute(ctx context.Context, env *recon.Env, lookup geoip.LookupFunc, zone string, ipZone bool) *route {
	viaResolver := func(ctx context.Context, qname string, qtype uint16) (*dns.Msg, error) {
		return lookup(ctx, qname, qtype)
	}
	first := tryRoute(ctx, zone, ipZone, ViaResolver, viaResolver)
	if first.usable {
		return first
	}
	var tried []string
	tried = append(tried, first.test.Detail)
	if dz := DQSZone(zone, env.Keys.SpamhausDQS); dz != "" {
		pub := strings.TrimSuffix(zone, ".")
		viaDQS := func(ctx context.Context, qname string, qtype uint16) (*dns.Msg, error) {
			return lookup(ctx, strings.TrimSuffix(strings.TrimSuffix(qname, "."), pub)+dz, qtype)
		}
		r := tryRoute(ctx, zone, ipZone, ViaDQS, viaDQS)
		if r.usable {
			r.test.Detail += " (the resolver's answers were refused: " + first.test.Detail + ")"
			return r
		}
		tried = append(tried, "DQS: "+r.test.Detail)
	}
	if env.Proxy == "" {
		servers, err := zoneServers(ctx, env, lookup, zone)
		if err != nil {
			tried = append(tried, "its name servers: "+err.Error())
		}
		for _, srv := range servers {
			direct := func(ctx context.Context, qname string, qtype uint16) (*dns.Msg, error) {
				return env.ExchangeAt(ctx, srv, qname, qtype)
			}
			r := tryRoute(ctx, zone, ipZone, ViaDirect, direct)
			if r.usable {
				r.test.Detail += " (asked directly at " + srv + "; through the resolver: " + first.test.Detail + ")"
				return r
			}
			tried = append(tried, "its name server "+srv+": "+r.test.Detail)
			break // one server says enough; the zone's servers agree
		}
	}
	first.test.Detail = strings.Join(tried, "; ")
	return first
}

// zoneServers returns "ip:53" of zone's name servers (public addresses
// only), asked through the resolver.
func zoneServers(ctx context.Context, env *recon.Env, lookup geoip.LookupFunc, zone string) ([]string, error) {
	m, err := lookup(ctx, zone, dns.TypeNS)
	if err != nil {
		return nil, err
	}
	if m.Rcode != dns.RcodeSuccess {
		return nil, fmt.Errorf("NS %s: %s", zone, dns.RcodeToString[m.Rcode])
	}
	var out []string
	for _, rr := range m.Answer {
		ns, ok := rr.(*dns.NS)
		if !ok {
			continue
		}
		am, err := lookup(ctx, ns.Ns, dns.TypeA)
		if err != nil || am.Rcode != dns.RcodeSuccess {
			continue
		}
		for _, a := range recon.AddrsOf(am) {
			if recon.CheckPublic(a) == nil {
				out = append(out, net.JoinHostPort(a.String(), "53"))
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no public address for the name servers of %s", zone)
	}
	return out, nil
}

// tryRoute asks zone's two test points by ask and judges the answers.
func tryRoute(ctx context.Context, zone string, ipZone bool, via string, ask func(context.Context, string, uint16) (*dns.Msg, error)) *route {
	r := &route{test: recon.DNSBLTest{Zone: strings.TrimSuffix(zone, "."), Via: via}, ask: ask}
	listed, unlisted := TestPoints(zone, ipZone)
	// Both test points at once: one round trip, not two, on the scan's
	// critical path.
	var (
		um   *dns.Msg
		uerr error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		um, uerr = ask(ctx, unlisted, dns.TypeA)
	}()
	lm, lerr := ask(ctx, listed, dns.TypeA)
	<-done
	point := func(q string) string { return strings.TrimSuffix(strings.TrimSuffix(q, zone), ".") }
	for _, m := range []*dns.Msg{lm, um} {
		if m == nil {
			continue
		}
		for _, a := range recon.AddrsOf(m) {
			if c := Decode(zone, a); c.Refusal != "" {
				r.refused = true
				r.why = fmt.Sprintf("%s: %s", a, c.Refusal)
				r.test.Detail = "refused: a test point was answered " + r.why
				return r
			}
		}
	}
	switch {
	case lerr != nil:
		r.test.Detail = "test point " + point(listed) + " not answered: " + lerr.Error()
	case uerr != nil:
		r.test.Detail = "test point " + point(unlisted) + " not answered: " + uerr.Error()
	case lm.Rcode != dns.RcodeSuccess && lm.Rcode != dns.RcodeNameError:
		r.test.Detail = "test point " + point(listed) + " answered " + dns.RcodeToString[lm.Rcode]
	case !listedAnswer(zone, lm):
		r.test.Detail = "test point " + point(listed) + " (always listed) came back not listed: a \"not listed\" from this list means nothing here"
	case um.Rcode != dns.RcodeNameError && listedAnswer(zone, um):
		r.test.Detail = "test point " + point(unlisted) + " (never listed) came back listed: the answers are not the list's"
	default:
		r.usable = true
		r.test.OK = true
		r.test.Detail = "test points answer as RFC 5782 says (" + point(listed) + " listed, " + point(unlisted) + " not)"
	}
	return r
}

// listedAnswer reports whether m lists its name in zone (a listing code).
func listedAnswer(zone string, m *dns.Msg) bool {
	if m == nil || m.Rcode != dns.RcodeSuccess {
		return false
	}
	for _, a := range recon.AddrsOf(m) {
		if Decode(zone, a).Listing {
			return true
		}
	}
	return false
}

// isIPZone reports whether zone is asked about addresses in this run.
func isIPZone(env *recon.Env, zone string) bool {
	for _, z := range env.DNSBLIP {
		if z == zone {
			return true
		}
	}
	return false
}

// ZoneTest checks zone's test points now (not from the per-run cache) the
// way a scan would: through the resolver, then the DQS key, then the
// zone's own name servers. For doctor.
func ZoneTest(ctx context.Context, env *recon.Env, zone string, ipZone bool) recon.DNSBLTest {
	lookup := func(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
		return env.Exchange(ctx, name, qtype)
	}
	return decideRoute(ctx, env, lookup, zone, ipZone).test
}
