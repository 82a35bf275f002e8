package export

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// Operator fingerprints in STIX 2.1. A favicon is a file: its SHA-256 under
// "SHA-256" and Shodan's hash under the custom hash key
// "x_shodan_favicon_mmh3" (hashes-type allows custom keys). STIX has no
// object for an analytics ID, a verification token or a page kit, so each
// becomes a note on the domains that carry it, saying what it is and what
// sharing it means.

var hexSHA256 = regexp.MustCompile(`^[a-f0-9]{64}$`)

// faviconFacts gathers, per Shodan hash, the icon facts of the scans.
func faviconFacts(ents []*pivot.Entity) map[string]*recon.FaviconFacts {
	out := map[string]*recon.FaviconFacts{}
	for _, e := range ents {
		if e.Scan == nil {
			continue
		}
		if h := recon.FactsOf[recon.HeadersFacts](e.Scan, recon.ModuleHeaders); h != nil && h.Favicon != nil {
			k := strconv.FormatInt(int64(h.Favicon.ShodanHash), 10)
			if out[k] == nil {
				out[k] = h.Favicon
			}
		}
	}
	return out
}

// faviconObject is the file SCO of a favicon entity (value: Shodan hash).
func faviconObject(hash string, f *recon.FaviconFacts) *stixObject {
	if _, err := strconv.ParseInt(hash, 10, 32); err != nil {
		return nil
	}
	hashes := map[string]any{"x_shodan_favicon_mmh3": hash}
	props := map[string]any{}
	if f != nil {
		if sha := strings.ToLower(f.SHA256); hexSHA256.MatchString(sha) {
			hashes["SHA-256"] = sha
		}
		if f.Size > 0 {
			props["size"] = f.Size
		}
		if ct := sanitize.Line(strings.TrimSpace(strings.SplitN(f.ContentType, ";", 2)[0])); ct != "" {
			props["mime_type"] = ct
		}
	}
	return sco("file", map[string]any{"hashes": hashes, "name": "favicon"}, props)
}

// fingerprintNotes adds a note per analytics ID, verification token and
// page hash of the session, referring to the domains that carry it.
func (b *stixBuilder) fingerprintNotes(ents []*pivot.Entity) {
	for _, e := range ents {
		var what string
		switch e.Kind {
		case recon.PivotAnalytics:
			what = "Analytics/advertising ID " + e.Value
		case recon.PivotVerify:
			what = "Site-verification token " + e.Value
		case recon.PivotPage:
			what = "Normalised page hash (SHA-256) " + e.Value
		default:
			continue
		}
		var refs, names []string
		stock := ""
		for _, k := range b.s.Sharing(e.Kind, e.Value) {
			o := b.s.Entity(k)
			if o == nil || o.Key == e.Key || b.ofEntity[o].id == "" {
				continue
			}
			refs = pivot.AppendUniq(refs, b.ofEntity[o].id)
			names = append(names, o.Value)
			if h := recon.FactsOf[recon.HeadersFacts](o.Scan, recon.ModuleHeaders); h != nil && e.Kind == recon.PivotPage && h.PageDefault != "" {
				stock = h.PageDefault
			}
		}
		if len(refs) == 0 {
			continue
		}
		_, why := pivot.Weigh(string(e.Kind), e.Value, nil)
		if stock != "" {
			why = "a " + stock + ", which every fresh install serves: says nothing"
		}
		no := b.sdo("note", sdoID("note", "fingerprint", string(e.Key)), b.created, b.modified)
		no.set("abstract", sanitize.Line(what))
		no.set("content", sanitize.Text(fmt.Sprintf("%s found on %s. If shared: %s.", what, strings.Join(names, ", "), why)))
		no.set("labels", []string{"netspecter", "fingerprint", string(e.Kind)})
		no.set("object_refs", refs)
		b.add(no)
	}
}
