package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/detail"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

// maxEvidenceLines bounds the evidence view (a 20 MB WHOIS answer is
// byte-capped by the module already; this keeps the view quick).
const maxEvidenceLines = 20000

// evidenceLines returns the raw evidence behind node n: the WHOIS (or
// RDAP) answer as received, the DNS answers in zone-file form, and the
// certificates in PEM; for a certificate or key node, the certificates of
// the session with that fingerprint. Every line is sanitised.
func (a *App) evidenceLines(n *pivot.Node) []string {
	st := a.st
	var out []string
	head := func(s string) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, st.H2.Render(s))
	}
	raw := func(s string) {
		for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			if len(out) >= maxEvidenceLines {
				out = append(out, st.Dim.Render("… cut here: the view shows the first "+itoa(maxEvidenceLines)+" lines"))
				return
			}
			out = append(out, sanitizeLine(strings.TrimRight(l, "\r")))
		}
	}
	if rep := n.Entity.Scan; rep != nil {
		if m := rep.Module(recon.ModuleWhois); m != nil {
			head("WHOIS — the answer as received")
			if f, ok := m.Facts.(*recon.WhoisFacts); ok && f.Raw != "" {
				if len(f.Servers) > 0 {
					out = append(out, st.Dim.Render("servers asked: "+sanitizeLine(strings.Join(f.Servers, " → "))))
				}
				raw(f.Raw)
			} else {
				out = append(out, st.Dim.Render("no raw answer kept ("+sanitizeLine(string(m.Status))+": "+sanitizeLine(m.Err)+")"))
			}
		}
		if m := rep.Module(recon.ModuleDNS); m != nil {
			if f, ok := m.Facts.(*recon.DNSFacts); ok {
				head("DNS — the answers, in zone-file form")
				raw(strings.Join(zoneLines(f), "\n"))
			}
		}
		if m := rep.Module(recon.ModuleSSL); m != nil {
			if f, ok := m.Facts.(*recon.SSLFacts); ok {
				for _, c := range f.Certs {
					certEvidence(a, &out, head, raw, c)
				}
			}
		}
	}
	if n.Kind == recon.PivotCert || n.Kind == recon.PivotPubkey {
		for _, c := range detail.CertsOf(a.s, n.Kind, n.Value) {
			certEvidence(a, &out, head, raw, c)
		}
	}
	if len(out) == 0 {
		out = append(out, st.Dim.Render("No raw evidence for this node: scan it first (enter), or pick a domain, IP or certificate."))
	}
	return out
}

func certEvidence(a *App, out *[]string, head func(string), raw func(string), c recon.CertFacts) {
	head("TLS certificate " + sanitizeLine(c.Address) + " (SNI " + sanitizeLine(c.ServerName) + ")")
	*out = append(*out,
		"subject  "+sanitizeLine(c.Subject),
		"issuer   "+sanitizeLine(c.Issuer),
		"valid    "+c.NotBefore.Format("2006-01-02")+" → "+c.NotAfter.Format("2006-01-02"),
		"sha256   "+sanitizeLine(c.SHA256),
		fmt.Sprintf("SANs     %d: %s", max(len(c.SANs), c.SANsTotal), sanitizeLine(strings.Join(c.SANs, ", "))))
	if c.PEM != "" {
		raw(c.PEM)
	} else {
		*out = append(*out, a.st.Dim.Render("no PEM kept for this certificate"))
	}
}

// zoneLines writes DNS facts as zone-file records.
func zoneLines(f *recon.DNSFacts) []string {
	name := strings.TrimSuffix(f.Name, ".") + "."
	var out []string
	rr := func(t string, vals ...string) {
		for _, v := range vals {
			out = append(out, fmt.Sprintf("%s  IN  %-5s %s", name, t, v))
		}
	}
	if f.NXDomain {
		out = append(out, "; "+name+" NXDOMAIN: the name does not exist")
	}
	rr("A", f.A...)
	rr("AAAA", f.AAAA...)
	rr("CNAME", f.CNAME...)
	for _, m := range f.MX {
		rr("MX", fmt.Sprintf("%d %s", m.Pref, m.Host))
	}
	rr("NS", f.NS...)
	for _, t := range f.TXT {
		rr("TXT", fmt.Sprintf("%q", t))
	}
	if f.SOA != nil {
		rr("SOA", fmt.Sprintf("%s %s %d", f.SOA.NS, f.SOA.Mbox, f.SOA.Serial))
	}
	for _, c := range f.CAA {
		rr("CAA", fmt.Sprintf("%d %s %q", c.Flag, c.Tag, c.Value))
	}
	rr("PTR", f.PTR...)
	for t, e := range f.Errors {
		out = append(out, "; "+t+" failed: "+e)
	}
	if len(out) == 0 {
		out = append(out, "; no records")
	}
	return out
}

// openEvidence shows the raw evidence of the selected node, scrollable.
func (a *App) openEvidence() tea.Cmd {
	n := a.tree.Selected()
	p := dialog.NewInfo(a.st, "evidence", "Evidence: "+sanitizeLine(n.Value), a.evidenceLines(n))
	p.Wrap = true
	p.Hint = "j/k scroll · space/pgdn page · g/G top/bottom · esc closes"
	a.open(p)
	return nil
}
