package export

import (
	"encoding/csv"
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

// writeCSV writes one indicator (entity) per row. first_seen is when the
// scan that found it finished (a root: its own scan, else the session
// start); found_via lists "parent (relation)" for every place it appears.
func writeCSV(w io.Writer, s *pivot.Session, _ Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, e := range s.Entities() {
		var via []string
		var first time.Time
		seen := func(t time.Time) {
			if !t.IsZero() && (first.IsZero() || t.Before(first)) {
				first = t
			}
		}
		for _, id := range s.NodesOf(e.Key) {
			n := s.Node(id)
			if n.Parent == "" {
				via = pivot.AppendUniq(via, "root")
				seen(e.ScannedAt)
				seen(s.Created)
				continue
			}
			p := s.Node(n.Parent)
			if p == nil {
				continue
			}
			via = pivot.AppendUniq(via, p.Value+" ("+n.Relation+")")
			if p.Entity != nil {
				seen(p.Entity.ScannedAt)
			}
		}
		var sig []string
		for _, g := range signals(e) {
			sig = append(sig, levelWord(g.Level)+": "+g.Text)
		}
		row := []string{string(e.Kind), e.Value, stamp(first), strings.Join(via, "; "), levelName(e.Verdict()), strings.Join(sig, "; ")}
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
