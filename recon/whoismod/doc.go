// Package whoismod is the whois module: registration data of a domain from
// port-43 WHOIS, walked by referral (IANA → registry → registrar) with
// likexian/whois over the Env's dialer, parsed with likexian/whois-parser
// plus a little glue (dates, privacy, rate limits, "not found"), and RDAP as
// the fallback when WHOIS gives nothing usable.
//
// Every read is bounded: a WHOIS answer by Env.Limits.MaxWhois bytes and by
// the module's context, an RDAP body by Env.Limits.MaxBody. A rate-limit
// answer is reported as recon.StatusRateLimited, never as "not registered".
package whoismod
