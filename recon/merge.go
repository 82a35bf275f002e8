package recon

import "time"

// MergeReports returns a new report with base's module results, those of
// part replacing the modules part ran (the workbench runs chosen modules
// again), and the assessment recomputed at now. base may be nil: the
// result then holds part's modules alone. Neither input is modified: an
// attached report never changes, so a snapshot of the session being saved
// may still be reading base.
func MergeReports(base, part *Report, now time.Time) *Report {
	out := &Report{Target: part.Target, Modules: map[string]*ModuleResult{}, Started: part.Started, DurationMS: part.DurationMS}
	put := func(mods map[string]*ModuleResult) {
		for id, m := range mods {
			if m != nil {
				c := *m
				c.Signals = nil // Assess writes them anew
				out.Modules[id] = &c
			}
		}
	}
	if base != nil {
		out.Target, out.Started, out.DurationMS = base.Target, base.Started, base.DurationMS
		put(base.Modules)
	}
	put(part.Modules)
	Assess(out, now)
	return out
}
