package detail

import (
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// TestRowsLayout: the label column is narrow only for DNS record types; a
// record's label stands beside its first value; a remark that nothing
// was found has no label; a failed question says so; lists are joined and
// counted; every string is sanitised.
func TestRowsLayout(t *testing.T) {
	many := make([]string, detailListMax+3)
	for i := range many {
		many[i] = "n"
	}
	for _, tt := range []struct {
		name string
		in   []recon.Row
		want []string
	}{
		{"record types: a 5-cell column", []recon.Row{
			{Label: "A", Value: "192.0.2.1"}, {Label: "NS", Value: "a.ns"}, {Label: "NS", Value: "b.ns"}, {Label: "txt", Value: "SERVFAIL", Err: true},
		}, []string{"  A     192.0.2.1", "  NS    a.ns", "        b.ns", "  txt failed: SERVFAIL"}},
		{"words: a 12-cell column, a note after the value", []recon.Row{
			{Label: "registrar", Value: "NameCheap, Inc.", Note: "(IANA 1068)"}, {Label: "verify", Value: "google x"},
		}, []string{"  registrar    NameCheap, Inc. (IANA 1068)", "  verify       google x"}},
		{"a remark that nothing was found, a list cut twice", []recon.Row{
			{Value: "no certificate", Level: recon.LevelInfo},
			{Label: "SANs (60)", List: many, More: 7},
		}, []string{"  no certificate", "  SANs (60)    " + strings.TrimSuffix(strings.Repeat("n, ", detailListMax), ", ") + " … (+10)"}},
		{"hostile strings are escaped", []recon.Row{{Label: "title", Value: "\x1b[2Jx", Note: "\a"}},
			[]string{`  title        \x1b[2Jx \x07`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := &writer{st: styles.Default(), w: 1000}
			rows(w, tt.in)
			if got := strings.Join(w.lines, "\n"); got != strings.Join(tt.want, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}
