package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// Column is one column of the comparison matrix.
type Column int

// The matrix columns, in display order.
const (
	ColDomain Column = iota
	ColIP
	ColNet
	ColASN
	ColRegistrar
	ColNS
	ColCert
	ColRegistered
	ColEmail
	ColAnalytics
	ColFavicon
	ColPage
	ColVerify
	ColVerdict
	NumColumns
)

// Titles are the column headers.
var Titles = [NumColumns]string{"Domain", "IP", "/24", "ASN", "Registrar", "NS set", "Certificate", "Registered", "E-mail posture",
	"Analytics", "Favicon", "Page", "Verification", "Verdict"}

// clusterKind is the pivot cluster key kind of a column (for SaysNothing),
// "" when none applies.
var clusterKind = [NumColumns]string{ColIP: "ip", ColNet: "net", ColASN: "asn", ColRegistrar: "registrar", ColNS: "ns", ColCert: "cert", ColEmail: "email",
	ColAnalytics: "analytics", ColFavicon: "favicon", ColPage: "page", ColVerify: "verify"}

// Glyph values of a Cell other than a shared value's number.
const (
	Unique      = 0  // only its row has the value
	SaysNothing = -1 // shared, but by too many unrelated domains to mean anything (CDN, mass hosting, privacy service)
)

// Cell is one value of one row in one column.
type Cell struct {
	Key    string // what is compared (lower case)
	Text   string // what is shown in the matrix (unsanitised)
	Detail string // the full value, shown under the table (AS and its name, the whole NS set, the whole fingerprint)
	// Glyph is 1 for the column's first value shared by several rows (A),
	// 2 for the second (B), ...; or Unique or SaysNothing.
	Glyph int
	Why   string // for SaysNothing: why
}

// Table is the comparison matrix of a set of profiles. Glyphs are given in
// the order of Profiles, so sorting the rows never changes them.
type Table struct {
	Profiles []Profile
	Cells    [][NumColumns][]Cell // per row, per column
	// Groups are the registration-window groups: sets of at least two
	// profiles (indexes) created within Window of the group's first.
	Groups [][]int
	Window time.Duration
}

// ShortFP is the short certificate fingerprint shown in the matrix.
func ShortFP(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// Day formats a date.
func Day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Build compares ps. window groups registration dates (pivot.DefaultWindow
// when zero or negative).
func Build(ps []Profile, window time.Duration) *Table {
	if window <= 0 {
		window = pivot.DefaultWindow
	}
	t := &Table{Profiles: ps, Cells: make([][NumColumns][]Cell, len(ps)), Window: window}
	for i, p := range ps {
		c := &t.Cells[i]
		c[ColDomain] = []Cell{{Key: p.Domain, Text: p.Domain}}
		for _, ip := range p.IPs {
			c[ColIP] = append(c[ColIP], Cell{Key: ip, Text: ip})
		}
		for _, n := range p.Nets {
			c[ColNet] = append(c[ColNet], Cell{Key: n, Text: n})
		}
		for _, a := range p.ASNs {
			c[ColASN] = append(c[ColASN], Cell{Key: strings.ToLower(a), Text: a, Detail: strings.TrimSpace(a + " " + p.ASOrgs[a])})
		}
		if p.Registrar != "" {
			c[ColRegistrar] = []Cell{{Key: strings.ToLower(p.Registrar), Text: p.Registrar}}
		}
		if len(p.NS) > 0 {
			set := strings.Join(p.NS, ",")
			txt := p.NS[0]
			if len(p.NS) > 1 {
				txt += fmt.Sprintf(" (+%d)", len(p.NS)-1)
			}
			c[ColNS] = []Cell{{Key: set, Text: txt, Detail: set}}
		}
		for _, sha := range p.Certs {
			if sha != "" {
				c[ColCert] = append(c[ColCert], Cell{Key: sha, Text: ShortFP(sha), Detail: sha})
			}
		}
		if p.Created != nil {
			d := Day(*p.Created)
			c[ColRegistered] = []Cell{{Key: "day:" + d, Text: d}}
		}
		if p.Posture != "" {
			c[ColEmail] = []Cell{{Key: strings.ToLower(p.Posture), Text: p.Posture}}
		}
		fingerprintCells(c, p)
		c[ColVerdict] = []Cell{{Key: string(p.Verdict), Text: verdictWord(p)}}
	}
	// Registration windows: a group's members share its key.
	t.Groups = windowGroups(ps, window)
	for _, g := range t.Groups {
		first, last := ps[g[0]].Created, ps[g[len(g)-1]].Created
		key := "window:" + Day(*first) + ".." + Day(*last)
		for _, i := range g {
			t.Cells[i][ColRegistered][0].Key = key
		}
	}
	for col := ColIP; col < ColVerdict; col++ {
		t.assign(col)
	}
	return t
}

func verdictWord(p Profile) string {
	if p.Verdict == "" {
		return "—"
	}
	return string(p.Verdict)
}

// assign gives each value held by two or more rows its glyph, in row order.
func (t *Table) assign(col Column) {
	holders := map[string]map[int]bool{}
	for i := range t.Cells {
		for _, c := range t.Cells[i][col] {
			if holders[c.Key] == nil {
				holders[c.Key] = map[int]bool{}
			}
			holders[c.Key][i] = true
		}
	}
	glyph := map[string]int{}
	next := 1
	for i := range t.Cells {
		cells := t.Cells[i][col]
		for j := range cells {
			c := &cells[j]
			if len(holders[c.Key]) < 2 {
				c.Glyph, c.Why = Unique, ""
				continue
			}
			if c.Why != "" { // known to say nothing (a stock page)
				c.Glyph = SaysNothing
				continue
			}
			if k := clusterKind[col]; k != "" {
				if why := pivot.SaysNothing(k, c.Key); why != "" {
					c.Glyph, c.Why = SaysNothing, why
					continue
				}
			}
			g, ok := glyph[c.Key]
			if !ok {
				g = next
				glyph[c.Key] = g
				next++
			}
			c.Glyph = g
		}
	}
}

// windowGroups returns runs of at least two profiles whose creation dates
// lie within window of the run's first, in date order.
func windowGroups(ps []Profile, window time.Duration) [][]int {
	var dated []int
	for i, p := range ps {
		if p.Created != nil {
			dated = append(dated, i)
		}
	}
	slices.SortStableFunc(dated, func(a, b int) int { return ps[a].Created.Compare(*ps[b].Created) })
	var out [][]int
	for i := 0; i < len(dated); {
		j := i + 1
		for j < len(dated) && ps[dated[j]].Created.Sub(*ps[dated[i]].Created) <= window {
			j++
		}
		if j-i >= 2 {
			out = append(out, slices.Clone(dated[i:j]))
		}
		i = j
	}
	return out
}

// GlyphText returns the marker of glyph g: A..Z, then a..z, then *; "~"
// for SaysNothing and " " for Unique.
func GlyphText(g int) string {
	switch {
	case g == SaysNothing:
		return "~"
	case g <= 0:
		return " "
	case g <= 26:
		return string(rune('A' + g - 1))
	case g <= 52:
		return string(rune('a' + g - 27))
	}
	return "*"
}

// Order returns the row indexes sorted by col (descending when desc), ties
// and empty cells (always last) kept in profile order.
func (t *Table) Order(col Column, desc bool) []int {
	idx := make([]int, len(t.Profiles))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ea, eb := len(t.Cells[a][col]) == 0, len(t.Cells[b][col]) == 0
		if ea || eb {
			return cmpBool(ea, eb)
		}
		c := t.compare(col, a, b)
		if desc {
			c = -c
		}
		return c
	})
	return idx
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func (t *Table) compare(col Column, a, b int) int {
	pa, pb := t.Profiles[a], t.Profiles[b]
	switch col {
	case ColRegistered:
		return pa.Created.Compare(*pb.Created)
	case ColVerdict:
		return cmp.Compare(pa.Verdict.Rank(), pb.Verdict.Rank())
	case ColIP, ColNet:
		return compareAddr(t.Cells[a][col][0].Key, t.Cells[b][col][0].Key)
	}
	return strings.Compare(strings.ToLower(t.Cells[a][col][0].Text), strings.ToLower(t.Cells[b][col][0].Text))
}

// Share is one value every marked row has.
type Share struct {
	Col  Column
	Cell Cell
}

// Shared returns, column by column, the values all of rows have (at least
// two rows); a registration window counts as a shared value.
func (t *Table) Shared(rows []int) []Share {
	if len(rows) < 2 {
		return nil
	}
	var out []Share
	for col := ColIP; col < ColVerdict; col++ {
		for _, c := range t.Cells[rows[0]][col] {
			all := true
			for _, r := range rows[1:] {
				if !slices.ContainsFunc(t.Cells[r][col], func(x Cell) bool { return x.Key == c.Key }) {
					all = false
					break
				}
			}
			if all {
				out = append(out, Share{Col: col, Cell: c})
			}
		}
	}
	return out
}

// fingerprintCells fills the operator-fingerprint columns of one row:
// analytics IDs, the favicon's Shodan hash, the page hash and the
// verification tokens. A stock page carries its Why from the start (the
// weights need the session to know it).
func fingerprintCells(c *[NumColumns][]Cell, p Profile) {
	for _, a := range p.Analytics {
		c[ColAnalytics] = append(c[ColAnalytics], Cell{Key: strings.ToLower(a), Text: a})
	}
	if p.Favicon != "" {
		d := "Shodan http.favicon.hash " + p.Favicon
		if p.FaviconDefault != "" {
			d += " (stock icon of " + p.FaviconDefault + ")"
		}
		c[ColFavicon] = []Cell{{Key: p.Favicon, Text: p.Favicon, Detail: d}}
	}
	if p.PageHash != "" {
		cell := Cell{Key: p.PageHash, Text: ShortFP(p.PageHash), Detail: p.PageHash}
		if p.Title != "" {
			cell.Detail += " · " + p.Title
		}
		switch {
		case p.PageDefault != "":
			cell.Why = "a " + p.PageDefault + ": every fresh install serves it"
		case p.PageSize < fingerprint.MinPageSize:
			cell.Why = "a near-empty page"
		}
		c[ColPage] = []Cell{cell}
	}
	for _, v := range p.Verify {
		cell := Cell{Key: strings.ToLower(v), Text: v}
		if sc := p.VerifyScope[v]; sc != "" {
			cell.Detail = v + " (" + fingerprint.ScopeWords(sc) + ")"
		}
		c[ColVerify] = append(c[ColVerify], cell)
	}
}
