package pivot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// Operator fingerprints as cluster keys: what the page and the zone give
// away when the infrastructure is spread out (issue 19).
//
//	kind       prefix       dimension  weight
//	analytics  analytics:   accounts   3: one analytics/ads account on both sites
//	verify     verify:      accounts   3 when the service issues one token per
//	                                   account; 0 per domain or unknown (links nothing)
//	favicon    favicon:     content    1.5 a custom icon; 0 a stock icon (DefaultFavicons)
//	page       page:        content    2 the same normalised page (a kit or template);
//	                                   0 a stock page (DefaultPages), 0.05 a tiny page
//
// An analytics or verification account is one customer's: sharing one is
// the operator's own doing, so it links by itself. A favicon or a page is
// content: kits are sold and brands imitated, so a shared icon or page
// needs one more clue (hosting, DNS, dates) to link; favicon and page are
// one dimension (a copied site copies both).

// fingerprintProfile fills the fingerprint fields of p from a report.
func fingerprintProfile(p *Profile, r *recon.Report) {
	addVerify := func(vs []recon.VerifyToken) {
		for _, v := range vs {
			k := strings.ToLower(v.Service) + ":" + v.Token
			if strings.TrimSpace(v.Service) == "" || v.Token == "" {
				continue
			}
			if p.VerifyScope == nil {
				p.VerifyScope = map[string]string{}
			}
			if _, ok := p.VerifyScope[k]; !ok {
				p.Verify = append(p.Verify, k)
				p.VerifyScope[k] = v.Scope
			}
		}
	}
	if d := recon.FactsOf[recon.DNSFacts](r, recon.ModuleDNS); d != nil {
		addVerify(d.Verifications)
	}
	h := recon.FactsOf[recon.HeadersFacts](r, recon.ModuleHeaders)
	if h == nil {
		return
	}
	for _, a := range h.Analytics {
		p.Analytics = addValue(p.Analytics, strings.TrimSpace(a.Key))
	}
	if h.Favicon != nil {
		p.Favicon = strconv.FormatInt(int64(h.Favicon.ShodanHash), 10)
		p.FaviconDefault = h.Favicon.Default
		if p.FaviconDefault == "" {
			p.FaviconDefault = fingerprint.DefaultFavicon(h.Favicon.ShodanHash)
		}
	}
	p.PageHash = strings.ToLower(strings.TrimSpace(h.PageHash))
	p.PageSize = h.PageSize
	p.PageDefault = h.PageDefault
	p.Title = h.Title
	addVerify(h.Verifications)
}

func analyticsValues(p *Profile) []string { return p.Analytics }

func verifyValues(p *Profile) []string { return p.Verify }

func faviconValues(p *Profile) []string { return nonEmpty(p.Favicon) }

func pageValues(p *Profile) []string { return nonEmpty(p.PageHash) }

// analyticsWeight: an analytics or advertising account ID is one
// customer's account; two sites reporting to it are run by whoever holds it.
func analyticsWeight(v string, _ *WeightContext) (float64, string) {
	for _, p := range []string{"ua-", "g-", "gtm-", "aw-"} {
		if strings.HasPrefix(v, p) {
			v = strings.ToUpper(v) // Weigh lower-cases; Google's IDs are written upper-case
		}
	}
	return 3, fmt.Sprintf("one analytics/ads account (%s) on every site that shares it: an account is one operator's (or their agency's)", v)
}

// verifyWeight: a verification token links only when its service issues
// one token per account (fingerprint.VerifyServices says which and why).
func verifyWeight(v string, _ *WeightContext) (float64, string) {
	service, _, _ := strings.Cut(v, ":")
	scope, src := fingerprint.VerifyScope(service)
	switch scope {
	case recon.ScopeAccount:
		return 3, fmt.Sprintf("%s issues one verification token per account (%s): one account verified both domains", service, src)
	case recon.ScopeDomain:
		return 0, fmt.Sprintf("%s issues one token per domain (%s): the same token twice is a copy, not a common owner", service, src)
	}
	return 0, fmt.Sprintf("whether %s reuses a token across an account's domains is not established (%s): links nothing", service, src)
}

// faviconWeight: a stock icon says nothing; a custom one is a content clue.
func faviconWeight(v string, _ *WeightContext) (float64, string) {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, "not a favicon hash"
	}
	if d := fingerprint.DefaultFavicon(int32(n)); d != "" {
		return 0, "the stock icon of " + d + ": every install serves it"
	}
	return 1.5, "the same custom favicon (Shodan http.favicon.hash " + v + "): one site's icon copied to the other, or one kit or brand imitated; one more clue links"
}

// pageWeight: a stock or tiny page says nothing; the same normalised page
// is a kit or template clue.
func pageWeight(v string, ctx *WeightContext) (float64, string) {
	if ctx != nil {
		if d := ctx.PageDefault[v]; d != "" {
			return 0, "a " + d + ": every fresh install serves it"
		}
		if n, ok := ctx.PageSize[v]; ok && n < fingerprint.MinPageSize {
			return 0.05, fmt.Sprintf("a near-empty page (%d bytes once normalised): countless sites serve one like it", n)
		}
	}
	return 2, "the same page once scripts, tokens and host names are stripped: one kit or template; one more clue links"
}

// addPageContext records, per page hash, the stock page it is and its
// normalised size, for pageWeight.
func addPageContext(ctx *WeightContext, ps []Profile) {
	if ctx.PageDefault == nil {
		ctx.PageDefault = map[string]string{}
		ctx.PageSize = map[string]int{}
	}
	for i := range ps {
		p := &ps[i]
		if p.PageHash == "" {
			continue
		}
		if p.PageDefault != "" {
			ctx.PageDefault[p.PageHash] = p.PageDefault
		}
		ctx.PageSize[p.PageHash] = p.PageSize
	}
}
