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
		want [][2]string
	}{
		{"a record's values on one line, capped", []recon.Row{
			{Label: "AAAA", Value: "a"}, {Label: "AAAA", Value: "b"}, {Label: "AAAA", Value: "c"}, {Label: "AAAA", Value: "d"}, {Label: "AAAA", Value: "e"},
			{Label: "CNAME", Value: "x."}, {Label: "CNAME", Value: "y."},
		}, [][2]string{{"AAAA", "a, b, c, d … (+1)"}, {"CNAME", "x. → y."}}},
		{"TXT one line each, the rest counted", txt, [][2]string{
			{"TXT", "t0"}, {"TXT", "t1"}, {"TXT", "t2"}, {"TXT", "t3"}, {"TXT", "t4"}, {"TXT", "t5"}, {"", "… 2 more TXT"}}},
		{"warnings and errors keep their own lines", []recon.Row{
			{Label: "NXDOMAIN", Value: "the name does not exist", Level: recon.LevelYellow},
			{Label: "a", Value: "timeout", Err: true},
		}, [][2]string{{"NXDOMAIN", "the name does not exist"}, {"a error", "timeout"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textRows(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("textRows = %q, want %q", got, tt.want)
			}
		})
	}
}
