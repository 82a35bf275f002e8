// Package dnsmod is the dns module: the A, AAAA, CNAME, MX, NS, TXT, SOA and
// CAA records of a domain (or of an e-mail address's domain), and the PTR
// names of an IP address. Every question goes through recon.Run.Lookup, so
// other modules of the same scan share the answers.
package dnsmod
