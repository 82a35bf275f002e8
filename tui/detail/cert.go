package detail

import (
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/render"
)

// CertsOf returns the certificates the session's scans saw with SHA-256
// (kind cert) or public-key SHA-256 (kind pubkey) value, one per
// fingerprint.
func CertsOf(s *pivot.Session, kind recon.PivotKind, value string) []recon.CertFacts {
	var out []recon.CertFacts
	seen := map[string]bool{}
	v := strings.ToLower(value)
	for _, e := range s.Entities() {
		if e.Scan == nil {
			continue
		}
		m := e.Scan.Module(recon.ModuleSSL)
		if m == nil {
			continue
		}
		f, ok := m.Facts.(*recon.SSLFacts)
		if !ok {
			continue
		}
		for _, c := range f.Certs {
			k := strings.ToLower(c.SHA256)
			if kind == recon.PivotPubkey {
				k = strings.ToLower(c.PubkeySHA256)
			}
			if k == v && !seen[c.SHA256] {
				seen[c.SHA256] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// certBlock shows the certificates behind a certificate or key node.
func certBlock(w *writer, cs []recon.CertFacts) {
	st := w.st
	w.line(st.H2.Render("Certificate"), st.Dim.Render("  w shows the PEM"))
	if len(cs) == 0 {
		w.line("  ", st.Dim.Render("no scan of this session kept the certificate's details"))
	}
	for _, c := range cs {
		rows(w, render.Cert(c))
	}
	w.blank()
}
