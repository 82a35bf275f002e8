package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

// writeNotes writes the analyst's notes and false positives.
func (r *mdReport) writeNotes() error {
	m := r.m
	ents := r.ents
	m.ln("## Analyst notes")
	m.ln()
	var notes, fps [][]string
	nNotes, nFPs := 0, 0
	for _, e := range ents {
		for _, n := range e.Notes {
			if nNotes++; len(notes) < mdRowsMax {
				notes = append(notes, []string{md(e.Value), cell(stamp(n.At)), cell(n.Text)})
			}
		}
		keys := make([]string, 0, len(e.FalsePositives))
		for k := range e.FalsePositives {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if nFPs++; len(fps) < mdRowsMax {
				fps = append(fps, []string{md(e.Value), md(k), cell(e.FalsePositives[k])})
			}
		}
	}
	if len(notes) == 0 {
		m.ln("No notes.")
		m.ln()
	} else {
		m.table([]string{"Entity", "At", "Note"}, notes)
		m.cutNote(nNotes-len(notes), "notes", "the json export holds them all")
	}
	m.ln("### False positives")
	m.ln()
	if len(fps) == 0 {
		m.ln("None marked.")
		m.ln()
	} else {
		m.table([]string{"Entity", "Rule", "Why"}, fps)
		m.cutNote(nFPs-len(fps), "false positives", "the json export holds them all")
	}
	return nil
}

// writeEvidence writes the raw evidence appendix.
func (r *mdReport) writeEvidence() error {
	m := r.m
	o := r.o
	scannedEnts := r.scanned
	m.ln("## Evidence appendix")
	m.ln()
	m.ln("Raw evidence as received, with control characters shown as escapes. Times are UTC.")
	m.ln()
	shownCerts := map[string]string{}
	for k, i := range r.order {
		if k == mdSectionsMax {
			m.cutNote(len(r.order)-k, "scanned entities' evidence", "the json export holds all raw evidence")
			break
		}
		if err := o.cancelled(); err != nil {
			return err
		}
		evidence(m, scannedEnts[i], shownCerts)
	}
	return nil
}

// evidence writes the raw evidence of a scanned entity. A certificate
// already shown for another entity (shownCerts: SHA-256 → that entity) is
// referred to, not repeated.
func evidence(m *mdWriter, e *pivot.Entity, shownCerts map[string]string) {
	r := e.Scan
	var blocks []struct{ title, body string }
	add := func(title, body string) {
		if strings.TrimSpace(body) != "" {
			blocks = append(blocks, struct{ title, body string }{title, body})
		}
	}
	if x := r.Module(recon.ModuleWhois); x != nil {
		if w, _ := x.Facts.(*recon.WhoisFacts); w != nil {
			src := w.Source
			if len(w.Servers) > 0 {
				src += " from " + strings.Join(w.Servers, " → ")
			}
			add(fmt.Sprintf("WHOIS (%s), fetched %s", src, stamp(x.Started)), w.Raw)
		}
	}
	if x := r.Module(recon.ModuleSSL); x != nil {
		if sf, _ := x.Facts.(*recon.SSLFacts); sf != nil {
			seen := map[string]bool{}
			for _, c := range sf.Certs {
				if seen[c.SHA256] || c.PEM == "" {
					continue
				}
				seen[c.SHA256] = true
				if other, ok := shownCerts[c.SHA256]; ok {
					add(fmt.Sprintf("Certificate from %s (SNI %s, SHA-256 %s)", c.Address, c.ServerName, c.SHA256), "the same certificate as shown above for "+other)
					continue
				}
				shownCerts[c.SHA256] = e.Value
				add(fmt.Sprintf("Certificate from %s (SNI %s, SHA-256 %s), fetched %s", c.Address, c.ServerName, c.SHA256, stamp(x.Started)), c.PEM)
			}
		}
	}
	if x := r.Module(recon.ModuleHeaders); x != nil {
		if h, _ := x.Facts.(*recon.HeadersFacts); h != nil && len(h.Raw) > 0 {
			names := make([]string, 0, len(h.Raw))
			for k := range h.Raw {
				names = append(names, k)
			}
			sort.Strings(names)
			var b strings.Builder
			if h.StatusCode != 0 {
				fmt.Fprintf(&b, "HTTP %d %s\n", h.StatusCode, firstNonEmpty(h.FinalURL, h.URL))
			}
			for _, k := range names {
				for _, v := range h.Raw[k] {
					b.WriteString(k + ": " + v + "\n")
				}
			}
			add(fmt.Sprintf("HTTP headers of %s, fetched %s", firstNonEmpty(h.FinalURL, h.URL), stamp(x.Started)), b.String())
		}
	}
	if x := r.Module(recon.ModuleDNS); x != nil {
		if d, _ := x.Facts.(*recon.DNSFacts); d != nil && len(d.TXT) > 0 {
			add(fmt.Sprintf("TXT records, fetched %s", stamp(x.Started)), strings.Join(d.TXT, "\n"))
		}
	}
	if len(blocks) == 0 {
		return
	}
	m.f("### %s\n\n", md(e.Value))
	for _, b := range blocks {
		body := strings.TrimRight(sanitize.Text(b.body), "\n")
		f := fence(body)
		m.f("#### %s\n\n%stext\n%s\n%s\n\n", md(b.title), f, body, f)
	}
}
