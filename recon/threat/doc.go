// Package threat is the threat module: blocklist listings of a target's
// domain and addresses, asked over DNS from the configured resolver
// (Spamhaus ZEN and DBL by default; the zones come from recon.Env), whether
// the hosting ASN is on an abuse-tolerant list (Spamhaus ASN-DROP, loaded with
// LoadASNDrop), and the optional keyed sources VirusTotal and AbuseIPDB.
//
// Blocklists answer errors with addresses too: 127.255.255.254 means "you
// asked through a public resolver" and is never a listing. Decode turns every
// answer into a listing, a refusal or a meaningless answer, from a table
// copied from the operators' documentation (see codes.go). Before trusting
// a list, a scan asks its RFC 5782 test points once per Env (testpoints.go);
// when the resolver's answers are wrong it asks another way: with the
// Spamhaus DQS key when one is set, else the zone's own name servers.
// ZoneTest makes the same check for doctor.
package threat
