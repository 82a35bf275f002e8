package export

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// writePicture writes "Build the picture": what each scanned domain's
// evidence tells, red first when they do not all fit.
func (r *mdReport) writePicture() error {
	m := r.m
	o := r.o
	profiles := r.profiles
	clusters := r.clusters
	m.ln("## Build the picture")
	m.ln()
	if len(profiles) == 0 {
		m.ln("No domain has been scanned yet.")
		m.ln()
	}
	sh := newSharing(profiles, clusters)
	r.porder = byVerdict(len(profiles), func(i int) recon.Level { return profiles[i].Verdict })
	if len(r.porder) <= mdSectionsMax {
		for i := range r.porder {
			r.porder[i] = i
		}
	}
	for k, i := range r.porder {
		if k == mdSectionsMax {
			m.cutNote(len(r.porder)-k, "domains", "the comparison matrix below has one row each")
			break
		}
		if err := o.cancelled(); err != nil {
			return err
		}
		p := profiles[i]
		m.f("### %s\n\n", md(p.Domain))
		m.table([]string{"What you have", "What it tells you", "Found"}, pictureRows(p, sh))
		if fp := fingerprintText(p); fp != "" {
			m.ln("Page fingerprints (analytics IDs, favicon, page kit, verification tokens): " + md(fp))
			m.ln()
		}
	}
	return nil
}

// writeMatrix writes the comparison matrix, one row per domain.
func (r *mdReport) writeMatrix() error {
	m := r.m
	profiles := r.profiles
	m.ln("## Comparison matrix")
	m.ln()
	var rows [][]string
	for k, i := range r.porder {
		if k == mdRowsMax {
			break
		}
		p := profiles[i]
		var fps []string
		for _, c := range p.Leaves {
			fps = append(fps, shortFP(c.SHA256))
		}
		rows = append(rows, []string{
			md(p.Domain), cell(more(p.ReportedIPs, mdListMax)), cell(more(p.Nets, mdListMax)),
			cell(more(p.ASNames, mdListMax)), cell(p.ReportedRegistrar), cell(more(p.NS, mdListMax)),
			cell(more(fps, mdListMax)), cell(day(p.Created)), cell(p.ReportedPosture), cell(fingerprintCell(p)), badge(p.Verdict),
		})
	}
	m.table([]string{"Domain", "IP", "/24", "ASN", "Registrar", "NS set", "Certificate", "Registered", "E-mail posture", "Fingerprints", "Verdict"}, rows)
	m.cutNote(len(r.porder)-len(rows), "domains", "the csv export lists every one")
	return nil
}

// sharing indexes, once, which scanned domains share a registrar or a
// name-server set and which clusters each domain is in, so that a domain's
// row names the others in O(1) instead of comparing with every domain.
type sharing struct {
	registrar map[string][]string // lower-cased registrar → domains
	ns        map[string][]string // joined NS set → domains
	clusters  map[string][]string // lower-cased domain → cluster names
}

func newSharing(profiles []*profile, clusters []pivot.Cluster) *sharing {
	sh := &sharing{registrar: map[string][]string{}, ns: map[string][]string{}, clusters: map[string][]string{}}
	for _, p := range profiles {
		if p.Registrar != "" {
			k := strings.ToLower(p.Registrar)
			sh.registrar[k] = append(sh.registrar[k], p.Domain)
		}
		if len(p.NS) > 0 {
			k := strings.Join(p.NS, ",")
			sh.ns[k] = append(sh.ns[k], p.Domain)
		}
	}
	for i, c := range clusters {
		for _, mem := range c.Members {
			k := strings.ToLower(mem)
			if l := sh.clusters[k]; len(l) == 0 || l[len(l)-1] != clusterName(c, i) {
				sh.clusters[k] = append(sh.clusters[k], clusterName(c, i))
			}
		}
	}
	return sh
}

// others returns the domains of group other than d, at most n of them, and
// how many there are in all.
func others(group []string, d string, n int) ([]string, int) {
	var out []string
	total := 0
	for _, x := range group {
		if x == d {
			continue
		}
		total++
		if len(out) < n {
			out = append(out, x)
		}
	}
	return out, total
}

func pictureRows(p *profile, sh *sharing) [][]string {
	age := "no creation date in WHOIS"
	if p.Created != nil {
		ref := p.ScannedAt
		if ref.IsZero() {
			ref = *p.Created
		}
		d := int(math.Floor(ref.Sub(*p.Created).Hours() / 24))
		age = fmt.Sprintf("created %s, %s before the scan", day(p.Created), plural(d, "day"))
		if p.Expires != nil {
			age += ", expires " + day(p.Expires)
		}
	}
	if p.ReportedRegistrar != "" {
		age += ", via " + p.ReportedRegistrar
	}
	if p.Privacy {
		age += ", registrant hidden by a privacy service"
	}

	hosting := more(p.ReportedIPs, mdListMax)
	if hosting == "" {
		hosting = "no address"
	}
	if len(p.ASNs) > 0 {
		hosting += " in " + more(p.ASNames, mdListMax)
	}
	if len(p.Nets) > 0 {
		hosting += " (" + more(p.Nets, mdListMax) + ")"
	}
	if len(p.Countries) > 0 {
		hosting += ", " + more(p.Countries, mdListMax)
	}

	certs := "no certificate seen"
	if len(p.Leaves) > 0 {
		var cs []string
		for _, c := range p.Leaves {
			cs = append(cs, fmt.Sprintf("%s by %s", shortFP(c.SHA256), c.Issuer))
		}
		certs = fmt.Sprintf("%d SANs: %s; certificate %s", len(p.SANs), more(p.SANs, mdListMax), more(cs, mdListMax))
	}

	// The cluster weights (pivot/weights.go): a value shared by huge
	// populations (Cloudflare's name servers, a privacy service) is not
	// listed; the others say how much they weigh, why, and by whom.
	var shared []string
	if p.Registrar != "" {
		if names, n := others(sh.registrar[strings.ToLower(p.Registrar)], p.Domain, 5); n > 0 {
			if w, why := pivot.Weigh("registrar", p.Registrar, nil); w >= pivot.SaysLittle {
				shared = append(shared, fmt.Sprintf("registrar (weight %.2g: %s) with %s", w, why, countedList(names, n)))
			}
		}
	}
	if len(p.NS) > 0 {
		ns := strings.Join(p.NS, ",")
		if names, n := others(sh.ns[ns], p.Domain, 5); n > 0 {
			if w, why := pivot.Weigh("ns", ns, nil); w >= pivot.SaysLittle {
				shared = append(shared, fmt.Sprintf("NS set (weight %.2g: %s) with %s", w, why, countedList(names, n)))
			}
		}
	}
	reg := firstNonEmpty(p.ReportedRegistrar, "unknown registrar") + "; NS " + firstNonEmpty(more(p.NS, mdListMax), "unknown")
	if len(shared) > 0 {
		reg += "; shares the " + strings.Join(shared, "; the ")
	}
	if in := sh.clusters[strings.ToLower(p.Domain)]; len(in) > 0 {
		reg += "; in cluster " + more(in, mdListMax)
	}

	mail := "not checked"
	if p.ReportedPosture != "" || p.Spoof != "" {
		mail = strings.TrimSpace(p.ReportedPosture + " — " + p.Spoof)
	}
	sub := "not checked"
	if p.SubdomainsOK {
		sub = fmt.Sprintf("%s in Certificate Transparency (%s)", plural(p.Subdomains, "name"), p.SubdomainSource)
	}
	threat := "not checked"
	if p.ThreatRun {
		threat = "no listing"
		if len(p.Threat) > 0 {
			threat = more(p.Threat, mdListMax)
		}
	}
	return [][]string{
		{"Domain age and registration pattern", "Whether the domain was set up recently and deliberately", md(age)},
		{"IP and ASN", "Who is hosting it and whether that infrastructure has a history", md(hosting)},
		{"Certificate SANs", "Whether this domain is part of a wider cluster", md(certs)},
		{"Registrar / NS clustering", "Whether multiple domains share a common operator", md(reg)},
		{"Email security posture", "Whether the domain can or is designed to send or spoof email", md(mail)},
		{"Subdomain footprint", "How much operational infrastructure exists", md(sub)},
		{"Threat intelligence hits", "Whether the infrastructure has a documented history", md(threat)},
	}
}

// fingerprintCell is the comparison matrix's Fingerprints cell: analytics
// keys, favicon and short page hash.
func fingerprintCell(p *profile) string {
	out := slices.Clone(p.Analytics)
	if p.Favicon != "" {
		out = append(out, "favicon:"+p.Favicon)
	}
	if p.PageHash != "" {
		out = append(out, "page:"+shortFP(p.PageHash))
	}
	return strings.Join(out, ", ")
}

// fingerprintText describes a profile's operator fingerprints in words,
// with what each shared kind weighs (pivot/fingerprints.go).
func fingerprintText(p *profile) string {
	var parts []string
	if p.Title != "" {
		parts = append(parts, fmt.Sprintf("title %q", p.Title))
	}
	if len(p.Analytics) > 0 {
		parts = append(parts, "analytics "+strings.Join(p.Analytics, ", "))
	}
	if p.Favicon != "" {
		f := "favicon (Shodan hash) " + p.Favicon
		if p.FaviconDefault != "" {
			f += ", the stock icon of " + p.FaviconDefault
		}
		parts = append(parts, f)
	}
	if p.PageHash != "" {
		pg := "page " + shortFP(p.PageHash)
		if p.PageDefault != "" {
			pg += ", a " + p.PageDefault
		}
		parts = append(parts, pg)
	}
	for _, v := range p.Verify {
		parts = append(parts, "verification "+v+" ("+fingerprint.ScopeWords(p.VerifyScope[v])+")")
	}
	return strings.Join(parts, "; ")
}
