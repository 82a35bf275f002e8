package detail

import (
	"fmt"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
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
	// Reading, when set, says the session's reports are still being read
	// from its file ("120 of 300"): the node is shown without them, and
	// nothing is said of what they hold (no verdict, no shared values).
	Reading string
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
	if in.Reading != "" {
		w.line(st.Queued.Render("Reading the reports from the session file… " + in.Reading + " done."))
		w.blank()
		w.line(st.Dim.Render("Move through the tree meanwhile; a command key you press runs as soon as they are in place."))
		return w.done()
	}

	switch e.State {
	case pivot.StateRunning:
		if p := in.Progress; p != nil {
			w.line(st.Queued.Render(fmt.Sprintf("Scanning… %d of %d modules done.", len(p.Done), len(p.Done)+len(p.Pending))))
			for _, id := range p.Done {
				w.line("  ", st.Dim.Render("done     "), l(recon.Title(id)))
			}
			for _, id := range p.Pending {
				w.line("  ", st.Queued.Render("running  "+l(recon.Title(id))))
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
		certBlock(w, CertsOf(in.Session, n.Kind, n.Value))
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
				fmt.Sprintf("%s, score %.1f", render.Count(len(c.Members), "member"), c.Score), st.Dim.Render("  shares "+strings.Join(shares, ", ")))
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

func module(w *writer, e *pivot.Entity, id string, m *recon.ModuleResult, now time.Time) {
	st := w.st
	title := recon.Title(id)
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
	if rs, ok := render.Module(m, now); ok {
		rows(w, rs)
	} else {
		w.line("  ", st.Dim.Render("(facts of an unknown shape)"))
	}
	for _, s := range m.Signals {
		signal(w, e, s, false)
	}
	w.blank()
}

// rows lays out facts rows (package recon/render): a label column (5
// cells when every label is a DNS record type, else 12) and the value,
// coloured by the row's level (a remark dimmed), a list joined (at most
// detailListMax items, the rest counted), the note dimmed after it; a
// record's label beside its first value only; a remark that nothing was
// found on its own; a failed question in the error style.
func rows(w *writer, rs []recon.Row) {
	st := w.st
	lw := 5
	for _, r := range rs {
		if !r.Err && (len(r.Label) > 5 || strings.ToUpper(r.Label) != r.Label) {
			lw = 12
		}
	}
	for i, r := range rs {
		switch {
		case r.Err:
			w.line("  ", st.Status[recon.StatusError].Render(l(r.Label)+" failed: "), l(r.Value))
			continue
		case render.Nothing(r):
			w.line("  ", st.Dim.Render(l(r.Value)))
			continue
		}
		lab := r.Label
		if i > 0 && rs[i-1].Label == r.Label && !rs[i-1].Err {
			lab = ""
		}
		w.line(st.Label.Render(fmt.Sprintf("  %-*s ", lw, l(lab))), rowValue(st, r))
	}
}

// detailListMax is how many items of a list-valued row the pane names.
const detailListMax = 50

// rowValue is a row's value as shown: sanitised, coloured by its level,
// its list joined and its note dimmed after it.
func rowValue(st *styles.Styles, r recon.Row) string {
	v := l(r.Value)
	if len(r.List) > 0 || r.More > 0 {
		items := r.List[:min(len(r.List), detailListMax)]
		lst := ls(items)
		if left := len(r.List) - len(items) + r.More; left > 0 {
			lst += fmt.Sprintf(" … (+%d)", left)
		}
		v = strings.TrimSpace(v + " " + lst)
	}
	switch r.Level {
	case recon.LevelRed, recon.LevelYellow, recon.LevelGreen:
		v = st.Level[r.Level].Render(v)
	case recon.LevelInfo:
		v = st.Dim.Render(v)
	}
	if r.Note != "" {
		v = strings.TrimSpace(v + " " + st.Dim.Render(l(r.Note)))
	}
	return v
}
