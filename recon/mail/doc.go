// Package mail is the email module: whether a domain receives mail (MX, null
// MX), how it authenticates mail (SPF, DMARC, MTA-STS, TLS-RPT), and whether
// someone else can send mail in its name (Spoofable, with the reason in
// words, and a stable Posture key for clustering).
//
// ParseSPF and ParseDMARC parse single records without any network access;
// they never panic and report problems in the record's Errors.
package mail
