package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// CSVHeader is the header row of the csv format.
var CSVHeader = []string{"type", "value", "first_seen", "found_via", "verdict", "signals"}

// csvCell returns s as a safe cell: control, bidi and invisible characters
// as visible escapes (a cell shown in a terminal or a spreadsheet cannot
// carry ESC sequences or span lines), then formula-neutralised.
func csvCell(s string) string { return neutralise(sanitize.Line(s)) }

// neutralise defuses spreadsheet formula injection: a cell starting with
// = + - @ tab or CR is prefixed with a single quote (OWASP CSV injection).
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvViaMax bounds the found_via cell below the 32,767 characters a
// spreadsheet cell holds (Excel and LibreOffice cut or split longer ones);
// the rest of the places are counted, and the json export has them all.
const csvViaMax = 30000

// writeCSV writes one indicator (entity) per row, streaming. first_seen is
// when the value entered the investigation (pivot.Entity.FirstSeen: the
// end of the scan that first found it; a root, the start of its first
// scan), which a rescan does not move; for an entity without one (a
// session built before it was recorded and never reloaded) it is the end
// of the earliest scan of a parent, and empty for a root never scanned.
// found_via lists "parent (relation)" for every place it appears, each once.
func writeCSV(w io.Writer, s *pivot.Session, o Options) error {
	x, err := newIndex(s, o)
	if err != nil {
		return err
	}
	// One pass over the nodes: the places of each entity.
	type place struct {
		parent int32
		rel    string
	}
	type placeKey struct {
		e, parent, rel int32 // rel: nodeWalk.relation
	}
	places := make([][]place, len(x.ents))
	isRoot := make([]bool, len(x.ents))
	parentScan := make([]time.Time, len(x.ents))
	seen := map[placeKey]struct{}{}
	walk := nodeWalk{s: s}
	for i, id := range s.NodeIDs() {
		if i%checkEvery == 0 {
			if err := o.cancelled(); err != nil {
				return err
			}
		}
		n := s.Node(id)
		if n == nil || n.Entity == nil {
			continue
		}
		e := x.pos[n.Entity]
		if n.Parent == "" {
			isRoot[e] = true
			continue
		}
		p := walk.parentOf(n.Parent)
		if p == nil || p.Entity == nil {
			continue
		}
		pl := place{x.pos[p.Entity], n.Relation}
		k := placeKey{e, pl.parent, walk.relation(n.Relation)}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		places[e] = append(places[e], pl)
		if t := p.Entity.ScannedAt; !t.IsZero() && (parentScan[e].IsZero() || t.Before(parentScan[e])) {
			parentScan[e] = t
		}
	}
	seen = nil

	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	var via strings.Builder
	for i, e := range x.ents {
		if i%checkEvery == 0 {
			if err := o.cancelled(); err != nil {
				return err
			}
		}
		via.Reset()
		if isRoot[i] {
			via.WriteString("root")
		}
		for j, pl := range places[i] {
			item := x.ents[pl.parent].Value + " (" + pl.rel + ")"
			if via.Len()+len(item) > csvViaMax {
				fmt.Fprintf(&via, "; … and %d more places (the json export lists them)", len(places[i])-j)
				break
			}
			if via.Len() > 0 {
				via.WriteString("; ")
			}
			via.WriteString(item)
		}
		first := e.FirstSeen
		if first.IsZero() && !isRoot[i] {
			first = parentScan[i]
		}
		var sig []string
		for _, g := range signals(e) {
			sig = append(sig, levelWord(g.Level)+": "+g.Text)
		}
		row := []string{string(e.Kind), e.Value, stamp(first), via.String(), levelName(e.Verdict()), strings.Join(sig, "; ")}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
