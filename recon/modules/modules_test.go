package modules

import (
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

// TestAllMatchesDeclarations checks that the Full Scan runs exactly the
// declared modules, in their declared order, each applying to the declared
// target kinds and touching the world as declared.
func TestAllMatchesDeclarations(t *testing.T) {
	all := All()
	if len(all) != len(recon.Modules) {
		t.Fatalf("All has %d modules, recon.Modules declares %d", len(all), len(recon.Modules))
	}
	for i, m := range all {
		d := recon.Modules[i]
		if m.ID() != d.ID {
			t.Errorf("module %d is %q, declared %q", i, m.ID(), d.ID)
		}
		if m.Touch() != d.Touch {
			t.Errorf("%s touches %q, declared %q", d.ID, m.Touch(), d.Touch)
		}
		for _, k := range []recon.Kind{recon.KindDomain, recon.KindEmail, recon.KindIP} {
			if m.Applies(k) != d.Applies(k) {
				t.Errorf("%s applies to %s: %v, declared %v", d.ID, k, m.Applies(k), d.Applies(k))
			}
		}
		if d.Title == "" || d.NewFacts == nil || d.NewFacts() == nil {
			t.Errorf("%s: declaration lacks a title or facts type", d.ID)
		}
	}
}
