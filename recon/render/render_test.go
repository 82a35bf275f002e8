package render

import (
	"reflect"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestDNSRows(t *testing.T) {
	tests := []struct {
		name string
		f    *recon.DNSFacts
		want []recon.Row
	}{
		{"nil", nil, nil},
		{"nxdomain and a failed question", &recon.DNSFacts{NXDomain: true, Errors: map[string]string{"txt": "timeout", "mx": "refused"}},
			[]recon.Row{
				{Label: "NXDOMAIN", Value: "the name does not exist", Level: recon.LevelYellow},
				{Label: "mx", Value: "refused", Err: true},
				{Label: "txt", Value: "timeout", Err: true},
			}},
		{"records in display order, one row per value", &recon.DNSFacts{
			PTR: []string{"h.example."}, NS: []string{"a.ns", "b.ns"}, A: []string{"192.0.2.1", "192.0.2.2"},
			MX: []recon.MXRecord{{Pref: 10, Host: "mx.example"}}, SOA: &recon.SOARecord{NS: "a.ns", Mbox: "host.example", Serial: 7},
			CAA: []recon.CAARecord{{Flag: 0, Tag: "issue", Value: "letsencrypt.org"}},
		}, []recon.Row{
			{Label: "A", Value: "192.0.2.1"}, {Label: "A", Value: "192.0.2.2"},
			{Label: "MX", Value: "10 mx.example"},
			{Label: "NS", Value: "a.ns"}, {Label: "NS", Value: "b.ns"},
			{Label: "SOA", Value: "a.ns host.example serial 7"},
			{Label: "CAA", Value: `0 issue "letsencrypt.org"`},
			{Label: "PTR", Value: "h.example."},
		}},
		{"no record at all, then the failed questions", &recon.DNSFacts{Errors: map[string]string{"A": "SERVFAIL"}}, []recon.Row{
			{Label: "", Value: "no records in the answers that came back", Level: recon.LevelInfo},
			{Label: "A", Value: "SERVFAIL", Err: true},
		}},
		{"no record, every question answered", &recon.DNSFacts{Name: "empty.example"}, []recon.Row{
			{Label: "", Value: "no records", Level: recon.LevelInfo},
		}},
		{"rewriting resolver", &recon.DNSFacts{Rewritten: []string{"1", "2", "3", "4", "5"}}, []recon.Row{
			{Label: "rewritten", Level: recon.LevelYellow, Value: "the resolver answered 1, 2, 3, 4 … (+1) anyway (NXDOMAIN rewriting): not scanned as an address of the name"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DNS(tt.f)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DNS() =\n%v\nwant\n%v", got, tt.want)
			}
			if r, ok := Rows(tt.f, time.Time{}); !ok || !reflect.DeepEqual(r, got) {
				t.Errorf("Rows(*DNSFacts) = %v, %v; want DNS's rows", r, ok)
			}
		})
	}
	if _, ok := Rows(struct{}{}, time.Time{}); ok {
		t.Error("Rows claims a renderer for an unknown type")
	}
}

// TestCount: the one plural of the program (the rows, the detail pane and
// the workbench's toasts count with it).
func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n          int
		word, want string
	}{
		{1, "entity", "1 entity"}, {2, "entity", "2 entities"}, {0, "name", "0 names"}, {1, "name", "1 name"},
		{3, "day", "3 days"}, {1, "day", "1 day"}, {2, "address", "2 addresses"}, {1, "scan", "1 scan"}, {4078, "scan", "4078 scans"},
		{2, "key", "2 keys"}, {12, "month", "12 months"},
	} {
		if got := Count(tc.n, tc.word); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.word, got, tc.want)
		}
	}
}
