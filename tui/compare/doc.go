// Package compare puts the scanned domains of a session side by side: a
// comparison matrix (one row per domain, one column per pivot attribute,
// equal values marked with the same glyph and colour) and a registration
// timeline (domains on a time axis by WHOIS creation date and first CT
// issuance, registration-window clusters bracketed).
//
// Profiles are pivot.Profile, the one per-domain extraction from the typed
// facts that clusters and the Markdown report (package export) share.
package compare
