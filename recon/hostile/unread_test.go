package hostile

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/render"
)

// TestUnreadIsNoFinding scans every hostile domain (20 MB WHOIS, 1 GB CT,
// header bomb, redirect loop, TLS stall, DNS garbage, inward addresses)
// plain and under network faults, and checks that no module which did not
// end ok states a finding about what it could not read: no rendered row
// says none, no, clean, free, missing, expired or 0, and no fact in the
// JSON is false or 0 where nothing answered.
func TestUnreadIsNoFinding(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the hostile world three times")
	}
	w := loadWorld(t)
	for _, faults := range []string{"", "block=443,block=43", "resolver=refused"} {
		t.Run("faults="+faults, func(t *testing.T) {
			var opts lab.Options
			if faults != "" {
				f, err := lab.ParseFaults(faults)
				if err != nil {
					t.Fatal(err)
				}
				opts.Faults = f
			}
			env := startLab(t, w, opts).Env()
			shortLimits(env)
			var targets []recon.Target
			for _, d := range domains(w) {
				targets = append(targets, target(t, d))
			}
			for name, rep := range scanAll(env, targets) {
				for _, id := range recon.SortedModuleIDs(rep) {
					m := rep.Modules[id]
					if m.Status == recon.StatusOK {
						continue
					}
					// Read, though the module failed: the headers of the
					// answer it got (a redirect loop's 302), the addresses
					// it would not contact.
					if h, ok := m.Facts.(*recon.HeadersFacts); ok && h.StatusCode != 0 {
						continue
					}
					if s, ok := m.Facts.(*recon.SSLFacts); ok && len(s.Skipped) > 0 && len(s.Certs) == 0 {
						continue
					}
					rows, _ := render.Module(m, time.Now())
					for _, r := range rows {
						if w := absence(r); w != "" && !r.Err {
							t.Errorf("%s/%s (%s): row %q %q states %q", name, id, m.Status, r.Label, r.Value, w)
						}
					}
					b, _ := json.Marshal(m.Facts)
					for _, bad := range []string{`"cloudflare":false`, `"total":0`, `"certs":[]`, `"hosts":[]`, `"ips":[]`} {
						if strings.Contains(string(b), bad) {
							t.Errorf("%s/%s (%s): facts carry %s: %s", name, id, m.Status, bad, b)
						}
					}
					if e, ok := m.Facts.(*recon.EmailFacts); ok && e.SpoofUnknown() && strings.Contains(string(b), `"spoofable"`) {
						t.Errorf("%s/email: spoofable written though unknown: %s", name, b)
					}
				}
			}
		})
	}
}

// absence returns the word of r that states that something is absent or
// clean, or "".
func absence(r recon.Row) string {
	v := strings.ToLower(r.Value)
	for _, w := range []string{"no", "none", "clean", "free", "missing", "expired", "none known", "no certificate", "no records"} {
		if v == w || strings.HasPrefix(v, w+" ") || strings.HasSuffix(v, ": "+w) {
			return w
		}
	}
	if strings.HasPrefix(v, "0 ") {
		return "0"
	}
	return ""
}
