package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// writeAbout writes the title and the "About this report" table.
func (r *mdReport) writeAbout() error {
	m := r.m
	s := r.s
	o := r.o
	ents := r.ents
	scannedEnts := r.scanned
	m.ln("# NetSpecter investigation report")
	m.ln()
	var roots []string
	for _, id := range s.Roots() {
		if n := s.Node(id); n != nil {
			roots = append(roots, n.Value)
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
	return nil
}

// writeAssessments writes the overall assessment of each scanned entity
// (red first when they do not all fit) and a table of the others.
func (r *mdReport) writeAssessments() error {
	m := r.m
	o := r.o
	scannedEnts := r.scanned
	m.ln("## Overall assessments")
	m.ln()
	if len(scannedEnts) == 0 {
		m.ln("Nothing has been scanned yet.")
		m.ln()
	}
	r.order = byVerdict(len(scannedEnts), func(i int) recon.Level { return scannedEnts[i].Verdict() })
	if len(r.order) <= mdSectionsMax {
		r.order = r.order[:0]
		for i := range scannedEnts {
			r.order = append(r.order, i) // all fit: session order
		}
	}
	var rest [][]string
	for k, i := range r.order {
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
		m.cutNote(len(r.order)-mdSectionsMax-len(rest), "scanned entities", "the csv export lists every verdict and signal")
	}
	return nil
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
		if why, ok := e.FalsePositive(g); ok {
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
