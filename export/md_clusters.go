package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
)

// writeClusters writes each cluster with its members and shared values.
func (r *mdReport) writeClusters() error {
	m := r.m
	clusters := r.clusters
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
	return nil
}

// writeTimeline writes the registration timeline.
func (r *mdReport) writeTimeline() error {
	m := r.m
	profiles := r.profiles
	clusters := r.clusters
	m.ln("## Registration timeline")
	m.ln()
	tl, left := timelineRows(profiles, clusters)
	m.table([]string{"Created", "Domain", "Registrar", "Gap (days)", "Window cluster"}, tl)
	m.cutNote(left, "registrations", "the timeline stops at the first "+fmt.Sprint(mdRowsMax))
	return nil
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
