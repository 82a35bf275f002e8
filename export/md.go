package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// mdEscaper escapes what Markdown (GFM) would interpret inline: emphasis,
// code, links, HTML and table pipes.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `|`, `\|`, `*`, `\*`, `_`, `\_`,
	`[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`,
	`~`, `\~`,
)

// md returns s as one safe line of Markdown text: control characters
// become visible escapes (sanitize.Line), then Markdown syntax is escaped.
// The result holds no newline and no unescaped pipe, so it fits a table cell.
func md(s string) string { return mdEscaper.Replace(sanitize.Line(s)) }

func mdJoin(s []string, sep string) string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = md(x)
	}
	return strings.Join(out, sep)
}

// cell returns an escaped cell, or a dash when empty.
func cell(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return md(s)
}

// fence returns a backtick fence longer than any backtick run in body.
func fence(body string) string {
	longest, run := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

func badge(l recon.Level) string {
	switch l {
	case recon.LevelRed:
		return "🔴 red"
	case recon.LevelYellow:
		return "🟡 yellow"
	case recon.LevelGreen:
		return "🟢 green"
	}
	return "⚪ not scanned"
}

type mdWriter struct {
	w *bufio.Writer
}

func (m *mdWriter) f(format string, a ...any) { fmt.Fprintf(m.w, format, a...) }
func (m *mdWriter) ln(s ...string)            { m.w.WriteString(strings.Join(s, "") + "\n") }

func (m *mdWriter) table(header []string, rows [][]string) {
	m.ln("| " + strings.Join(header, " | ") + " |")
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	m.ln("| " + strings.Join(sep, " | ") + " |")
	for _, r := range rows {
		m.ln("| " + strings.Join(r, " | ") + " |")
	}
	m.ln()
}

func writeMarkdown(w io.Writer, s *pivot.Session, o Options) error {
	m := &mdWriter{w: bufio.NewWriter(w)}
	profiles := scannedDomains(s)
	clusters := s.Clusters()
	ents := s.Entities()

	m.ln("# NetSpecter investigation report")
	m.ln()
	var roots []string
	for _, id := range s.Roots() {
		if n := s.Node(id); n != nil {
			roots = append(roots, md(n.Value))
		}
	}
	scanned := 0
	for _, e := range ents {
		if e.Scan != nil {
			scanned++
		}
	}
	m.table([]string{"About this report", ""}, [][]string{
		{"Generated", stamp(o.Now) + " by netspecter-tui (passive OSINT; no API keys are written to exports)"},
		{"Investigation started", cell(stamp(s.Created))},
		{"Last change", cell(stamp(s.Updated))},
		{"Starting points", cell(strings.Join(roots, ", "))},
		{"Entities", fmt.Sprintf("%d (%d scanned), %d nodes in the pivot tree", len(ents), scanned, s.Len())},
		{"Modules used", cell(modulesUsed(ents))},
	})

	m.ln("## Overall assessments")
	m.ln()
	if scanned == 0 {
		m.ln("Nothing has been scanned yet.")
		m.ln()
	}
	for _, e := range ents {
		if e.Scan == nil {
			continue
		}
		m.f("### %s — %s\n\n", md(e.Value), badge(e.Verdict()))
		m.f("Scanned %s as %s. Modules: %s.\n\n", cell(stamp(e.ScannedAt)), md(string(e.Scan.Target.Kind)), moduleStatuses(e.Scan))
		if a := e.Scan.Assessment; a.Why != "" {
			m.f("Why: %s.\n\n", md(a.Why))
			for _, w := range a.WouldChange {
				m.f("What would change it: %s.\n\n", md(w))
			}
		}
		if len(e.Scan.Assessment.Signals) == 0 {
			m.ln("- no signals")
		}
		for _, g := range e.Scan.Assessment.Signals {
			line := fmt.Sprintf("- **%s** %s _(%s, rule %s)_", levelWord(g.Level), md(g.Text), md(g.Module), md(g.Rule))
			if isFalsePositive(e, g) {
				why := e.FalsePositives[g.Rule]
				if x, ok := e.FalsePositives[g.Rule+":"+g.Text]; ok {
					why = x
				}
				line = fmt.Sprintf("- ~~%s %s~~ — false positive: %s", levelWord(g.Level), md(g.Text), md(why))
			}
			m.ln(line)
		}
		m.ln()
	}

	m.ln("## Build the picture")
	m.ln()
	if len(profiles) == 0 {
		m.ln("No domain has been scanned yet.")
		m.ln()
	}
	for _, p := range profiles {
		m.f("### %s\n\n", md(p.Domain))
		m.table([]string{"What you have", "What it tells you", "Found"}, pictureRows(p, profiles, clusters))
		if fp := fingerprintText(p); fp != "" {
			m.ln("Page fingerprints (analytics IDs, favicon, page kit, verification tokens): " + md(fp))
			m.ln()
		}
	}

	m.ln("## Clusters")
	m.ln()
	if len(clusters) == 0 {
		m.ln("No cluster: no two scanned domains share infrastructure yet.")
		m.ln()
	}
	for i, c := range clusters {
		m.f("### Cluster %s (score %.1f)\n\n", md(clusterName(c, i)), c.Score)
		m.f("Members: %s\n\n", mdJoin(c.Members, ", "))
		m.table([]string{"Shared", "Value", "Weight", "Why"}, sharedRows(c))
	}

	m.ln("## Comparison matrix")
	m.ln()
	var rows [][]string
	for _, p := range profiles {
		var fps []string
		for _, c := range p.Leaves {
			fps = append(fps, shortFP(c.SHA256))
		}
		rows = append(rows, []string{
			md(p.Domain), cell(strings.Join(p.ReportedIPs, ", ")), cell(strings.Join(p.Nets, ", ")),
			cell(strings.Join(p.ASNames, ", ")), cell(p.ReportedRegistrar), cell(strings.Join(p.NS, ", ")),
			cell(strings.Join(fps, ", ")), cell(day(p.Created)), cell(p.ReportedPosture), cell(fingerprintCell(p)), badge(p.Verdict),
		})
	}
	m.table([]string{"Domain", "IP", "/24", "ASN", "Registrar", "NS set", "Certificate", "Registered", "E-mail posture", "Fingerprints", "Verdict"}, rows)

	m.ln("## Registration timeline")
	m.ln()
	m.table([]string{"Created", "Domain", "Registrar", "Gap (days)", "Window cluster"}, timelineRows(profiles, clusters))

	m.ln("## Pivot tree")
	m.ln()
	seen := map[string]bool{}
	for _, id := range s.Roots() {
		treeLines(m, s, id, 0, seen)
	}
	if len(s.Roots()) == 0 {
		m.ln("The tree is empty.")
	}
	m.ln()

	m.ln("## Analyst notes")
	m.ln()
	var notes, fps [][]string
	for _, e := range ents {
		for _, n := range e.Notes {
			notes = append(notes, []string{md(e.Value), cell(stamp(n.At)), cell(n.Text)})
		}
		keys := make([]string, 0, len(e.FalsePositives))
		for k := range e.FalsePositives {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fps = append(fps, []string{md(e.Value), md(k), cell(e.FalsePositives[k])})
		}
	}
	if len(notes) == 0 {
		m.ln("No notes.")
		m.ln()
	} else {
		m.table([]string{"Entity", "At", "Note"}, notes)
	}
	m.ln("### False positives")
	m.ln()
	if len(fps) == 0 {
		m.ln("None marked.")
		m.ln()
	} else {
		m.table([]string{"Entity", "Rule", "Why"}, fps)
	}

	m.ln("## Evidence appendix")
	m.ln()
	m.ln("Raw evidence as received, with control characters shown as escapes. Times are UTC.")
	m.ln()
	for _, e := range ents {
		if e.Scan != nil {
			evidence(m, e)
		}
	}
	return m.w.Flush()
}

func modulesUsed(ents []*pivot.Entity) string {
	used := map[string]recon.Touch{}
	for _, e := range ents {
		if e.Scan == nil {
			continue
		}
		for id, r := range e.Scan.Modules {
			if r != nil {
				used[id] = r.Touch
			}
		}
	}
	var out []string
	for _, id := range recon.ModuleIDs {
		if t, ok := used[id]; ok {
			if t != "" {
				out = append(out, fmt.Sprintf("%s (%s)", id, t))
			} else {
				out = append(out, id)
			}
			delete(used, id)
		}
	}
	var rest []string
	for id := range used {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	return strings.Join(append(out, rest...), ", ")
}

func moduleStatuses(r *recon.Report) string {
	var out []string
	for _, id := range recon.ModuleIDs {
		if x := r.Module(id); x != nil {
			st := string(x.Status)
			if x.Err != "" && x.Status != recon.StatusOK {
				st += ": " + x.Err
			}
			out = append(out, md(id+" "+st))
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func clusterName(c pivot.Cluster, i int) string {
	if c.ID != "" {
		return c.ID
	}
	return fmt.Sprint(i + 1)
}

func sharedRows(c pivot.Cluster) [][]string {
	ev := map[string]pivot.Evidence{}
	for _, e := range c.Evidence {
		ev[e.Key] = e
	}
	var rows [][]string
	for _, sh := range c.Shared {
		k, v, ok := strings.Cut(sh, ":")
		if !ok {
			k, v = "", sh
		}
		w, why := "", ""
		if e, ok := ev[sh]; ok {
			w, why = fmt.Sprintf("%.2g", e.Weight), e.Why
		}
		rows = append(rows, []string{cell(k), cell(v), w, cell(why)})
	}
	return rows
}

func pictureRows(p *profile, all []*profile, clusters []pivot.Cluster) [][]string {
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

	hosting := strings.Join(p.ReportedIPs, ", ")
	if hosting == "" {
		hosting = "no address"
	}
	if len(p.ASNs) > 0 {
		hosting += " in " + strings.Join(p.ASNames, ", ")
	}
	if len(p.Nets) > 0 {
		hosting += " (" + strings.Join(p.Nets, ", ") + ")"
	}
	if len(p.Countries) > 0 {
		hosting += ", " + strings.Join(p.Countries, ", ")
	}

	certs := "no certificate seen"
	if len(p.Leaves) > 0 {
		var cs []string
		for _, c := range p.Leaves {
			cs = append(cs, fmt.Sprintf("%s by %s", shortFP(c.SHA256), c.Issuer))
		}
		certs = fmt.Sprintf("%d SANs: %s; certificate %s", len(p.SANs), strings.Join(p.SANs, ", "), strings.Join(cs, "; "))
	}

	var sharing []string
	for _, q := range all {
		if q == p {
			continue
		}
		// The cluster weights (pivot/weights.go): a value shared by huge
		// populations (Cloudflare's name servers, a privacy service) is
		// not listed; the others say how much they weigh and why.
		var what []string
		if p.Registrar != "" && strings.EqualFold(p.Registrar, q.Registrar) {
			if w, why := pivot.Weigh("registrar", p.Registrar, nil); w >= pivot.SaysLittle {
				what = append(what, fmt.Sprintf("registrar, weight %.2g: %s", w, why))
			}
		}
		if len(p.NS) > 0 && strings.Join(p.NS, ",") == strings.Join(q.NS, ",") {
			if w, why := pivot.Weigh("ns", strings.Join(p.NS, ","), nil); w >= pivot.SaysLittle {
				what = append(what, fmt.Sprintf("NS set, weight %.2g: %s", w, why))
			}
		}
		if len(what) > 0 {
			sharing = append(sharing, q.Domain+" ("+strings.Join(what, ", ")+")")
		}
	}
	reg := firstNonEmpty(p.ReportedRegistrar, "unknown registrar") + "; NS " + firstNonEmpty(strings.Join(p.NS, ", "), "unknown")
	if len(sharing) > 0 {
		reg += "; shared with " + strings.Join(sharing, ", ")
	}
	var in []string
	for i, c := range clusters {
		for _, mem := range c.Members {
			if strings.EqualFold(mem, p.Domain) {
				in = append(in, "cluster "+clusterName(c, i))
				break
			}
		}
	}
	if len(in) > 0 {
		reg += "; in " + strings.Join(in, ", ")
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
			threat = strings.Join(p.Threat, "; ")
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

// fingerprintText describes a profile's operator fingerprints in words,
// with what each shared kind weighs (pivot/fingerprints.go).
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

func timelineRows(profiles []*profile, clusters []pivot.Cluster) [][]string {
	var dated []*profile
	for _, p := range profiles {
		if p.Created != nil {
			dated = append(dated, p)
		}
	}
	sort.SliceStable(dated, func(i, j int) bool {
		if !dated[i].Created.Equal(*dated[j].Created) {
			return dated[i].Created.Before(*dated[j].Created)
		}
		return dated[i].Domain < dated[j].Domain
	})
	window := map[string][]string{}
	for i, c := range clusters {
		has := false
		for _, sh := range c.Shared {
			if strings.HasPrefix(sh, "window:") {
				has = true
			}
		}
		if !has {
			continue
		}
		for _, mem := range c.Members {
			k := strings.ToLower(mem)
			window[k] = append(window[k], clusterName(c, i))
		}
	}
	var rows [][]string
	for i, p := range dated {
		gap := "—"
		if i > 0 {
			gap = fmt.Sprintf("%.1f", p.Created.Sub(*dated[i-1].Created).Hours()/24)
		}
		mark := "—"
		if w := window[strings.ToLower(p.Domain)]; len(w) > 0 {
			mark = "◆ cluster " + mdJoin(w, ", ")
		}
		rows = append(rows, []string{p.Created.UTC().Format("2006-01-02 15:04"), md(p.Domain), cell(p.ReportedRegistrar), gap, mark})
	}
	return rows
}

func treeLines(m *mdWriter, s *pivot.Session, id string, depth int, seen map[string]bool) {
	n := s.Node(id)
	if n == nil || seen[id] || depth > 64 {
		return
	}
	seen[id] = true
	line := strings.Repeat("  ", depth) + "- "
	if n.Relation != "" {
		line += "_" + md(n.Relation) + "_ → "
	}
	line += "**" + md(n.Value) + "** (" + md(string(n.Kind)) + ")"
	if n.Entity != nil {
		if v := n.Entity.Verdict(); v != recon.LevelNone {
			line += " " + badge(v)
		} else if n.Entity.State == pivot.StateFailed {
			line += " — scan failed: " + md(n.Entity.Err)
		}
		if len(n.Entity.Notes) > 0 {
			line += fmt.Sprintf(" 📝 %d", len(n.Entity.Notes))
		}
	}
	m.ln(line)
	for _, c := range n.Children {
		treeLines(m, s, c, depth+1, seen)
	}
}

func evidence(m *mdWriter, e *pivot.Entity) {
	r := e.Scan
	var blocks []struct{ title, body string }
	add := func(title, body string) {
		if strings.TrimSpace(body) != "" {
			blocks = append(blocks, struct{ title, body string }{title, body})
		}
	}
	if x := r.Module("whois"); x != nil {
		if w, _ := x.Facts.(*recon.WhoisFacts); w != nil {
			src := w.Source
			if len(w.Servers) > 0 {
				src += " from " + strings.Join(w.Servers, " → ")
			}
			add(fmt.Sprintf("WHOIS (%s), fetched %s", src, stamp(x.Started)), w.Raw)
		}
	}
	if x := r.Module("ssl"); x != nil {
		if sf, _ := x.Facts.(*recon.SSLFacts); sf != nil {
			seen := map[string]bool{}
			for _, c := range sf.Certs {
				if seen[c.SHA256] || c.PEM == "" {
					continue
				}
				seen[c.SHA256] = true
				add(fmt.Sprintf("Certificate from %s (SNI %s, SHA-256 %s), fetched %s", c.Address, c.ServerName, c.SHA256, stamp(x.Started)), c.PEM)
			}
		}
	}
	if x := r.Module("headers"); x != nil {
		if h, _ := x.Facts.(*recon.HeadersFacts); h != nil && len(h.Raw) > 0 {
			names := make([]string, 0, len(h.Raw))
			for k := range h.Raw {
				names = append(names, k)
			}
			sort.Strings(names)
			var b strings.Builder
			if h.StatusCode != 0 {
				fmt.Fprintf(&b, "HTTP %d %s\n", h.StatusCode, firstNonEmpty(h.FinalURL, h.URL))
			}
			for _, k := range names {
				for _, v := range h.Raw[k] {
					b.WriteString(k + ": " + v + "\n")
				}
			}
			add(fmt.Sprintf("HTTP headers of %s, fetched %s", firstNonEmpty(h.FinalURL, h.URL), stamp(x.Started)), b.String())
		}
	}
	if x := r.Module("dns"); x != nil {
		if d, _ := x.Facts.(*recon.DNSFacts); d != nil && len(d.TXT) > 0 {
			add(fmt.Sprintf("TXT records, fetched %s", stamp(x.Started)), strings.Join(d.TXT, "\n"))
		}
	}
	if len(blocks) == 0 {
		return
	}
	m.f("### %s\n\n", md(e.Value))
	for _, b := range blocks {
		body := strings.TrimRight(sanitize.Text(b.body), "\n")
		f := fence(body)
		m.f("#### %s\n\n%stext\n%s\n%s\n\n", md(b.title), f, body, f)
	}
}
