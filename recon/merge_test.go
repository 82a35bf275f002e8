package recon

import (
	"testing"
	"time"
)

func TestMergeReports(t *testing.T) {
	tg := Target{Kind: KindDomain, Value: "example.com"}
	base := rep(map[string]any{ModuleWhois: &WhoisFacts{Created: days(3)}, ModuleHeaders: &HeadersFacts{}})
	base.Started, base.DurationMS = now.Add(-time.Hour), 1500
	base.Modules[ModuleHeaders].Status = StatusError
	Assess(base, now)
	baseSignals := len(base.Assessment.Signals)
	part := &Report{Target: tg, Started: now.Add(time.Minute), DurationMS: 80, Modules: map[string]*ModuleResult{
		ModuleHeaders: {Module: ModuleHeaders, Status: StatusOK, Facts: &HeadersFacts{StatusCode: 200}, Started: now.Add(time.Minute)},
	}}
	for _, tc := range []struct {
		name        string
		base        *Report
		wantModules int
		wantStarted time.Time
	}{
		{"part replaces the module it ran", base, 2, base.Started},
		{"no base: the part alone", nil, 1, part.Started},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MergeReports(tc.base, part, now)
			if len(got.Modules) != tc.wantModules || got.Target != tg || !got.Started.Equal(tc.wantStarted) {
				t.Fatalf("modules %d, target %v, started %v", len(got.Modules), got.Target, got.Started)
			}
			if h := got.Modules[ModuleHeaders]; h.Status != StatusOK || !h.Started.Equal(part.Started) || h == part.Modules[ModuleHeaders] {
				t.Errorf("headers %+v: not part's result, or part's own pointer", h)
			}
			if tc.base != nil && !hasRule(got, "young-domain") {
				t.Errorf("base's whois not assessed in the merge: %+v", got.Assessment.Signals)
			}
		})
	}
	if base.Modules[ModuleHeaders].Status != StatusError || len(base.Assessment.Signals) != baseSignals || part.Modules[ModuleHeaders].Signals != nil {
		t.Error("an input was modified")
	}
}

func hasRule(r *Report, id string) bool {
	for _, s := range r.Assessment.Signals {
		if s.Rule == id {
			return true
		}
	}
	return false
}
