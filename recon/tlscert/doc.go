// Package tlscert is the ssl module: it does a TLS handshake with each of
// the target's addresses on port 443 (with the domain as SNI), reads the
// leaf certificate even when it does not verify, then verifies it on its
// own and records what is wrong with it (expired, self-signed, name
// mismatch, unknown authority).
//
// For an IP target the handshake is done without SNI and the certificate is
// checked against the IP address itself; its SANs become domain pivots, which
// is how an investigator gets from a bare IP to the names it serves.
//
// In passive-strict mode it connects to nothing: the newest certificate of
// the domain is read from Certificate Transparency (Cert Spotter, through
// recon/ctlog) and the facts say so (FromCT).
package tlscert
