// Package ctlog is the subdomains module: it asks Certificate Transparency
// search services (Cert Spotter, with crt.sh as the fallback) for the
// certificates issued under a domain and lists the names they cover.
//
// Its Client is also used by the ssl module in passive-strict mode, to read
// the newest certificate of a domain from CT instead of connecting to it.
// DecodeCertspotter and DecodeCrtsh parse the two services' JSON answers and
// never panic on hostile input.
package ctlog
