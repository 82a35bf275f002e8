package main

import (
	"fmt"
	"slices"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestTextRows(t *testing.T) {
	var txt []recon.Row
	for i := range 8 {
		txt = append(txt, recon.Row{Label: "TXT", Value: fmt.Sprint("t", i)})
	}
	tests := []struct {
		name string
		in   []recon.Row
		want []textLine
	}{
		{"a record's values on one line, capped", []recon.Row{
			{Label: "AAAA", Value: "a"}, {Label: "AAAA", Value: "b"}, {Label: "AAAA", Value: "c"}, {Label: "AAAA", Value: "d"}, {Label: "AAAA", Value: "e"},
			{Label: "CNAME", Value: "x."}, {Label: "CNAME", Value: "y."},
		}, []textLine{{Label: "AAAA", Value: "a, b, c, d … (+1)"}, {Label: "CNAME", Value: "x. → y."}}},
		{"TXT one line each, the rest counted", txt, []textLine{
			{Label: "TXT", Value: "t0"}, {Label: "TXT", Value: "t1"}, {Label: "TXT", Value: "t2"}, {Label: "TXT", Value: "t3"},
			{Label: "TXT", Value: "t4"}, {Label: "TXT", Value: "t5"}, {Value: "… 2 more TXT", Level: recon.LevelInfo}}},
		{"warnings and errors keep their own lines", []recon.Row{
			{Label: "NXDOMAIN", Value: "the name does not exist", Level: recon.LevelYellow},
			{Label: "a", Value: "timeout", Err: true},
		}, []textLine{{Label: "NXDOMAIN", Value: "the name does not exist", Level: recon.LevelYellow},
			{Label: "a error", Value: "timeout", Level: recon.LevelRed}}},
		{"a list-valued row on one line, capped, counting what was cut before", []recon.Row{
			{Label: "SANs (14)", List: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}, More: 2},
			{Label: "name servers", List: []string{"a", "b"}, Note: "(2)"},
			{Label: "", Value: "no certificate", Level: recon.LevelInfo},
		}, []textLine{
			{Label: "SANs (14)", Value: "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 … (+4)"},
			{Label: "name servers", Value: "a, b", Note: "(2)"},
			{Value: "no certificate", Level: recon.LevelInfo},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textRows(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("textRows = %q, want %q", got, tt.want)
			}
		})
	}
}
