package render

import (
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// Whois describes registration data: a platform's record first (yellow),
// then whether the name is registered (free: yellow and nothing else; no
// registry answered: "unknown", never "free"), then the registrar, the
// dates (with their age counted from now), name servers, status, privacy
// ("unknown" when the record holds no registrant data, as a thin registry
// record), registrant and where the record came from.
func Whois(f *recon.WhoisFacts, now time.Time) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	add := func(r recon.Row) { out = append(out, r) }
	if f.Platform != "" {
		add(recon.Row{Label: "platform", Level: recon.LevelYellow,
			Value: "a site under " + f.Platform + ": WHOIS describes the platform's domain " + f.Domain + ", not the site's owner (not used for verdicts or clusters)"})
	}
	switch f.State() {
	case recon.RegFree:
		add(recon.Row{Label: "registered", Value: "no — the registry says the name is free", Level: recon.LevelYellow})
		return out
	case recon.RegUnknown:
		add(info("registered", "unknown — no registry answered; this says nothing about the name"))
		if f.Registrar == "" && f.Created == nil {
			return out
		}
	}
	var ids []string
	if f.RegistrarIANAID != "" {
		ids = append(ids, "IANA "+f.RegistrarIANAID)
	}
	if f.RegistrarHandle != "" {
		ids = append(ids, "registry handle "+f.RegistrarHandle)
	}
	add(recon.Row{Label: "registrar", Value: f.Registrar, Note: paren(strings.Join(ids, ", "))})
	date := func(label string, t *time.Time) {
		r := recon.Row{Label: label, Value: day(t)}
		if t != nil {
			r.Note = paren(Ago(now, *t))
		}
		add(r)
	}
	date("created", f.Created)
	if f.Updated != nil {
		date("updated", f.Updated)
	}
	date("expires", f.Expires)
	if len(f.NameServers) > 0 {
		add(recon.Row{Label: "name servers", List: f.NameServers})
	}
	if len(f.Status) > 0 {
		add(recon.Row{Label: "status", List: f.Status})
	}
	switch {
	case f.Privacy:
		add(recon.Row{Label: "privacy", Value: "yes", Note: paren(f.PrivacyEvidence)})
	case f.RegistrantRead:
		add(recon.Row{Label: "privacy", Value: "no"})
	default:
		add(info("privacy", "unknown — the record read holds no registrant data"))
	}
	if r := strings.TrimSpace(f.RegistrantOrg + " " + f.RegistrantCountry); r != "" {
		add(recon.Row{Label: "registrant", Value: r})
	}
	if f.Source != "" || len(f.Servers) > 0 {
		via := ""
		if len(f.Servers) > 0 {
			via = "via " + strings.Join(f.Servers, " → ")
		}
		add(recon.Row{Label: "source", Value: f.Source, Note: via})
	}
	return out
}
