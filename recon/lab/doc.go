// Package lab is an offline internet embedded in the binary: loopback
// servers that speak the real protocols (DNS with the DNSBL and Team Cymru
// zones, port-43 WHOIS with one listener per WHOIS server name, TLS and HTTP
// per world IP, the Certspotter, crt.sh, InternetDB and RDAP HTTP APIs, and
// GeoLite2-shaped .mmdb files), all answering from a World file.
//
// Start a lab with Start and hand Lab.Env to the scanner: every address in
// that Env points at a lab server, and its dialer refuses anything that is not
// one, so a lab scan never leaves 127.0.0.1. The same modules, parsers and
// pivots run against the lab as against the internet: only addresses differ.
//
// The world format is documented in testdata/lab/README.md; Demo returns the
// embedded demo world (the nova-parcels cluster plus two contrast domains).
//
// A world can also be hostile (testdata/lab/hostile.json): raw bytes in
// every network string (byte_escapes), huge WHOIS and CT answers streamed
// without being held in memory, header bombs, redirect loops, stalled TLS
// handshakes, unparsable DNS answers, API rate limits (429 with
// Retry-After, logged by Lab.Requests) and names pointing at non-public
// addresses, which the lab dialer refuses as the real guarded dialer does.
// Options.Faults (see ParseFaults) drops, SERVFAILs and delays answers
// reproducibly.
package lab
