// Package ctlog is the subdomains module: it asks Certificate Transparency
// search services (Cert Spotter, with crt.sh as the fallback) for the
// certificates issued under a domain and lists the names they cover, and
// the certificates that also cover other registrable domains (CoIssued: a
// certificate issued for several domains at once links them).
//
// Its Client is also used by the ssl module in passive-strict mode, to read
// the newest certificate of a domain from CT instead of connecting to it.
// DecodeCertspotter and DecodeCrtsh parse the two services' JSON answers and
// never panic on hostile input.
package ctlog
