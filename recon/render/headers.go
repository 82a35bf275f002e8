package render

import (
	"fmt"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// Headers describes the site's HTTP response and page: the URL (and where
// it ended), the security headers present (green) and missing (yellow),
// server and technology, Cloudflare (yellow: the address is not the
// origin; "no" only when the site answered: without an answer nothing was
// looked at), then the page fingerprints (title, page hash, analytics
// IDs, favicon, verification tokens).
func Headers(f *recon.HeadersFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	add := func(r recon.Row) { out = append(out, r) }
	u := recon.Row{Label: "URL", Value: f.URL}
	if f.FinalURL != "" && f.FinalURL != f.URL {
		u.Value += " → " + f.FinalURL
	}
	if f.StatusCode != 0 {
		u.Note = fmt.Sprintf("HTTP %d", f.StatusCode)
	}
	add(u)
	if f.HTTPSError != "" {
		from := " (these facts come from http://)"
		if f.StatusCode == 0 {
			from = " (http:// did not answer either)"
		}
		add(recon.Row{Label: "https", Value: "failed: " + f.HTTPSError + from, Level: recon.LevelYellow})
	}
	var present, missing []string
	for _, h := range f.Security {
		if h.Present {
			present = append(present, h.Name)
		} else {
			missing = append(missing, h.Name)
		}
	}
	if len(present) > 0 {
		add(recon.Row{Label: "present", List: present, Level: recon.LevelGreen})
	}
	if len(missing) > 0 {
		add(recon.Row{Label: "missing", List: missing, Level: recon.LevelYellow})
	}
	if f.Server != "" {
		add(recon.Row{Label: "server", Value: f.Server})
	}
	if f.PoweredBy != "" {
		add(recon.Row{Label: "powered by", Value: f.PoweredBy})
	}
	if len(f.Tech) > 0 {
		add(recon.Row{Label: "tech", List: f.Tech})
	}
	switch {
	case f.Cloudflare:
		add(recon.Row{Label: "Cloudflare", Value: "yes", Note: paren(f.CloudflareEvidence), Level: recon.LevelYellow})
	case f.StatusCode != 0:
		// Only an answer can say "no": without one nothing was looked at.
		add(recon.Row{Label: "Cloudflare", Value: "no"})
	}
	if f.Parking != "" {
		add(recon.Row{Label: "parking", Value: "a parking or for-sale page", Note: paren(f.Parking), Level: recon.LevelYellow})
	}
	if f.Title != "" {
		add(recon.Row{Label: "title", Value: f.Title})
	}
	if s := fingerprint.PageLine(f); s != "" {
		add(recon.Row{Label: "page hash", Value: s})
	}
	for _, a := range f.Analytics {
		add(recon.Row{Label: "analytics", Value: fingerprint.AnalyticsLine(a)})
	}
	if s := fingerprint.FaviconLine(f); s != "" {
		add(recon.Row{Label: "favicon", Value: s})
	}
	for _, v := range f.Verifications {
		add(recon.Row{Label: "verification", Value: fingerprint.VerifyLine(v)})
	}
	return out
}
