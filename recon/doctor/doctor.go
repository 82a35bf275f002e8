// Package doctor checks, in a few seconds, every source the tool relies on
// (the resolver and its honesty, the blocklists' test points, WHOIS on port
// 43, each HTTPS API, the GeoIP databases, the keys, the proxy) and says
// what to do about each problem. It reaches the network only through the
// recon.Env it is given, as modules do.
package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/threat"
)

// Status is the outcome of one check.
type Status string

// Check outcomes. Only Fail makes a source unusable; Warn works with a
// caveat the analyst should know.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Check is one source checked.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// Fix says what to do when Status is not OK.
	Fix string `json:"fix,omitempty"`
}

// Options tune Run.
type Options struct {
	// Timeout bounds each check (default 5s).
	Timeout time.Duration
	// GeoIPDirs are the folders searched for databases (for the hint).
	GeoIPDirs []string
}

// Usable reports whether no check failed.
func Usable(cs []Check) bool {
	for _, c := range cs {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// Run checks every source concurrently, each under its own timeout, and
// returns the checks in a fixed order.
func Run(ctx context.Context, env *recon.Env, o Options) []Check {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	type job struct {
		name string
		run  func(ctx context.Context) Check
	}
	jobs := []job{{"resolver", func(ctx context.Context) Check { return resolver(ctx, env) }}}
	for _, z := range env.DNSBLDomain {
		jobs = append(jobs, job{"DNSBL " + z, func(ctx context.Context) Check { return dnsbl(ctx, env, z, false) }})
	}
	for _, z := range env.DNSBLIP {
		jobs = append(jobs, job{"DNSBL " + z, func(ctx context.Context) Check { return dnsbl(ctx, env, z, true) }})
	}
	jobs = append(jobs, job{"WHOIS (TCP 43)", func(ctx context.Context) Check { return whois(ctx, env) }})
	for _, api := range apis(env) {
		jobs = append(jobs, job{api.name, func(ctx context.Context) Check { return httpsAPI(ctx, env, api) }})
	}
	jobs = append(jobs,
		job{"GeoIP databases", func(context.Context) Check { return geo(env, o.GeoIPDirs) }},
		job{"API keys", func(context.Context) Check { return keys(env) }},
		job{"proxy", func(context.Context) Check { return proxyCheck(env) }},
	)
	out := make([]Check, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, o.Timeout)
			defer cancel()
			c := j.run(cctx)
			c.Name = j.name
			if cctx.Err() != nil && c.Status == OK {
				c.Status, c.Detail = Fail, "no answer within "+o.Timeout.String()
			}
			out[i] = c
		}()
	}
	wg.Wait()
	return out
}

func resolver(ctx context.Context, env *recon.Env) Check {
	st, err := env.ResolverState(ctx)
	name := st.Resolver
	if _, ok := recon.DoHURL(name); ok {
		name += " (DNS over HTTPS)"
	}
	switch {
	case err != nil:
		return Check{Status: Fail, Detail: name + ": no answer to a probe in time", Fix: "check --resolver (or resolver = in the config) and your network"}
	case name == "":
		return Check{Status: Fail, Detail: "no resolver configured", Fix: "give --resolver HOST:PORT or https://HOST/dns-query"}
	case st.Refused:
		return Check{Status: Fail, Detail: name + " answered REFUSED", Fix: "this resolver does not serve you: give --resolver with one that does (your own, or e.g. https://dns.quad9.net/dns-query)"}
	case st.Err != "":
		return Check{Status: Fail, Detail: name + ": " + st.Err, Fix: "check --resolver and your network"}
	case len(st.Rewrite) > 0:
		return Check{Status: Warn, Detail: st.RewriteText(), Fix: "names that do not exist look real through this resolver: use one that answers NXDOMAIN (your own, or a public one such as 9.9.9.9), or turn off your ISP's \"search assist\""}
	}
	return Check{Status: OK, Detail: name + " answers, and says NXDOMAIN for a name that does not exist"}
}

func dnsbl(ctx context.Context, env *recon.Env, zone string, ipZone bool) Check {
	t := threat.ZoneTest(ctx, env, zone, ipZone)
	switch {
	case t.OK && t.Via == threat.ViaResolver:
		return Check{Status: OK, Detail: t.Detail}
	case t.OK:
		return Check{Status: Warn, Detail: "refused through the resolver; answers via " + t.Via + ": " + t.Detail,
			Fix: "works, but slower and outside your resolver; a resolver of your own (or keys.spamhaus_dqs) avoids it"}
	}
	fix := "blocklist results will be \"unknown\": use your own recursive resolver (not a public or ISP one), or set keys.spamhaus_dqs in the config (a free Spamhaus DQS key)"
	if env.Proxy != "" {
		fix += "; behind a proxy the lists' own name servers are not asked directly"
	}
	return Check{Status: Fail, Detail: t.Detail, Fix: fix}
}

func whois(ctx context.Context, env *recon.Env) Check {
	server := env.WhoisServer
	if env.Dial == nil {
		return Check{Status: Fail, Detail: "no dialer", Fix: "a setup bug: report it"}
	}
	c, err := env.Dial(ctx, "tcp", server)
	if err != nil {
		return Check{Status: Fail, Detail: "cannot connect to " + server + ": " + err.Error(),
			Fix: "outgoing TCP port 43 seems blocked: allow it, or use --proxy; until then WHOIS falls back to RDAP over HTTPS"}
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	if _, err := io.WriteString(c, "com\r\n"); err != nil {
		return Check{Status: Fail, Detail: server + ": " + err.Error(), Fix: "outgoing TCP port 43 seems blocked or filtered: allow it, or use --proxy"}
	}
	b, err := io.ReadAll(io.LimitReader(c, 16<<10))
	if len(b) == 0 {
		why := "an empty answer"
		if err != nil {
			why = err.Error()
		}
		return Check{Status: Fail, Detail: server + " (TCP port 43): " + why, Fix: "outgoing TCP port 43 seems filtered: allow it, or use --proxy"}
	}
	return Check{Status: OK, Detail: fmt.Sprintf("%s answered on TCP port 43 (%d bytes)", server, len(b))}
}

type api struct {
	name, url string
}

func apis(env *recon.Env) []api {
	return []api{
		{"Cert Spotter API", strings.TrimSuffix(env.CertspotterURL, "/") + "/v1/issuances?domain=example.com"},
		{"crt.sh", strings.TrimSuffix(env.CrtshURL, "/") + "/?q=example.com&output=json&exclude=expired&limit=1"},
		{"InternetDB", strings.TrimSuffix(env.InternetDBURL, "/") + "/1.1.1.1"},
		{"RDAP bootstrap", strings.TrimSuffix(env.RDAPBootstrapURL, "/") + "/dns.json"},
	}
}

func httpsAPI(ctx context.Context, env *recon.Env, a api) Check {
	if env.HTTP == nil {
		return Check{Status: Fail, Detail: "no HTTP client", Fix: "a setup bug: report it"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.url, nil)
	if err != nil {
		return Check{Status: Fail, Detail: err.Error(), Fix: "check the service URL in the config"}
	}
	resp, err := env.HTTP.Do(req)
	if err != nil {
		fix := "check your network, the proxy, or that outgoing TCP port 443 is allowed"
		var ne *net.OpError
		if errors.As(err, &ne) && strings.Contains(err.Error(), "refused") {
			fix = "the connection was refused: outgoing TCP port 443 (HTTPS) may be blocked; allow it or use --proxy"
		}
		return Check{Status: Fail, Detail: host(a.url) + ": " + err.Error(), Fix: fix}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if by := intercepted(env, resp); by != "" {
		return Check{Status: Warn, Detail: host(a.url) + ": TLS intercepted by a proxy on your network (certificate from " + by + ")",
			Fix: "certificate facts of targets will be the proxy's; the scan says so and takes certificates from CT"}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return Check{Status: Warn, Detail: host(a.url) + ": HTTP 429 (rate-limited right now)", Fix: "wait a few minutes; lower [rate_limits] in the config"}
	case resp.StatusCode >= 500:
		return Check{Status: Warn, Detail: fmt.Sprintf("%s: HTTP %d (the service has trouble)", host(a.url), resp.StatusCode), Fix: "try again later"}
	}
	return Check{Status: OK, Detail: fmt.Sprintf("%s reachable (HTTP %d)", host(a.url), resp.StatusCode)}
}

// intercepted returns the issuer of the root an HTTPS answer's chain ends
// in when that root is not among env.PublicRoots.
func intercepted(env *recon.Env, resp *http.Response) string {
	if resp.TLS == nil || env.PublicRoots == nil || len(resp.TLS.PeerCertificates) == 0 {
		return ""
	}
	chain := resp.TLS.PeerCertificates
	pool := x509.NewCertPool()
	for _, c := range chain[1:] {
		pool.AddCert(c)
	}
	if _, err := chain[0].Verify(x509.VerifyOptions{Roots: env.PublicRoots, Intermediates: pool}); err == nil {
		return ""
	}
	if len(resp.TLS.VerifiedChains) > 0 {
		vc := resp.TLS.VerifiedChains[0]
		return vc[len(vc)-1].Subject.String()
	}
	return chain[len(chain)-1].Issuer.String()
}

func host(u string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	return s
}

func geo(env *recon.Env, dirs []string) Check {
	if env.GeoIP != nil && len(env.GeoIP.Files) > 0 {
		return Check{Status: OK, Detail: strings.Join(env.GeoIP.Files, ", ")}
	}
	where := "the usual GeoIP folders"
	if len(dirs) > 0 {
		where = strings.Join(dirs, ", ")
	}
	return Check{Status: Warn, Detail: "no GeoLite2/DB-IP database in " + where + " (country and city come only from Team Cymru)",
		Fix: "install geoipupdate with EditionIDs \"GeoLite2-City GeoLite2-ASN\" (free MaxMind account) and keep the .mmdb files in one of those folders, or give --geoip-dir"}
}

func keys(env *recon.Env) Check {
	l := env.Keys.Loaded()
	if len(l) == 0 {
		return Check{Status: OK, Detail: "none loaded (all optional: VirusTotal, AbuseIPDB, Cert Spotter, Spamhaus DQS)"}
	}
	return Check{Status: OK, Detail: "loaded: " + strings.Join(l, ", ")}
}

func proxyCheck(env *recon.Env) Check {
	if env.Proxy == "" {
		return Check{Status: OK, Detail: "none: connections go out directly"}
	}
	if _, doh := recon.DoHURL(env.Resolver); !doh {
		return Check{Status: Warn, Detail: "HTTP and WHOIS go through " + env.Proxy + ", but DNS questions go to " + env.Resolver + " directly, around it",
			Fix: "give --resolver https://HOST/dns-query so DNS goes through the proxy too (see README, Opsec)"}
	}
	return Check{Status: OK, Detail: "HTTP, WHOIS and DNS (over HTTPS) go through " + env.Proxy}
}
