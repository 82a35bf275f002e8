package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// SSL describes the certificates seen on the target's addresses: where
// they came from when not from a handshake (Certificate Transparency, a
// TLS-intercepting proxy), each certificate once (Cert; the same one on
// another address is an "also on" row), then the addresses not contacted.
func SSL(f *recon.SSLFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	switch {
	case f.Intercepted != nil:
		out = append(out, recon.Row{Label: "intercepted", Level: recon.LevelYellow,
			Value: "TLS intercepted by a proxy on your network: the certificate presented was the proxy's (" + f.Intercepted.Issuer + "); the facts here come from Certificate Transparency"})
	case f.FromCT:
		out = append(out, info("source", "Certificate Transparency (passive-strict: the target was not contacted, no handshake)"))
	}
	seen := map[string]bool{}
	for _, c := range f.Certs {
		if c.SHA256 != "" && seen[c.SHA256] {
			out = append(out, recon.Row{Label: "also on", Value: c.Address})
			continue
		}
		seen[c.SHA256] = true
		rs := Cert(c)
		// The checks are of this handshake, so they go here, not in Cert.
		at := slices.IndexFunc(rs, func(r recon.Row) bool { return r.Label == "valid" }) + 1
		out = append(out, slices.Insert(rs, at, checks(c, f.FromCT))...)
	}
	for _, s := range f.Skipped {
		out = append(out, info("not contacted", s))
	}
	if len(f.Certs) == 0 && len(f.Skipped) == 0 {
		out = append(out, info("", "no certificate"))
	}
	return out
}

// Cert describes one certificate: address and SNI, subject, issuer,
// validity (coloured: expired red, under 14 days left yellow, else
// green; days as counted when it was scanned), fingerprints and SANs.
func Cert(c recon.CertFacts) []recon.Row {
	var out []recon.Row
	if c.Address != "" {
		sni := ""
		if c.ServerName != "" {
			sni = "SNI " + c.ServerName
		}
		out = append(out, recon.Row{Label: "address", Value: c.Address, Note: sni})
	}
	out = append(out, recon.Row{Label: "subject", Value: c.Subject}, recon.Row{Label: "issuer", Value: c.Issuer})
	valid := recon.Row{Label: "valid", Level: recon.LevelGreen,
		Value: fmt.Sprintf("%s → %s (%s left)", c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"), Count(c.DaysLeft, "day"))}
	switch {
	case c.Expired || c.DaysLeft < 0:
		valid.Level = recon.LevelRed
		valid.Value = fmt.Sprintf("%s → %s (expired)", c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"))
	case c.DaysLeft < 14:
		valid.Level = recon.LevelYellow
	}
	out = append(out, valid)
	if c.SHA256 != "" {
		out = append(out, recon.Row{Label: "sha256", Value: c.SHA256})
	}
	if c.PubkeySHA256 != "" {
		out = append(out, recon.Row{Label: "key sha256", Value: c.PubkeySHA256})
	}
	n := max(len(c.SANs), c.SANsTotal)
	out = append(out, recon.Row{Label: fmt.Sprintf("SANs (%d)", n), List: c.SANs, More: n - len(c.SANs)})
	return out
}

// checks says whether the handshake's certificate verified, and its
// problems (yellow); fromCT: not checked, there was no handshake.
func checks(c recon.CertFacts, fromCT bool) recon.Row {
	var checks []string
	lvl := recon.LevelNone
	switch {
	case fromCT:
		checks = append(checks, "not checked (taken from Certificate Transparency, no handshake)")
		lvl = recon.LevelInfo
	case c.Verified:
		checks = append(checks, "verified")
	case c.VerifyError != "":
		checks = append(checks, "does not verify: "+c.VerifyError)
		lvl = recon.LevelYellow
	default:
		checks = append(checks, "does not verify")
		lvl = recon.LevelYellow
	}
	if c.SelfSigned {
		checks = append(checks, "self-signed")
		lvl = recon.LevelYellow
	}
	if c.NameMismatch {
		checks = append(checks, "name mismatch")
		lvl = recon.LevelYellow
	}
	return recon.Row{Label: "checks", Value: strings.Join(checks, ", "), Level: lvl}
}
