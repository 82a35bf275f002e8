// Package compare puts the scanned domains of a session side by side: a
// comparison matrix (one row per domain, one column per pivot attribute,
// equal values marked with the same glyph and colour) and a registration
// timeline (domains on a time axis by WHOIS creation date and first CT
// issuance, registration-window clusters bracketed).
//
// Profiles are read from the typed facts with recon.FactsOf. export/model.go
// builds similar per-domain profiles for the Markdown report; its type is
// unexported, so the extraction is repeated here (keep the two in step, or
// move both to pivot).
package compare
