package pivot

import (
	"slices"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestEntityKeySplit(t *testing.T) {
	for _, tc := range []struct {
		key   EntityKey
		kind  recon.PivotKind
		value string
	}{
		{KeyOf(recon.PivotDomain, "Nova-Parcels.com"), recon.PivotDomain, "nova-parcels.com"},
		{KeyOf(recon.PivotSubdomain, "a.nova-parcels.com"), recon.PivotDomain, "a.nova-parcels.com"},
		{KeyOf(recon.PivotIP, "2a01:4f8::1"), recon.PivotIP, "2a01:4f8::1"},
		{KeyOf(recon.PivotAnalytics, "ga:UA-1"), recon.PivotAnalytics, "ga:ua-1"},
		{"no-kind", "", "no-kind"},
	} {
		if kind, value := tc.key.Split(); kind != tc.kind || value != tc.value {
			t.Errorf("%q.Split() = %q, %q; want %q, %q", tc.key, kind, value, tc.kind, tc.value)
		}
	}
}

func TestEntityBusy(t *testing.T) {
	for st, want := range map[State]bool{StateNone: false, StateQueued: true, StateRunning: true, StateDone: false, StateFailed: false} {
		if got := (&Entity{State: st}).Busy(); got != want {
			t.Errorf("%q: Busy() = %v", st, got)
		}
	}
}

func TestEntityFalsePositive(t *testing.T) {
	young := recon.Signal{Rule: "young-domain", Text: "registered 3 days ago"}
	other := recon.Signal{Rule: "young-domain", Text: "registered 5 days ago"}
	for _, tc := range []struct {
		name  string
		marks map[string]string
		s     recon.Signal
		why   string
		ok    bool
	}{
		{"no marks", nil, young, "", false},
		{"the signal", map[string]string{SignalFalsePositive(young): "known"}, young, "known", true},
		{"another signal of the rule", map[string]string{SignalFalsePositive(young): "known"}, other, "", false},
		{"the whole rule", map[string]string{"young-domain": "all of them"}, other, "all of them", true},
		{"the signal before the rule", map[string]string{"young-domain": "rule", SignalFalsePositive(young): "signal"}, young, "signal", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			why, ok := (&Entity{FalsePositives: tc.marks}).FalsePositive(tc.s)
			if why != tc.why || ok != tc.ok {
				t.Errorf("FalsePositive = %q, %v; want %q, %v", why, ok, tc.why, tc.ok)
			}
		})
	}
}

func TestNodesOfMember(t *testing.T) {
	s := sessionOf(novaParcels)
	mail := s.AddRoot(recon.Target{Kind: recon.KindEmail, Value: "Ops@Nova-Shop.example"})
	for _, tc := range []struct {
		key  EntityKey
		want []string
	}{
		{KeyOf(recon.PivotDomain, "nova-parcels.com"), []string{s.Roots()[0]}},
		{KeyOf(recon.PivotDomain, "nova-shop.example"), []string{mail.ID}}, // only an address at it
		{KeyOf(recon.PivotDomain, "elsewhere.example"), nil},
		{KeyOf(recon.PivotIP, "185.220.101.47"), s.NodesOf(KeyOf(recon.PivotIP, "185.220.101.47"))},
	} {
		if got := s.NodesOfMember(tc.key); !slices.Equal(got, tc.want) {
			t.Errorf("NodesOfMember(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}
