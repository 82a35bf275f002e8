// Package recon runs the passive reconnaissance of one target: it parses the
// input (ParseTarget), runs the modules concurrently (Scanner), and rolls
// their typed facts into the Overall Assessment (Assess, Rules).
//
// Every module reaches the network only through an Env: the resolver
// address, the dialer, the HTTP client, the WHOIS server, the GeoIP readers
// and the API base URLs. The lab (recon/lab) builds an Env whose addresses
// are loopback servers; real mode builds one that points at the public
// services. recon imports nothing of the terminal UI.
package recon
