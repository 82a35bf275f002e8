// filter.go holds what the tree shows and in which order: the filters
// (Filter, a node shown when it or a descendant matches) and the orders of
// children (Sort).

package treeview

import (
	"slices"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// Filter says which nodes the tree shows; a node is shown when it
// matches or one of its descendants does (so the path to it stays).
type Filter int

// The filters, in the order the filter picker offers them.
const (
	FilterAll       Filter = iota
	FilterFlagged          // red or yellow verdict
	FilterUnscanned        // scannable and not scanned yet
	FilterScanned          // scanned
	FilterDomains          // domains, subdomains and e-mail addresses
	FilterAddresses        // IPs, networks and ASNs
	FilterShared           // registrars, name servers, mail hosts, certificates, keys
	FilterNotes            // nodes with notes
	numFilters
)

// FilterNames are the filters' names, shown in the picker and the title.
var FilterNames = [numFilters]string{"all nodes", "red and yellow only", "unscanned only", "scanned only",
	"domains and e-mail only", "IPs, networks, ASNs only", "registrars, NS, MX, certificates, fingerprints", "nodes with notes"}

// filterShort are the filters' names in the tree's title.
var filterShort = [numFilters]string{"", "red/yellow", "unscanned", "scanned", "domains", "addresses", "shared values", "notes"}

// Sort orders the children of every node.
type Sort int

// The orders S cycles through.
const (
	SortTree    Sort = iota // as found
	SortVerdict             // red, yellow, green, none
	SortName                // by value
	SortKind                // by kind, then value
	numSorts
)

// SortNames are the orders' names.
var SortNames = [numSorts]string{"as found", "by verdict", "by name", "by kind"}

// SetFilter shows only the nodes f matches (and the paths to them).
func (m *Model) SetFilter(f Filter) {
	if f >= 0 && f < numFilters && f != m.filter {
		id := m.SelectedID()
		m.filter = f
		m.dirty = true
		m.keep(id)
	}
}

// Filter returns the current filter.
func (m *Model) Filter() Filter { return m.filter }

// CycleSort switches to the next order of children and returns it.
func (m *Model) CycleSort() Sort {
	id := m.SelectedID()
	m.sort = (m.sort + 1) % numSorts
	m.dirty = true
	m.keep(id)
	return m.sort
}

// matches reports whether node n passes the filter by itself.
func (m *Model) matches(n *pivot.Node) bool {
	e := n.Entity
	switch m.filter {
	case FilterFlagged:
		v := e.Verdict()
		return v == recon.LevelRed || v == recon.LevelYellow
	case FilterUnscanned:
		return pivot.Scannable(n.Kind) && e.Scan == nil
	case FilterScanned:
		return e.Scan != nil
	case FilterDomains:
		return n.Kind == recon.PivotDomain || n.Kind == recon.PivotSubdomain || n.Kind == recon.PivotEmail
	case FilterAddresses:
		return n.Kind == recon.PivotIP || n.Kind == recon.PivotNetwork || n.Kind == recon.PivotASN
	case FilterShared:
		switch n.Kind {
		case recon.PivotRegistrar, recon.PivotNS, recon.PivotMX, recon.PivotCert, recon.PivotPubkey,
			recon.PivotAnalytics, recon.PivotFavicon, recon.PivotPage, recon.PivotVerify:
			return true
		}
		return false
	case FilterNotes:
		return len(e.Notes) > 0
	}
	return true
}

// visibleSet returns the nodes a filter shows (nil: all): those that
// match and their ancestors.
func (m *Model) visibleSet() map[string]bool {
	if m.filter == FilterAll {
		return nil
	}
	vis := map[string]bool{}
	for _, id := range m.s.NodeIDs() {
		n := m.s.Node(id)
		if n == nil || vis[id] || !m.matches(n) {
			continue
		}
		for p := n; p != nil && !vis[p.ID]; p = m.s.Node(p.Parent) {
			vis[p.ID] = true
			if p.Parent == "" {
				break
			}
		}
	}
	return vis
}

// sorted returns the children of n in the current order.
func (m *Model) sorted(kids []string) []string {
	if m.sort == SortTree || len(kids) < 2 {
		return kids
	}
	out := slices.Clone(kids)
	rank := map[recon.Level]int{recon.LevelRed: 0, recon.LevelYellow: 1, recon.LevelGreen: 2}
	lvl := func(n *pivot.Node) int {
		if r, ok := rank[n.Entity.Verdict()]; ok {
			return r
		}
		return 3
	}
	slices.SortStableFunc(out, func(a, b string) int {
		na, nb := m.s.Node(a), m.s.Node(b)
		if na == nil || nb == nil {
			return 0
		}
		switch m.sort {
		case SortVerdict:
			if c := lvl(na) - lvl(nb); c != 0 {
				return c
			}
		case SortKind:
			if c := strings.Compare(Tag(na.Kind), Tag(nb.Kind)); c != 0 {
				return c
			}
		}
		return strings.Compare(strings.ToLower(na.Value), strings.ToLower(nb.Value))
	})
	return out
}
