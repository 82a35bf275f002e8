package threat

import (
	"context"
	"net/netip"
	"regexp"
	"strings"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/geoip"
)

// outcome classifies a check for the module's status.
type outcome int

const (
	answered outcome = iota // listed or clean: the blocklist answered
	refused                 // the blocklist refused (127.255.255.254 ...)
	failed                  // SERVFAIL, timeout, nonsense answers
)

// IPQuery returns the DNSBL question for a in zone: reversed octets
// ("4.3.2.1.zen.spamhaus.org") or, for IPv6, 32 reversed nibbles.
func IPQuery(a netip.Addr, zone string) string {
	return geoip.ReverseName(a) + "." + strings.TrimSuffix(zone, ".")
}

// DomainQuery returns the DNSBL question for a domain in zone.
func DomainQuery(domain, zone string) string {
	return strings.TrimSuffix(domain, ".") + "." + strings.TrimSuffix(zone, ".")
}

var dateRe = regexp.MustCompile(`\b(19|20)\d\d-[01]\d-[0-3]\d\b`)

// check asks one question and decodes the answer.
func check(ctx context.Context, lookup geoip.LookupFunc, subject, zone, qname string) (recon.DNSBLCheck, outcome) {
	c := recon.DNSBLCheck{Subject: subject, Zone: strings.TrimSuffix(zone, ".")}
	m, err := lookup(ctx, qname, dns.TypeA)
	if err != nil {
		c.Result, c.Reason = recon.DNSBLUnknown, "lookup failed: "+err.Error()
		return c, failed
	}
	switch m.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		c.Result = recon.DNSBLClean
		return c, answered
	default:
		c.Result, c.Reason = recon.DNSBLUnknown, "the resolver answered "+dns.RcodeToString[m.Rcode]
		return c, failed
	}
	addrs := recon.AddrsOf(m)
	if len(addrs) == 0 {
		c.Result = recon.DNSBLClean // NOERROR without an A record: not listed
		return c, answered
	}
	var listings, policies int
	var refusal, nonsense []string
	for _, a := range addrs {
		c.Codes = append(c.Codes, a.String())
		code := Decode(zone, a)
		switch {
		case code.Refusal != "":
			refusal = append(refusal, a.String()+": "+code.Refusal)
		case code.Listing:
			listings++
			if code.Policy {
				policies++
			}
			c.Meanings = append(c.Meanings, code.Meaning)
		default:
			nonsense = append(nonsense, code.Meaning)
		}
	}
	switch {
	case len(refusal) > 0:
		// A refusal code means the answer says nothing about the subject,
		// even if other codes came with it.
		c.Result, c.Reason, c.Meanings = recon.DNSBLUnknown, "resolver refused ("+strings.Join(refusal, "; ")+")", nil
		c.Refused = true
		return c, refused
	case listings == 0:
		c.Result, c.Reason = recon.DNSBLUnknown, strings.Join(nonsense, "; ")
		return c, failed
	}
	c.Result = recon.DNSBLListed
	c.Policy = policies == listings
	if tm, err := lookup(ctx, qname, dns.TypeTXT); err == nil && tm.Rcode == dns.RcodeSuccess {
		var txts []string
		for _, rr := range tm.Answer {
			if t, ok := rr.(*dns.TXT); ok {
				txts = append(txts, strings.Join(t.Txt, ""))
			}
		}
		c.TXT = strings.Join(txts, " | ")
		if d := dateRe.FindString(c.TXT); d != "" {
			c.Since = d
		}
	}
	return c, answered
}
