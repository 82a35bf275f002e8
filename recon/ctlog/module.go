package ctlog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// New returns the subdomains module.
func New() recon.Module { return module{} }

type module struct{}

func (module) ID() string                { return recon.ModuleSubdomains }
func (module) Touch() recon.Touch        { return recon.MustInfo(recon.ModuleSubdomains).Touch }
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleSubdomains).Applies(k) }

// Run asks Cert Spotter, falls back to crt.sh, and lists the names.
func (module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	domain := strings.ToLower(strings.TrimSuffix(run.Target.Domain(), "."))
	c := &Client{Env: env}
	facts := &recon.SubdomainFacts{Names: []string{}, Source: ServiceCertspotter, Cap: env.Limits.SubdomainCap}

	iss, pages, csErr := c.Certspotter(ctx, Query{Domain: domain, IncludeSubdomains: true, Expand: []string{"dns_names"}})
	facts.Pages = pages
	if csErr != nil && ctx.Err() == nil {
		facts.Fallback = "Cert Spotter failed: " + csErr.Error()
		more, err := c.Crtsh(ctx, domain)
		if err != nil {
			// Keep whatever Cert Spotter gave before it failed, as evidence.
			summarise(facts, domain, iss, env.Limits.SubdomainCap)
			detail := fmt.Sprintf("Cert Spotter: %v; crt.sh: %v", csErr, err)
			if errors.Is(csErr, ErrRateLimited) || errors.Is(err, ErrRateLimited) {
				return recon.RateLimited(detail, readFacts(facts, iss))
			}
			return recon.Failed(errors.New(detail), readFacts(facts, iss))
		}
		facts.Source = ServiceCrtsh
		iss = append(iss, more...)
	} else if csErr != nil {
		summarise(facts, domain, iss, env.Limits.SubdomainCap)
		return recon.Failed(csErr, readFacts(facts, iss))
	}
	summarise(facts, domain, iss, env.Limits.SubdomainCap)
	pivots := make([]recon.Pivot, 0, len(facts.Names))
	for _, n := range facts.Names {
		pivots = append(pivots, recon.Pivot{Kind: recon.PivotSubdomain, Value: n, Relation: recon.RelCT})
	}
	self := recon.RegisteredDomain(domain)
	seen := map[string]bool{self: true}
	for _, c := range facts.CoIssued {
		for _, d := range c.Domains {
			if !seen[d] {
				seen[d] = true
				pivots = append(pivots, recon.Pivot{Kind: recon.PivotDomain, Value: d, Relation: recon.RelSAN})
			}
		}
	}
	return recon.OK(facts, pivots...)
}

// readFacts returns the facts of a failed look-up: f when some issuances
// were read before the failure, else nil, so that no "total": 0 reads as
// "no subdomains" when no CT log answered.
func readFacts(f *recon.SubdomainFacts, iss []Issuance) any {
	if len(iss) == 0 {
		return nil
	}
	return f
}

// summarise fills Names, Total, Capped and FirstIssuance from issuances.
func summarise(f *recon.SubdomainFacts, domain string, iss []Issuance, limit int) {
	names := Names(domain, iss)
	f.Total = len(names)
	if limit > 0 && len(names) > limit {
		names = names[:limit]
		f.Capped = true
	}
	f.Names = names
	var first time.Time
	for _, is := range iss {
		if !is.NotBefore.IsZero() && (first.IsZero() || is.NotBefore.Before(first)) {
			first = is.NotBefore
		}
	}
	if !first.IsZero() {
		f.FirstIssuance = &first
	}
	f.CoIssued = CoIssued(domain, iss)
}

// CoIssued returns the issuances whose SANs span the registrable domain of
// domain and at least one other registrable domain, one entry per
// certificate (by SHA-256, else by issuance id), oldest first, at most
// recon.MaxCoIssued. Certificate names outside the queried domain are not
// subdomains, but a certificate issued for several domains at once links
// them: the seed's "a certificate leads to related domains".
func CoIssued(domain string, iss []Issuance) []recon.CoIssuedCert {
	self := recon.RegisteredDomain(strings.ToLower(strings.TrimSuffix(domain, ".")))
	var out []recon.CoIssuedCert
	seen := map[string]bool{}
	for _, is := range iss {
		doms := map[string]bool{}
		for _, n := range is.DNSNames {
			if n, ok := Normalise(n); ok && strings.Contains(n, ".") {
				doms[recon.RegisteredDomain(n)] = true
			}
		}
		if !doms[self] || len(doms) < 2 {
			continue
		}
		id := strings.ToLower(strings.TrimSpace(is.CertSHA256))
		if id == "" {
			id = "ct-id:" + is.ID
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		list := make([]string, 0, len(doms))
		for d := range doms {
			list = append(list, d)
		}
		sort.Strings(list)
		c := recon.CoIssuedCert{SHA256: id, PubkeySHA256: strings.ToLower(strings.TrimSpace(is.PubkeySHA256)), DomainsTotal: len(list), NotBefore: is.NotBefore}
		if len(list) > recon.MaxCoIssued {
			// keep the queried domain in the cut list
			cut := list[:recon.MaxCoIssued-1]
			if !slices.Contains(cut, self) {
				cut = append(cut, self)
			} else {
				cut = list[:recon.MaxCoIssued]
			}
			list = cut
		}
		c.Domains = list
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].NotBefore.Before(out[j].NotBefore) })
	if len(out) > recon.MaxCoIssued {
		out = out[:recon.MaxCoIssued]
	}
	return out
}

// Names returns the distinct names of the issuances that are under domain
// (domain itself excluded), lower-cased, with wildcards folded
// (*.a.x.com → a.x.com), sorted.
func Names(domain string, iss []Issuance) []string {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	seen := map[string]bool{}
	out := []string{}
	for _, is := range iss {
		for _, n := range is.DNSNames {
			n, ok := Normalise(n)
			if !ok || n == domain || !strings.HasSuffix(n, "."+domain) || seen[n] {
				continue
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Normalise lower-cases a certificate name, drops a trailing dot and folds
// wildcard labels (*.a.x.com → a.x.com). It reports false for anything
// that is not a host name (e-mail addresses, spaces, a '*' in the middle).
func Normalise(n string) (string, bool) {
	n = strings.ToLower(strings.TrimSpace(n))
	n = strings.TrimSuffix(n, ".")
	for strings.HasPrefix(n, "*.") {
		n = n[2:]
	}
	if n == "" || len(n) > 253 {
		return "", false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return "", false
		}
	}
	if strings.HasPrefix(n, ".") || strings.Contains(n, "..") {
		return "", false
	}
	return n, true
}
