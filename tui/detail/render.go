package detail

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
	"github.com/netspecter/netspecter-tui/recon/render"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// Input is what Render needs to draw one node.
type Input struct {
	Session *pivot.Session
	Node    *pivot.Node
	Width   int
	Now     time.Time
	// Clusters are the session's clusters and InClusters the indexes of
	// those the node's entity belongs to.
	Clusters   []pivot.Cluster
	InClusters []int
	// Progress is the running scan's progress, when it reports one.
	Progress *Progress
}

// Progress is which modules of a running scan are done and which still
// run, in module order, and the results of those done (shown as they
// come in; the assessment follows when the scan ends).
type Progress struct {
	Done, Pending []string
	Results       map[string]*recon.ModuleResult
}

// ModuleMark heads each module's block: a bar, not a verdict shape (■ is
// red), so a green domain's blocks do not read as red without colour.
const ModuleMark = "▌"

// KindNames are human names of pivot kinds.
var KindNames = map[recon.PivotKind]string{
	recon.PivotDomain: "domain", recon.PivotSubdomain: "subdomain", recon.PivotIP: "IP address",
	recon.PivotASN: "autonomous system", recon.PivotNetwork: "network block", recon.PivotNS: "name server",
	recon.PivotMX: "mail exchanger", recon.PivotRegistrar: "registrar", recon.PivotCert: "certificate (SHA-256)",
	recon.PivotPubkey: "public key (SHA-256)", recon.PivotEmail: "e-mail address",
	recon.PivotAnalytics: "analytics ID", recon.PivotFavicon: "favicon (Shodan hash)",
	recon.PivotPage: "page (normalised SHA-256)", recon.PivotVerify: "site-verification token",
}

type writer struct {
	st    *styles.Styles
	lines []string
	keys  []pivot.EntityKey // the entity a line stands for ("" for most)
	w     int
}

func (w *writer) line(parts ...string) {
	w.lines = append(w.lines, strings.Join(parts, ""))
	w.keys = append(w.keys, "")
}

// link writes a line that stands for entity k: the detail pane lets the
// analyst select it and jump there.
func (w *writer) link(k pivot.EntityKey, parts ...string) {
	w.line(parts...)
	w.keys[len(w.keys)-1] = k
}

func (w *writer) blank() { w.line() }

// Link is a selectable line of the rendered detail: enter on it jumps to
// the entity.
type Link struct {
	Line int
	Key  pivot.EntityKey
}

// done wraps the lines to the writer's width and returns the text and
// the (wrapped) line of each link.
func (w *writer) done() (string, []Link) {
	end := len(w.lines)
	for end > 0 && w.lines[end-1] == "" {
		end--
	}
	var out []string
	var links []Link
	for i, ln := range w.lines[:end] {
		if w.keys[i] != "" {
			links = append(links, Link{Line: len(out), Key: w.keys[i]})
		}
		out = append(out, wrapLine(ln, w.w)...)
	}
	return strings.Join(out, "\n"), links
}

// kv writes a label/value line; value must already be sanitised or styled.
func (w *writer) kv(label, value string) {
	w.line(w.st.Label.Render(fmt.Sprintf("  %-13s", label)), value)
}

func l(s string) string { return sanitize.Line(s) }

func ls(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = l(s)
	}
	return strings.Join(out, ", ")
}

// Title returns the pane title for a node.
func Title(n *pivot.Node) string {
	if n == nil {
		return "DETAIL"
	}
	return strings.ToUpper(KindNames[n.Kind]) + "  " + l(n.Value)
}

// Render draws the detail of in.Node, wrapped to in.Width.
func Render(st *styles.Styles, in Input) string {
	s, _ := RenderLinks(st, in)
	return s
}

// RenderLinks draws the detail of in.Node, wrapped to in.Width, and says
// which lines stand for other entities (the "Shared by" list).
func RenderLinks(st *styles.Styles, in Input) (string, []Link) {
	w := &writer{st: st, w: max(in.Width, 20)}
	n := in.Node
	if n == nil {
		w.line(st.Dim.Render("Nothing selected. Press + to add a target."))
		return w.done()
	}
	e := n.Entity
	w.line(st.H1.Render(l(n.Value)), "  ", st.Dim.Render(KindNames[n.Kind]))
	if n.Parent != "" && in.Session != nil {
		if p := in.Session.Node(n.Parent); p != nil {
			w.line(st.Dim.Render("reached from " + l(p.Value) + " via " + l(n.Relation)))
		}
	}
	w.blank()

	switch e.State {
	case pivot.StateRunning:
		if p := in.Progress; p != nil {
			w.line(st.Queued.Render(fmt.Sprintf("Scanning… %d of %d modules done.", len(p.Done), len(p.Done)+len(p.Pending))))
			for _, id := range p.Done {
				w.line("  ", st.Dim.Render("done     "), l(moduleTitle(id)))
			}
			for _, id := range p.Pending {
				w.line("  ", st.Queued.Render("running  "+l(moduleTitle(id))))
			}
			if len(p.Results) > 0 {
				w.blank()
				for _, id := range recon.ModuleIDs {
					if m := p.Results[id]; m != nil {
						module(w, e, id, m, in.Now)
					}
				}
			}
		} else {
			w.line(st.Queued.Render("Scanning… results appear here when the scan finishes."))
		}
		w.blank()
	case pivot.StateQueued:
		w.line(st.Queued.Render("Queued: waiting for a free scan slot."))
		w.blank()
	case pivot.StateFailed:
		w.line(st.Failed.Render("✗ scan failed: "), l(e.Err))
		w.line(st.Dim.Render("  press r to try again"))
		w.blank()
	}

	if e.Scan != nil {
		notices(w, e.Scan.Notices)
		assessment(w, e, in.Now)
	} else if (n.Kind == recon.PivotNS || n.Kind == recon.PivotMX) && e.State == pivot.StateNone {
		w.line(st.Dim.Render("Not scanned. Press "), st.Bold.Render("enter"), st.Dim.Render(" to go through who else uses this "+KindNames[n.Kind]+","))
		w.line(st.Dim.Render("or "), st.Bold.Render("r"), st.Dim.Render(" to run a Full Scan of the host itself."))
		w.blank()
	} else if pivot.Scannable(n.Kind) && e.State == pivot.StateNone {
		what := "a Full Scan"
		if n.Kind == recon.PivotIP {
			what = "an IP scan"
		}
		w.line(st.Dim.Render("Not scanned yet. Press "), st.Bold.Render("enter"), st.Dim.Render(" to run "+what+" in place,"))
		w.line(st.Dim.Render("or "), st.Bold.Render("a"), st.Dim.Render(" on its parent to scan every sibling."))
		w.blank()
	}

	if (n.Kind == recon.PivotCert || n.Kind == recon.PivotPubkey) && in.Session != nil {
		certBlock(w, CertsOf(in.Session, n.Kind, n.Value), in.Now)
	}

	own := pivot.ClusterMarksOf(e)
	if len(in.InClusters) > 0 || len(own) > 0 {
		w.line(st.H2.Render("Clusters"))
		for _, i := range in.InClusters {
			if i < 0 || i >= len(in.Clusters) {
				continue
			}
			c := in.Clusters[i]
			var ms []pivot.ClusterMark
			if in.Session != nil {
				ms = in.Session.ClusterMarks(c)
			}
			shares := make([]string, len(c.Shared))
			for j, sh := range c.Shared {
				shares[j] = l(sh)
				if mm := pivot.MarksOn(ms, sh); len(mm) > 0 {
					var who []string
					for _, m := range mm {
						who = append(who, l(m.Domain))
					}
					shares[j] += " (○ false positive for " + strings.Join(who, ", ") + ")"
				}
			}
			w.line("  ", st.Badge.Render(fmt.Sprintf("◆%d", i+1)), " ",
				fmt.Sprintf("%s, score %.1f", Count(len(c.Members), "member"), c.Score), st.Dim.Render("  shares "+strings.Join(shares, ", ")))
		}
		for _, m := range own {
			what := "link " + l(m.Shared) + " not counted for this domain"
			if m.Shared == "" {
				what = "kept out of every cluster"
			}
			w.line("  ", st.Dim.Render("○ "), st.Strike.Render(what))
			w.line("    ", st.Note.Render("false positive: "+l(m.Why)), st.Dim.Render("  (x takes it back)"))
		}
		w.blank()
	}

	if in.Session != nil {
		sharing(w, in.Session, n)
	}

	if len(e.Notes) > 0 {
		w.line(st.H2.Render("Notes"))
		for _, nt := range e.Notes {
			w.line("  ", st.Dim.Render(nt.At.Format("2006-01-02 15:04")), "  ", st.Note.Render(l(nt.Text)))
		}
		w.blank()
	}

	if e.Scan != nil {
		for _, id := range recon.ModuleIDs {
			if m := e.Scan.Module(id); m != nil {
				module(w, e, id, m, in.Now)
			}
		}
	}
	return w.done()
}

// wrap breaks lines longer than width (see wrapLine).
func wrap(s string, width int) string {
	var out []string
	for _, ln := range strings.Split(s, "\n") {
		out = append(out, wrapLine(ln, width)...)
	}
	return strings.Join(out, "\n")
}

// wrapLine breaks a line longer than width at spaces (never inside a host
// name, a date or an address: only a word longer than the line is cut),
// indenting continuation lines under the text of the first (hanging
// indent). Styles open at a break are closed and reopened on the next line.
func wrapLine(ln string, width int) []string {
	if ansi.StringWidth(ln) <= width {
		return []string{ln}
	}
	plain := ansi.Strip(ln)
	ind := len(plain) - len(strings.TrimLeft(plain, " "))
	if bulleted(strings.TrimLeft(plain, " ")) {
		ind += 2
	} else if ind == 2 && len(plain) > 15 && strings.TrimSpace(plain[2:15]) != "" && plain[14] == ' ' && plain[15] != ' ' {
		ind = 15 // key/value line (label padded to 13 cells): under the value
	} else if ind == 2 && len(plain) > 8 && plain[7] == ' ' && plain[8] != ' ' && strings.ToUpper(plain[2:8]) == plain[2:8] && strings.TrimSpace(plain[2:8]) != "" {
		ind = 8 // DNS record line (type padded to 6 cells): under the value
	}
	ind = min(ind, width/2)
	// A word that would not fit under the hanging indent gets less of it.
	for _, wd := range strings.Fields(plain) {
		if ww := ansi.StringWidth(wd); ww > width-ind {
			ind = max(min(ind, width-ww), 2)
		}
	}
	return wordWrap(ln, width, ind)
}

// wordWrap fills lines of at most width cells with the space-separated
// words of s (which may carry SGR sequences: they hold no spaces), the
// lines after the first indented by ind.
func wordWrap(s string, width, ind int) []string {
	var out []string
	var cur strings.Builder
	curW := 0
	active := "" // SGR sequences in effect at the current point
	lead := strings.Repeat(" ", ind)
	flush := func() {
		line := cur.String()
		if active != "" {
			line += "\x1b[0m"
		}
		out = append(out, line)
		cur.Reset()
		cur.WriteString(lead)
		cur.WriteString(active)
		curW = ind
	}
	words := strings.Split(s, " ")
	for i, wd := range words {
		ww := ansi.StringWidth(wd)
		sep := 0
		if i > 0 {
			sep = 1
		}
		if i > 0 && curW+sep+ww > width && curW > ind {
			flush()
			sep = 0
		} else if i > 0 {
			cur.WriteByte(' ')
			curW++
		}
		for ww > width-curW && width-curW > 0 && ww > width-ind {
			// A word longer than a whole line: cut it.
			room := width - curW
			cur.WriteString(ansi.Cut(wd, 0, room))
			active = sgrAfter(active, ansi.Cut(wd, 0, room))
			wd = ansi.Cut(wd, room, ww)
			ww = ansi.StringWidth(wd)
			curW = width
			flush()
		}
		cur.WriteString(wd)
		curW += ww
		active = sgrAfter(active, wd)
	}
	if strings.TrimSpace(ansi.Strip(cur.String())) != "" || len(out) == 0 {
		out = append(out, cur.String())
	}
	return out
}

// sgrAfter returns the SGR sequences in effect after s, given those in
// effect before it: a reset clears them, others accumulate.
func sgrAfter(active, s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return active
		}
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		if j >= len(s) {
			return active
		}
		seq := s[i : j+1]
		if s[j] == 'm' {
			if seq == "\x1b[0m" || seq == "\x1b[m" {
				active = ""
			} else {
				active += seq
			}
		}
		s = s[j+1:]
	}
}

// bulleted reports whether a line starts with a verdict mark (or the
// hollow mark of a false positive) and a space.
func bulleted(s string) bool {
	if strings.HasPrefix(s, "○ ") {
		return true
	}
	for _, l := range recon.Levels {
		if strings.HasPrefix(s, l.Mark()+" ") {
			return true
		}
	}
	return false
}

func sharing(w *writer, s *pivot.Session, n *pivot.Node) {
	keys := s.Sharing(n.Kind, n.Value)
	var others []pivot.EntityKey
	for _, k := range keys {
		if k != n.Entity.Key {
			others = append(others, k)
		}
	}
	if !pivot.Scannable(n.Kind) {
		w.line(w.st.H2.Render("Shared by"), w.st.Dim.Render("  "+Count(len(others), "entity")+" of this session"))
		if len(others) == 0 {
			w.line(w.st.Dim.Render("  nothing else in this session shares it yet; scan more nodes to find out"))
		}
	} else if len(others) > 0 {
		head := "Also seen with"
		if n.Kind == recon.PivotNS || n.Kind == recon.PivotMX {
			head = "Used by"
		}
		w.line(w.st.H2.Render(head), w.st.Dim.Render("  "+Count(len(others), "entity")))
	} else {
		return
	}
	for _, k := range others {
		e := s.Entity(k)
		if e == nil {
			w.line("  ", l(string(k)))
			continue
		}
		lvl := e.Verdict()
		dot := w.st.Dot[lvl]
		w.link(k, "  ", dot, " ", w.st.KindStyle(e.Kind).Render(strings.TrimSpace(tagOf(e.Kind))), " ", l(e.Value))
	}
	w.blank()
}

func tagOf(k recon.PivotKind) string {
	switch k {
	case recon.PivotDomain:
		return "DOM"
	case recon.PivotSubdomain:
		return "SUB"
	case recon.PivotIP:
		return "IP"
	case recon.PivotEmail:
		return "@"
	}
	return l(strings.ToUpper(string(k)))
}

// LevelLabel is the verdict as shown: RED, YELLOW, GREEN, NO VERDICT; a
// level outside the enum (a session file can hold anything) is shown
// escaped as "UNKNOWN (…)", never as a verdict.
func LevelLabel(lvl recon.Level) string {
	switch {
	case lvl == recon.LevelNone:
		return "NO VERDICT"
	case lvl.Valid():
		return strings.ToUpper(string(lvl))
	}
	return "UNKNOWN (" + l(string(lvl)) + ")"
}

func fpReason(e *pivot.Entity, s recon.Signal) (string, bool) {
	if e.FalsePositives == nil {
		return "", false
	}
	if why, ok := e.FalsePositives[s.Rule+":"+s.Text]; ok {
		return why, true
	}
	why, ok := e.FalsePositives[s.Rule]
	return why, ok
}

// SignalKey is the false-positive key of a signal: "rule:text".
func SignalKey(s recon.Signal) string { return s.Rule + ":" + s.Text }

func signal(w *writer, e *pivot.Entity, s recon.Signal, withModule bool) {
	st := w.st
	mod := ""
	if withModule && s.Module != "" {
		mod = st.Dim.Render("  · " + l(s.Module))
	}
	if why, ok := fpReason(e, s); ok {
		w.line("  ", st.Dim.Render("○ "), st.Strike.Render(l(s.Text)), mod)
		w.line("    ", st.Note.Render("false positive: "+l(why)))
		return
	}
	lv := s.Level
	if _, ok := st.Level[lv]; !ok {
		lv = recon.LevelNone
	}
	w.line("  ", st.Dot[lv], " ", st.Level[lv].Render(l(s.Text)), mod)
}

// notices shows what the scan found about the analyst's own network (a
// resolver that refuses or rewrites, TLS interception, refused blocklists)
// before the verdict, since they change how it reads.
func notices(w *writer, ns []recon.Notice) {
	if len(ns) == 0 {
		return
	}
	st := w.st
	w.line(st.H2.Render("Your network"))
	for _, n := range ns {
		w.line("  ", st.Level[recon.LevelYellow].Render("! "), l(n.Text))
	}
	w.blank()
}

func assessment(w *writer, e *pivot.Entity, now time.Time) {
	st := w.st
	lvl := e.Verdict()
	label := LevelLabel(lvl)
	vs, ok := st.Verdict[lvl]
	if !ok {
		vs = st.Verdict[recon.LevelNone]
	}
	sigs := e.Scan.Assessment.Signals
	counts := map[recon.Level]int{}
	for _, s := range sigs {
		if _, fp := fpReason(e, s); !fp {
			counts[s.Level]++
		}
	}
	w.line(st.H2.Render("Overall Assessment"))
	w.line("  ", vs.Render(label), "  ", st.Dim.Render(fmt.Sprintf("%d red · %d yellow · %d green", counts[recon.LevelRed], counts[recon.LevelYellow], counts[recon.LevelGreen])))
	if !e.ScannedAt.IsZero() {
		w.line("  ", st.Dim.Render("scanned "+age(now, e.ScannedAt)))
	}
	if a := e.Scan.Assessment; a.Why != "" && len(e.FalsePositives) == 0 {
		w.line("  ", st.Dim.Render("why: "), l(a.Why))
	}
	if len(sigs) == 0 {
		w.line("  ", st.Dim.Render("no signals"))
	}
	for _, s := range sigs {
		signal(w, e, s, true)
	}
	if a := e.Scan.Assessment; len(a.WouldChange) > 0 && len(e.FalsePositives) == 0 {
		for _, x := range a.WouldChange {
			w.line("  ", st.Dim.Render("would change: "), l(x))
		}
	}
	w.blank()
}

func age(now, t time.Time) string {
	if now.IsZero() {
		return t.Format("2006-01-02 15:04")
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return t.Format("2006-01-02")
}

func days(now, t time.Time) string {
	d := int(now.Sub(t).Hours() / 24)
	switch {
	case d < 0:
		return "in " + Count(-d, "day")
	case d < 365:
		return Count(d, "day") + " ago"
	}
	// Whole years and months, as the assessment counts whole years: "1 year
	// 11 months ago" reads true beside "registered 1 year ago".
	y, mo := d/365, (d%365)/30
	if mo == 0 || y >= 10 {
		return Count(y, "year") + " ago"
	}
	return Count(y, "year") + " " + Count(mo, "month") + " ago"
}

func statusText(m *recon.ModuleResult) string {
	reason := l(m.Err)
	switch m.Status {
	case recon.StatusOK:
		return "ok"
	case recon.StatusRateLimited:
		if reason == "" {
			reason = "the source refused more requests for now"
		}
		return "rate-limited: " + reason + " — not \"no results\"; wait and press r, or add an API key (p shows limits)"
	case recon.StatusError:
		if reason == "" {
			reason = "unknown error"
		}
		return "error: " + reason + " — press r to rescan"
	case recon.StatusSkipped:
		if reason == "" {
			reason = "not applicable"
		}
		return "skipped: " + reason
	}
	return l(string(m.Status))
}

// moduleTitle is a module's block title, or its id.
func moduleTitle(id string) string { return recon.Title(id) }

func module(w *writer, e *pivot.Entity, id string, m *recon.ModuleResult, now time.Time) {
	st := w.st
	title := moduleTitle(id)
	touch := string(m.Touch)
	if touch == "" {
		touch = "?"
	}
	ss, ok := st.Status[m.Status]
	if !ok {
		ss = st.Dim
	}
	dur := ""
	if m.DurationMS > 0 {
		dur = st.Dim.Render(fmt.Sprintf("  %d ms", m.DurationMS))
	}
	w.line(st.H2.Render(ModuleMark+" "+title), "  ", st.Touch.Render("touch: "+l(touch)), dur)
	w.line("  ", ss.Render(statusText(m)))
	switch f := m.Facts.(type) {
	case *recon.DNSFacts:
		dnsFacts(w, f)
	case *recon.WhoisFacts:
		whoisFacts(w, f, now)
	case *recon.SSLFacts:
		sslFacts(w, f, now)
	case *recon.GeoFacts:
		geoFacts(w, f)
	case *recon.ThreatFacts:
		threatFacts(w, f)
	case *recon.PortsFacts:
		portsFacts(w, f)
	case *recon.EmailFacts:
		emailFacts(w, f)
	case *recon.SubdomainFacts:
		subFacts(w, f)
	case *recon.HeadersFacts:
		headerFacts(w, f)
	case nil:
	default:
		if rs, ok := render.Rows(f); ok { // facts described by recon/render (a new module's)
			rows(w, rs)
		} else {
			w.line("  ", st.Dim.Render("(facts of an unknown shape)"))
		}
	}
	for _, s := range m.Signals {
		signal(w, e, s, false)
	}
	w.blank()
}

// rows lays out facts rows (package recon/render): a coloured row as one
// line, a failed question in the error style, a record's label beside its
// first value only.
func rows(w *writer, rs []recon.Row) {
	st := w.st
	for i, r := range rs {
		switch {
		case r.Level != recon.LevelNone:
			w.line("  ", st.Level[r.Level].Render(l(r.Label)+": "+l(r.Value)))
		case r.Err:
			w.line("  ", st.Status[recon.StatusError].Render(l(r.Label)+" failed: "), l(r.Value))
		default:
			lab := ""
			if i == 0 || rs[i-1].Label != r.Label || rs[i-1].Err || rs[i-1].Level != recon.LevelNone {
				lab = r.Label
			}
			w.line(st.Label.Render(fmt.Sprintf("  %-6s", l(lab))), l(r.Value))
		}
	}
}

func dnsFacts(w *writer, f *recon.DNSFacts) {
	rs := render.DNS(f)
	if len(f.A)+len(f.AAAA)+len(f.CNAME)+len(f.MX)+len(f.NS)+len(f.TXT)+len(f.PTR) == 0 && f.SOA == nil && !f.NXDomain {
		// "no records" goes before the failed questions.
		n := 0
		for n < len(rs) && !rs[n].Err {
			n++
		}
		rows(w, rs[:n])
		w.line("  ", w.st.Dim.Render("no records"))
		rows(w, rs[n:])
		return
	}
	rows(w, rs)
}

func when(now time.Time, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.Format("2006-01-02") + " (" + days(now, *t) + ")"
}

func whoisFacts(w *writer, f *recon.WhoisFacts, now time.Time) {
	st := w.st
	if f.Platform != "" {
		w.kv("platform", st.Level[recon.LevelYellow].Render("a site under "+l(f.Platform)+": WHOIS describes the platform ("+l(f.Domain)+"), not the site's owner"))
	}
	switch f.State() {
	case recon.RegFree:
		w.kv("registered", st.Level[recon.LevelYellow].Render("no — the registry says the name is free"))
		return
	case recon.RegUnknown:
		// No registry answered: that says nothing about the name.
		w.kv("registered", st.Dim.Render("unknown — no registry answered"))
		if f.Registrar == "" && f.Created == nil {
			return
		}
	}
	reg := l(f.Registrar)
	if f.RegistrarIANAID != "" {
		reg += st.Dim.Render(" (IANA " + l(f.RegistrarIANAID) + ")")
	}
	w.kv("registrar", reg)
	w.kv("created", when(now, f.Created))
	if f.Updated != nil {
		w.kv("updated", when(now, f.Updated))
	}
	w.kv("expires", when(now, f.Expires))
	if len(f.NameServers) > 0 {
		w.kv("name servers", ls(f.NameServers))
	}
	if len(f.Status) > 0 {
		w.kv("status", ls(f.Status))
	}
	priv := "no"
	if f.Privacy {
		priv = "yes"
		if f.PrivacyEvidence != "" {
			priv += st.Dim.Render(" (" + l(f.PrivacyEvidence) + ")")
		}
	}
	w.kv("privacy", priv)
	if f.RegistrantOrg != "" || f.RegistrantCountry != "" {
		w.kv("registrant", strings.TrimSpace(l(f.RegistrantOrg)+" "+l(f.RegistrantCountry)))
	}
	src := l(f.Source)
	if len(f.Servers) > 0 {
		src += st.Dim.Render(" via " + ls(f.Servers))
	}
	w.kv("source", src)
}

func sslFacts(w *writer, f *recon.SSLFacts, now time.Time) {
	st := w.st
	if f.FromCT {
		w.line("  ", st.Dim.Render("from Certificate Transparency (no handshake: passive-strict)"))
	}
	seen := map[string]bool{}
	for _, c := range f.Certs {
		if seen[c.SHA256] && c.SHA256 != "" {
			w.kv("also on", l(c.Address))
			continue
		}
		seen[c.SHA256] = true
		w.kv("address", l(c.Address)+st.Dim.Render(" SNI "+l(c.ServerName)))
		w.kv("subject", l(c.Subject))
		w.kv("issuer", l(c.Issuer))
		left := Count(c.DaysLeft, "day") + " left"
		ls := st.Level[recon.LevelGreen]
		switch {
		case c.Expired || c.DaysLeft < 0:
			left, ls = "expired", st.Level[recon.LevelRed]
		case c.DaysLeft < 14:
			ls = st.Level[recon.LevelYellow]
		}
		w.kv("valid", c.NotBefore.Format("2006-01-02")+" → "+c.NotAfter.Format("2006-01-02")+"  "+ls.Render(left))
		var flags []string
		if c.Verified {
			flags = append(flags, "verified")
		} else if c.VerifyError != "" {
			flags = append(flags, "does not verify: "+l(c.VerifyError))
		}
		if c.SelfSigned {
			flags = append(flags, "self-signed")
		}
		if c.NameMismatch {
			flags = append(flags, "name mismatch")
		}
		if len(flags) > 0 {
			w.kv("checks", strings.Join(flags, ", "))
		}
		if c.SHA256 != "" {
			w.kv("sha256", st.Dim.Render(l(c.SHA256)))
		}
		w.kv(fmt.Sprintf("SANs (%d)", len(c.SANs)), ls2(c.SANs))
	}
	for _, s := range f.Skipped {
		w.kv("not contacted", st.Dim.Render(l(s)))
	}
	if len(f.Certs) == 0 && len(f.Skipped) == 0 {
		w.line("  ", st.Dim.Render("no certificate"))
	}
}

func ls2(ss []string) string { return ls(ss) }

func geoFacts(w *writer, f *recon.GeoFacts) {
	st := w.st
	for _, g := range f.IPs {
		w.kv("address", st.Bold.Render(l(g.IP)))
		loc := strings.Trim(l(g.City)+", "+l(g.Country), ", ")
		if g.CountryCode != "" {
			loc += st.Dim.Render(" (" + l(g.CountryCode) + ")")
		}
		if loc != "" {
			w.kv("location", loc)
		}
		if g.ASN != 0 {
			w.kv("ASN", "AS"+strconv.FormatUint(uint64(g.ASN), 10)+" "+l(g.ASOrg))
		}
		if g.Network != "" {
			v := l(g.Network)
			var extra []string
			if g.Registry != "" {
				extra = append(extra, l(g.Registry))
			}
			if g.Allocated != "" {
				extra = append(extra, "allocated "+l(g.Allocated))
			}
			if len(extra) > 0 {
				v += "  " + st.Dim.Render(strings.Join(extra, " · "))
			}
			w.kv("network", v)
		}
		if len(g.Sources) > 0 {
			w.kv("sources", st.Dim.Render(ls(g.Sources)))
		}
	}
	if len(f.IPs) == 0 {
		w.line("  ", st.Dim.Render("no addresses to locate"))
	}
	if f.Hint != "" {
		w.line("  ", st.Hint.Render("hint: "+l(f.Hint)))
	}
}

func threatFacts(w *writer, f *recon.ThreatFacts) {
	st := w.st
	for _, c := range f.Checks {
		var res string
		switch c.Result {
		case recon.DNSBLListed:
			what := ls(c.Meanings)
			if what == "" {
				what = ls(c.Codes)
			}
			res = st.Level[recon.LevelRed].Render("LISTED") + " " + what
			if c.Policy {
				res = st.Level[recon.LevelYellow].Render("policy") + " " + what
			}
			if c.Since != "" {
				res += st.Dim.Render(" since " + l(c.Since))
			}
		case recon.DNSBLClean:
			res = st.Level[recon.LevelGreen].Render("clean")
		default:
			res = st.Level[recon.LevelYellow].Render("unknown") + st.Dim.Render(" "+l(c.Reason))
		}
		w.line(st.Label.Render("  "), l(c.Subject), st.Dim.Render(" @ "+l(c.Zone)+"  "), res)
	}
	for _, a := range f.ASN {
		w.line("  ", st.Level[recon.LevelRed].Render(fmt.Sprintf("AS%d", a.ASN)), " ", l(a.Org), st.Dim.Render(" ("+l(a.IP)+") on "+l(a.Source)))
	}
	for _, k := range f.Keyed {
		mark := st.Level[recon.LevelGreen].Render("clean")
		if k.Malicious {
			mark = st.Level[recon.LevelRed].Render("malicious")
		}
		detail := k.Detail
		switch {
		case k.Status != recon.StatusOK:
			mark = st.Status[k.Status].Render(l(string(k.Status)))
			// The source's text may repeat the status: say it once.
			detail = strings.TrimPrefix(detail, string(k.Status)+": ")
		case !k.Malicious && strings.HasSuffix(detail, "no record"):
			// Not known to the source is not "clean".
			mark = st.Dim.Render("not known")
		}
		w.line("  ", l(k.Source), " ", mark, " ", st.Dim.Render(l(detail)))
	}
	if len(f.Checks)+len(f.ASN)+len(f.Keyed) == 0 {
		w.line("  ", st.Dim.Render("no checks ran"))
	}
}

func portsFacts(w *writer, f *recon.PortsFacts) {
	st := w.st
	for _, h := range f.Hosts {
		head := st.Bold.Render(l(h.IP))
		if h.CDN != "" {
			head += st.Dim.Render(" (" + l(h.CDN) + " edge: these ports are the CDN's)")
		}
		w.kv("address", head)
		if h.NoData {
			w.line("  ", st.Dim.Render("  InternetDB has no data on this address"))
			continue
		}
		ports := make([]string, len(h.Ports))
		for i, p := range h.Ports {
			ports[i] = strconv.Itoa(p)
		}
		w.kv("ports", strings.Join(ports, ", "))
		if len(h.Vulns) > 0 {
			w.kv(fmt.Sprintf("CVEs (%d)", len(h.Vulns)), st.Level[recon.LevelRed].Render(ls(h.Vulns)))
		}
		if len(h.CPEs) > 0 {
			w.kv("CPEs", st.Dim.Render(ls(h.CPEs)))
		}
		if len(h.Tags) > 0 {
			w.kv("tags", ls(h.Tags))
		}
		if len(h.Hostnames) > 0 {
			w.kv("hostnames", ls(h.Hostnames))
		}
	}
	if len(f.Hosts) == 0 {
		w.line("  ", st.Dim.Render("no addresses checked"))
	}
}

func yesno(st *styles.Styles, ok bool, yes, no string) string {
	if ok {
		return st.Level[recon.LevelGreen].Render(yes)
	}
	return st.Level[recon.LevelRed].Render(no)
}

func emailFacts(w *writer, f *recon.EmailFacts) {
	st := w.st
	mx := "none"
	switch {
	case f.NullMX:
		mx = "null MX (accepts no mail)"
	case f.HasMX:
		mx = ls(f.MX)
	case f.Errors["MX"] != "":
		mx = st.Dim.Render("unknown — could not be read")
	}
	w.kv("MX", mx)
	if f.SPF != nil {
		spf := l(f.SPF.Raw)
		if f.SPFCount > 1 {
			spf += st.Level[recon.LevelYellow].Render(fmt.Sprintf("  (%d records!)", f.SPFCount))
		}
		w.kv("SPF", spf)
		if f.SPF.All != "" {
			w.kv("", st.Dim.Render(fmt.Sprintf("all=%s, %d lookups", l(f.SPF.All), f.SPF.Lookups)))
		}
	} else if f.SPFUnread() {
		w.kv("SPF", st.Dim.Render("unknown — could not be read"))
	} else {
		w.kv("SPF", st.Level[recon.LevelRed].Render("none"))
	}
	switch {
	case f.DMARC != nil:
		w.kv("DMARC", "p="+l(f.DMARC.Policy)+st.Dim.Render("  "+l(f.DMARC.Raw)))
	case f.DMARCUnread():
		w.kv("DMARC", st.Dim.Render("unknown — could not be read"))
	default:
		w.kv("DMARC", st.Level[recon.LevelRed].Render("none"))
	}
	w.kv("MTA-STS", yesno(st, f.MTASTS, "yes "+l(f.MTASTSID), "no"))
	w.kv("TLS-RPT", yesno(st, f.TLSRPT, "yes", "no"))
	sp := st.Level[recon.LevelGreen].Render("no")
	switch {
	case f.Spoofable:
		sp = st.Level[recon.LevelRed].Render("YES")
	case f.SPFUnread() || f.DMARCUnread() || (f.Posture == "" && strings.HasPrefix(f.SpoofReason, "unknown")):
		sp = st.Dim.Render("unknown")
	}
	if f.SpoofReason != "" {
		sp += "  " + l(f.SpoofReason)
	}
	w.kv("spoofable", sp)
}

func subFacts(w *writer, f *recon.SubdomainFacts) {
	st := w.st
	count := Count(f.Total, "name")
	if f.Capped {
		count += st.Level[recon.LevelYellow].Render(fmt.Sprintf(" (showing the first %d)", f.Cap))
	}
	src := l(f.Source)
	if f.Fallback != "" {
		src += st.Dim.Render(" (fallback: " + l(f.Fallback) + ")")
	}
	w.kv("found", count+st.Dim.Render(" from ")+src)
	if f.FirstIssuance != nil {
		w.kv("first cert", f.FirstIssuance.Format("2006-01-02"))
	}
	const show = 50
	for i, n := range f.Names {
		if i == show {
			w.line("  ", st.Dim.Render(fmt.Sprintf("  … and %d more (they are children in the tree)", len(f.Names)-show)))
			break
		}
		w.line("    ", l(n))
	}
}

func headerFacts(w *writer, f *recon.HeadersFacts) {
	st := w.st
	u := l(f.URL)
	if f.FinalURL != "" && f.FinalURL != f.URL {
		u += " → " + l(f.FinalURL)
	}
	if f.StatusCode != 0 {
		u += st.Dim.Render(fmt.Sprintf("  HTTP %d", f.StatusCode))
	}
	w.kv("url", u)
	var present, missing []string
	for _, h := range f.Security {
		if h.Present {
			present = append(present, l(h.Name))
		} else {
			missing = append(missing, l(h.Name))
		}
	}
	if len(present) > 0 {
		w.kv("present", st.Level[recon.LevelGreen].Render(strings.Join(present, ", ")))
	}
	if len(missing) > 0 {
		w.kv("missing", st.Level[recon.LevelYellow].Render(strings.Join(missing, ", ")))
	}
	if f.Server != "" {
		w.kv("server", l(f.Server))
	}
	if f.PoweredBy != "" {
		w.kv("powered by", l(f.PoweredBy))
	}
	if len(f.Tech) > 0 {
		w.kv("tech", ls(f.Tech))
	}
	cf := "no"
	if f.Cloudflare {
		cf = st.Level[recon.LevelYellow].Render("yes")
		if f.CloudflareEvidence != "" {
			cf += st.Dim.Render(" (" + l(f.CloudflareEvidence) + ")")
		}
	}
	w.kv("Cloudflare", cf)
	if f.Title != "" {
		w.kv("title", l(f.Title))
	}
	if s := fingerprint.PageLine(f); s != "" {
		w.kv("page hash", l(s))
	}
	for _, a := range f.Analytics {
		w.kv("analytics", l(fingerprint.AnalyticsLine(a)))
	}
	if s := fingerprint.FaviconLine(f); s != "" {
		w.kv("favicon", l(s))
	}
	for _, v := range f.Verifications {
		w.kv("verification", l(fingerprint.VerifyLine(v)))
	}
}

// CertsOf returns the certificates the session's scans saw with SHA-256
// (kind cert) or public-key SHA-256 (kind pubkey) value, one per
// fingerprint.
func CertsOf(s *pivot.Session, kind recon.PivotKind, value string) []recon.CertFacts {
	var out []recon.CertFacts
	seen := map[string]bool{}
	v := strings.ToLower(value)
	for _, e := range s.Entities() {
		if e.Scan == nil {
			continue
		}
		m := e.Scan.Module(recon.ModuleSSL)
		if m == nil {
			continue
		}
		f, ok := m.Facts.(*recon.SSLFacts)
		if !ok {
			continue
		}
		for _, c := range f.Certs {
			k := strings.ToLower(c.SHA256)
			if kind == recon.PivotPubkey {
				k = strings.ToLower(c.PubkeySHA256)
			}
			if k == v && !seen[c.SHA256] {
				seen[c.SHA256] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// certBlock shows the certificates behind a certificate or key node.
func certBlock(w *writer, cs []recon.CertFacts, now time.Time) {
	st := w.st
	w.line(st.H2.Render("Certificate"), st.Dim.Render("  w shows the PEM"))
	if len(cs) == 0 {
		w.line("  ", st.Dim.Render("no scan of this session kept the certificate's details"))
	}
	for _, c := range cs {
		w.kv("subject", l(c.Subject))
		w.kv("issuer", l(c.Issuer))
		w.kv("valid", c.NotBefore.Format("2006-01-02")+" → "+c.NotAfter.Format("2006-01-02")+"  "+st.Dim.Render(days(now, c.NotAfter)))
		w.kv("sha256", st.Dim.Render(l(c.SHA256)))
		if c.PubkeySHA256 != "" {
			w.kv("key sha256", st.Dim.Render(l(c.PubkeySHA256)))
		}
		n := max(len(c.SANs), c.SANsTotal)
		w.kv("SANs ("+itoa(n)+")", ls(c.SANs))
		w.kv("seen at", l(c.Address)+st.Dim.Render(" SNI "+l(c.ServerName)))
	}
	w.blank()
}
