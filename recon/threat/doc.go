// Package threat is the threat module: blocklist listings of a target's
// domain and addresses, asked over DNS from the configured resolver
// (Spamhaus ZEN and DBL by default; the zones come from recon.Env), whether
// the hosting ASN is on an abuse-tolerant list (Spamhaus ASN-DROP, loaded with
// LoadASNDrop), and the optional keyed sources VirusTotal and AbuseIPDB.
//
// Blocklists answer errors with addresses too: 127.255.255.254 means "you
// asked through a public resolver" and is never a listing. Decode turns every
// answer into a listing, a refusal or a meaningless answer, from a table
// copied from the operators' documentation (see codes.go).
package threat
