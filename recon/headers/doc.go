// Package headers is the headers module: one GET of https://DOMAIN/ (then
// http:// once if HTTPS fails) through the Env's HTTP client, recording the
// redirect hops, the security headers, Server and X-Powered-By, the
// technology stack (wappalyzergo's fingerprints, matched through an index:
// tech.go, techfilter.go), whether Cloudflare fronts the site and
// whether the page is a parking page (recon.ParkingPage); then the page's operator fingerprints (fingerprints.go: title, body hash,
// analytics IDs, verification meta tags, and the favicon, fetched and
// hashed), read by recon/fingerprint.
//
// The Env's transport dials through Env.Dial, so in real mode every hop of a
// redirect chain is refused when it points at a non-public address. The
// certificate is verified as usual: a site whose certificate does not verify
// is read over http:// instead and HTTPSError says why (the ssl module
// reports the certificate itself).
package headers
