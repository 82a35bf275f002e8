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

// badge is a verdict's mark and word (recon.Level.Mark: the shapes the
// CLI and the workbench show).
func badge(l recon.Level) string {
	switch l {
	case recon.LevelRed, recon.LevelYellow, recon.LevelGreen:
		return l.Mark() + " " + l.Word()
	}
	return "not scanned"
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

// What the report repeats is bounded, so that a case of any size gives a
// report a person can read: a list in a cell names at most mdListMax
// items, a part gives at most mdSectionsMax detailed sections (red first,
// then yellow, then the rest, each in session order), a table at most
// mdRowsMax rows, the pivot tree at most mdTreeLines lines and
// mdTreeChildren children per node; each cut says how many were left out
// and where the full data is (the csv and json exports). A value shared by
// many domains is listed once, with its members, in the cluster that
// holds it; a domain's row says how many others share it.
const (
	mdListMax      = 20
	mdSectionsMax  = 25
	mdRowsMax      = 500
	mdTreeLines    = 1000
	mdTreeChildren = 25
)

// more joins the first n items of list (already escaped) and says how many
// more there are.
func more(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:n], ", ") + fmt.Sprintf(" … and %d more", len(list)-n)
}

// byVerdict returns the positions 0..n-1 ordered red, yellow, then the
// rest, each in the original order.
func byVerdict(n int, level func(i int) recon.Level) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	sort.SliceStable(out, func(a, b int) bool { return level(out[a]).Rank() > level(out[b]).Rank() })
	return out
}

// cutNote is the line under a part that was cut.
func (m *mdWriter) cutNote(left int, what, where string) {
	if left > 0 {
		m.f("… and %d more %s (%s).\n\n", left, what, where)
	}
}

func writeMarkdown(w io.Writer, s *pivot.Session, o Options) error {
	m := &mdWriter{w: bufio.NewWriter(w)}
	x, err := newIndex(s, o)
	if err != nil {
		return err
	}
	ents := x.ents
	profiles := scannedDomains(x)
	clusters := s.Clusters()
	if err := o.cancelled(); err != nil {
		return err
	}

	m.ln("# NetSpecter investigation report")
	m.ln()
	var roots []string
	for _, id := range s.Roots() {
		if n := s.Node(id); n != nil {
			roots = append(roots, n.Value)
		}
	}
	var scannedEnts []*pivot.Entity
	for _, e := range ents {
		if e.Scan != nil {
			scannedEnts = append(scannedEnts, e)
		}
	}
	m.table([]string{"About this report", ""}, [][]string{
		{"Generated", stamp(o.Now) + " by netspecter-tui (passive OSINT; no API keys are written to exports)"},
		{"Investigation started", cell(stamp(s.Created))},
		{"Last change", cell(stamp(s.Updated))},
		{"Starting points", cell(more(roots, mdListMax))},
		{"Entities", fmt.Sprintf("%d (%d scanned), %d nodes in the pivot tree", len(ents), len(scannedEnts), s.Len())},
		{"Modules used", cell(modulesUsed(ents))},
		{"Long lists", fmt.Sprintf("cut at %d items, %d sections and %d table rows, red first; "+
			"`export --format csv` lists every indicator, `--format json` holds everything", mdListMax, mdSectionsMax, mdRowsMax)},
	})

	m.ln("## Overall assessments")
	m.ln()
	if len(scannedEnts) == 0 {
		m.ln("Nothing has been scanned yet.")
		m.ln()
	}
	order := byVerdict(len(scannedEnts), func(i int) recon.Level { return scannedEnts[i].Verdict() })
	if len(order) <= mdSectionsMax {
		order = order[:0]
		for i := range scannedEnts {
			order = append(order, i) // all fit: session order
		}
	}
	var rest [][]string
	for k, i := range order {
		e := scannedEnts[i]
		if k%checkEvery == 0 {
			if err := o.cancelled(); err != nil {
				return err
			}
		}
		if k >= mdSectionsMax {
			if len(rest) < mdRowsMax {
				first := "no signals"
				if sg := signals(e); len(sg) > 0 {
					first = levelWord(sg[0].Level) + ": " + sg[0].Text
				}
				rest = append(rest, []string{md(e.Value), badge(e.Verdict()), cell(first)})
			}
			continue
		}
		assessment(m, e)
	}
	if len(rest) > 0 {
		m.ln("### The other scanned entities")
		m.ln()
		m.table([]string{"Entity", "Verdict", "First signal"}, rest)
		m.cutNote(len(order)-mdSectionsMax-len(rest), "scanned entities", "the csv export lists every verdict and signal")
	}

	m.ln("## Build the picture")
	m.ln()
	if len(profiles) == 0 {
		m.ln("No domain has been scanned yet.")
		m.ln()
	}
	sh := newSharing(profiles, clusters)
	porder := byVerdict(len(profiles), func(i int) recon.Level { return profiles[i].Verdict })
	if len(porder) <= mdSectionsMax {
		for i := range porder {
			porder[i] = i
		}
	}
	for k, i := range porder {
		if k == mdSectionsMax {
			m.cutNote(len(porder)-k, "domains", "the comparison matrix below has one row each")
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

	m.ln("## Clusters")
	m.ln()
	if len(clusters) == 0 {
		m.ln("No cluster: no two scanned domains share infrastructure yet.")
		m.ln()
	}
	var otherClusters [][]string
	for i, c := range clusters {
		if i >= mdSectionsMax {
			if len(otherClusters) < mdRowsMax {
				otherClusters = append(otherClusters, []string{md(clusterName(c, i)), fmt.Sprintf("%.1f", c.Score),
					fmt.Sprint(len(c.Members)), cell(more(c.Shared, 3))})
			}
			continue
		}
		m.f("### Cluster %s (score %.1f)\n\n", md(clusterName(c, i)), c.Score)
		m.f("Members (%d): %s\n\n", len(c.Members), more(mdEach(c.Members), 2*mdListMax))
		rows := sharedRows(c)
		if len(rows) > 2*mdListMax {
			left := len(rows) - 2*mdListMax
			rows = append(rows[:2*mdListMax], []string{"…", fmt.Sprintf("%d more shared values", left), "", ""})
		}
		m.table([]string{"Shared", "Value", "Weight", "Why"}, rows)
	}
	if len(otherClusters) > 0 {
		m.ln("### The other clusters")
		m.ln()
		m.table([]string{"Cluster", "Score", "Members", "Shares"}, otherClusters)
		m.cutNote(len(clusters)-mdSectionsMax-len(otherClusters), "clusters", "the json export holds every cluster")
	}

	m.ln("## Comparison matrix")
	m.ln()
	var rows [][]string
	for k, i := range porder {
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
	m.cutNote(len(porder)-len(rows), "domains", "the csv export lists every one")

	m.ln("## Registration timeline")
	m.ln()
	tl, left := timelineRows(profiles, clusters)
	m.table([]string{"Created", "Domain", "Registrar", "Gap (days)", "Window cluster"}, tl)
	m.cutNote(left, "registrations", "the timeline stops at the first "+fmt.Sprint(mdRowsMax))

	m.ln("## Pivot tree")
	m.ln()
	t := &treeWriter{m: m, s: s, shown: map[*pivot.Entity]bool{}, o: o}
	for _, id := range s.Roots() {
		if err := t.node(id, 0); err != nil {
			return err
		}
	}
	if len(s.Roots()) == 0 {
		m.ln("The tree is empty.")
	}
	if t.cut > 0 {
		m.ln()
		m.f("… the tree goes on: %d more nodes are not listed here (the csv export lists every indicator with where it was found).\n", t.cut)
	}
	m.ln()

	m.ln("## Analyst notes")
	m.ln()
	var notes, fps [][]string
	nNotes, nFPs := 0, 0
	for _, e := range ents {
		for _, n := range e.Notes {
			if nNotes++; len(notes) < mdRowsMax {
				notes = append(notes, []string{md(e.Value), cell(stamp(n.At)), cell(n.Text)})
			}
		}
		keys := make([]string, 0, len(e.FalsePositives))
		for k := range e.FalsePositives {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if nFPs++; len(fps) < mdRowsMax {
				fps = append(fps, []string{md(e.Value), md(k), cell(e.FalsePositives[k])})
			}
		}
	}
	if len(notes) == 0 {
		m.ln("No notes.")
		m.ln()
	} else {
		m.table([]string{"Entity", "At", "Note"}, notes)
		m.cutNote(nNotes-len(notes), "notes", "the json export holds them all")
	}
	m.ln("### False positives")
	m.ln()
	if len(fps) == 0 {
		m.ln("None marked.")
		m.ln()
	} else {
		m.table([]string{"Entity", "Rule", "Why"}, fps)
		m.cutNote(nFPs-len(fps), "false positives", "the json export holds them all")
	}

	m.ln("## Evidence appendix")
	m.ln()
	m.ln("Raw evidence as received, with control characters shown as escapes. Times are UTC.")
	m.ln()
	shownCerts := map[string]string{}
	for k, i := range order {
		if k == mdSectionsMax {
			m.cutNote(len(order)-k, "scanned entities' evidence", "the json export holds all raw evidence")
			break
		}
		if err := o.cancelled(); err != nil {
			return err
		}
		evidence(m, scannedEnts[i], shownCerts)
	}
	return m.w.Flush()
}

// assessment writes the Overall Assessment section of a scanned entity.
func assessment(m *mdWriter, e *pivot.Entity) {
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

// mdEach escapes every item of list.
func mdEach(list []string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = md(x)
	}
	return out
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

// timelineRows returns the first mdRowsMax registrations in date order and
// how many more there are.
func timelineRows(profiles []*profile, clusters []pivot.Cluster) ([][]string, int) {
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
		if i == mdRowsMax {
			return rows, len(dated) - i
		}
		gap := "—"
		if i > 0 {
			gap = fmt.Sprintf("%.1f", p.Created.Sub(*dated[i-1].Created).Hours()/24)
		}
		mark := "—"
		if w := window[strings.ToLower(p.Domain)]; len(w) > 0 {
			mark = "◆ cluster " + more(mdEach(w), mdListMax)
		}
		rows = append(rows, []string{p.Created.UTC().Format("2006-01-02 15:04"), md(p.Domain), cell(p.ReportedRegistrar), gap, mark})
	}
	return rows, 0
}

// countedList is "a, b, c" or "a, b, c and 4,997 other domains".
func countedList(names []string, total int) string {
	if total <= len(names) {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d other domains", strings.Join(names, ", "), total-len(names))
}

// treeWriter writes the pivot tree within mdTreeLines lines: each node
// lists at most mdTreeChildren children, children whose entity the tree
// already showed are counted instead of repeated (with their subtrees),
// and cut counts the nodes left out.
type treeWriter struct {
	m     *mdWriter
	s     *pivot.Session
	o     Options
	lines int
	cut   int
	shown map[*pivot.Entity]bool // entities printed with their children
}

func (t *treeWriter) node(id string, depth int) error {
	n := t.s.Node(id)
	if n == nil || depth > 64 {
		return nil
	}
	if t.lines%checkEvery == 0 {
		if err := t.o.cancelled(); err != nil {
			return err
		}
	}
	t.lines++
	line := strings.Repeat("  ", depth) + "- "
	if n.Relation != "" {
		line += "_" + md(n.Relation) + "_ → "
	}
	line += "**" + md(n.Value) + "** (" + md(string(n.Kind)) + ")"
	if n.Entity != nil {
		if len(n.Children) > 0 {
			t.shown[n.Entity] = true
		}
		if v := n.Entity.Verdict(); v != recon.LevelNone {
			line += " " + badge(v)
		} else if n.Entity.State == pivot.StateFailed {
			line += " — scan failed: " + md(n.Entity.Err)
		}
		if len(n.Entity.Notes) > 0 {
			line += fmt.Sprintf(" 📝 %d", len(n.Entity.Notes))
		}
	}
	t.m.ln(line)
	listed, again, left := 0, 0, 0
	for _, c := range n.Children {
		cn := t.s.Node(c)
		switch {
		case cn == nil:
		case len(cn.Children) > 0 && t.shown[cn.Entity]:
			again++ // shown elsewhere with its own children: counted, not repeated
		case listed == mdTreeChildren || t.lines >= mdTreeLines:
			left++
		default:
			listed++
			if err := t.node(c, depth+1); err != nil {
				return err
			}
		}
	}
	var notes []string
	if again > 0 {
		notes = append(notes, fmt.Sprintf("%d already shown above", again))
	}
	if left > 0 {
		notes = append(notes, fmt.Sprintf("%d more not listed", left))
		t.cut += left
	}
	if len(notes) > 0 {
		t.m.ln(strings.Repeat("  ", depth+1) + "- … " + strings.Join(notes, ", "))
	}
	return nil
}

// evidence writes the raw evidence of a scanned entity. A certificate
// already shown for another entity (shownCerts: SHA-256 → that entity) is
// referred to, not repeated.
func evidence(m *mdWriter, e *pivot.Entity, shownCerts map[string]string) {
	r := e.Scan
	var blocks []struct{ title, body string }
	add := func(title, body string) {
		if strings.TrimSpace(body) != "" {
			blocks = append(blocks, struct{ title, body string }{title, body})
		}
	}
	if x := r.Module(recon.ModuleWhois); x != nil {
		if w, _ := x.Facts.(*recon.WhoisFacts); w != nil {
			src := w.Source
			if len(w.Servers) > 0 {
				src += " from " + strings.Join(w.Servers, " → ")
			}
			add(fmt.Sprintf("WHOIS (%s), fetched %s", src, stamp(x.Started)), w.Raw)
		}
	}
	if x := r.Module(recon.ModuleSSL); x != nil {
		if sf, _ := x.Facts.(*recon.SSLFacts); sf != nil {
			seen := map[string]bool{}
			for _, c := range sf.Certs {
				if seen[c.SHA256] || c.PEM == "" {
					continue
				}
				seen[c.SHA256] = true
				if other, ok := shownCerts[c.SHA256]; ok {
					add(fmt.Sprintf("Certificate from %s (SNI %s, SHA-256 %s)", c.Address, c.ServerName, c.SHA256), "the same certificate as shown above for "+other)
					continue
				}
				shownCerts[c.SHA256] = e.Value
				add(fmt.Sprintf("Certificate from %s (SNI %s, SHA-256 %s), fetched %s", c.Address, c.ServerName, c.SHA256, stamp(x.Started)), c.PEM)
			}
		}
	}
	if x := r.Module(recon.ModuleHeaders); x != nil {
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
	if x := r.Module(recon.ModuleDNS); x != nil {
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
