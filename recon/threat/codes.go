package threat

import (
	"fmt"
	"net/netip"
	"strings"
)

// The return codes below are copied from the project's response corpus,
// dnsbl/return_codes.json, which quotes:
//   - Spamhaus "Available Zones" (docs.spamhaus.com …/040-zones.html) for ZEN,
//     DBL and ZRD codes;
//   - Spamhaus "DNSBL return codes: technical update" (spamhaus.org/news/article/788,
//     2019-09-30) for 127.255.255.254 and .255;
//   - securityzones.net "Error return codes for Spamhaus public mirrors" and
//     spamhaus.org/faq (DBL #291) for 127.255.255.252;
//   - the SURBL lists page (multi.surbl.org bitmask: 8 PH, 16 MW, 64 ABUSE, 128 CR);
//   - uribl.com/refused.shtml for 127.0.0.1 "Query Refused".
// Wording follows those pages; the short forms are ours.

// Code is the meaning of one DNSBL answer.
type Code struct {
	Meaning string // e.g. "SBL: Spamhaus Block List"
	Listing bool   // a reputation listing (false: an error or refusal)
	Policy  bool   // a policy listing (PBL), not a sign of abuse
	// Refusal is set for answers that mean the query was refused or wrong
	// (127.255.255.x, 127.0.1.255, 127.0.0.1): the result is unknown.
	Refusal string
}

var zenCodes = map[string]Code{
	"127.0.0.2":  {Meaning: "SBL: Spamhaus Block List", Listing: true},
	"127.0.0.3":  {Meaning: "CSS: Spamhaus CSS (automated SBL listing)", Listing: true},
	"127.0.0.4":  {Meaning: "XBL: Exploits Block List (compromised host)", Listing: true},
	"127.0.0.5":  {Meaning: "XBL: Exploits Block List (compromised host)", Listing: true},
	"127.0.0.6":  {Meaning: "XBL: Exploits Block List (compromised host)", Listing: true},
	"127.0.0.7":  {Meaning: "XBL: Exploits Block List (compromised host)", Listing: true},
	"127.0.0.9":  {Meaning: "DROP: Spamhaus Don't Route Or Peer list", Listing: true},
	"127.0.0.10": {Meaning: "PBL: policy block list, entry maintained by the ISP (end-user range; policy, not abuse)", Listing: true, Policy: true},
	"127.0.0.11": {Meaning: "PBL: policy block list, entry maintained by Spamhaus (end-user range; policy, not abuse)", Listing: true, Policy: true},
	"127.0.0.20": {Meaning: "AuthBL: Spamhaus AuthBL", Listing: true},
	"127.0.0.30": {Meaning: "BCL: Spamhaus Botnet Controller List", Listing: true},
}

var dblCodes = map[string]Code{
	"127.0.1.2":   {Meaning: "DBL: low-reputation domain (spam)", Listing: true},
	"127.0.1.4":   {Meaning: "DBL: phishing-related domain", Listing: true},
	"127.0.1.5":   {Meaning: "DBL: malware-related domain", Listing: true},
	"127.0.1.6":   {Meaning: "DBL: botnet C&C domain", Listing: true},
	"127.0.1.102": {Meaning: "DBL: abused-legit domain", Listing: true},
	"127.0.1.103": {Meaning: "DBL: abused redirector", Listing: true},
	"127.0.1.104": {Meaning: "DBL: abused domain used in phishing", Listing: true},
	"127.0.1.105": {Meaning: "DBL: abused domain used by malware", Listing: true},
	"127.0.1.106": {Meaning: "DBL: abused domain hosting C&C", Listing: true},
}

// refusals apply to every zone.
var refusals = map[string]string{
	"127.255.255.252": "typing error in DNSBL name",
	"127.255.255.254": "public/open resolver",
	"127.255.255.255": "excessive number of queries",
	"127.0.0.1":       "query refused",
	"127.0.1.255":     "IP queries not allowed on a domain list",
}

var surblBits = []struct {
	bit  uint8
	name string
}{
	{8, "SURBL PH: phishing"},
	{16, "SURBL MW: malware"},
	{64, "SURBL ABUSE: abuse"},
	{128, "SURBL CR: cracked content"},
}

type family int

const (
	famOther family = iota
	famZen
	famDBL
	famZRD
	famSURBL
)

func familyOf(zone string) family {
	zone = strings.ToLower(strings.TrimSuffix(zone, "."))
	labels := strings.Split(zone, ".")
	has := func(l string) bool {
		for _, x := range labels {
			if x == l {
				return true
			}
		}
		return false
	}
	switch {
	case strings.Contains(zone, "surbl."):
		return famSURBL
	case strings.Contains(zone, "spamhaus."):
		switch {
		case has("dbl"):
			return famDBL
		case has("zrd"):
			return famZRD
		case has("zen"), has("sbl"), has("xbl"), has("pbl"), has("sbl-xbl"), has("authbl"):
			return famZen
		}
	}
	return famOther
}

// Decode explains the answer a from zone. Any answer inside 127.0.0.0/8
// other than 127.0.0.1 and the documented error codes is a listing, with the
// documented meaning when the zone is known; answers outside 127.0.0.0/8
// (a resolver that rewrites NXDOMAIN) are neither listings nor refusals.
func Decode(zone string, a netip.Addr) Code {
	a = a.Unmap()
	s := a.String()
	if why, ok := refusals[s]; ok {
		return Code{Refusal: why}
	}
	if !a.Is4() || a.As4()[0] != 127 {
		return Code{Meaning: "answer " + s + " is outside 127.0.0.0/8: not a blocklist code (does the resolver rewrite NXDOMAIN?)"}
	}
	if b := a.As4(); b[1] == 255 && b[2] == 255 {
		return Code{Refusal: "DNSBL error code " + s}
	}
	switch familyOf(zone) {
	case famZen:
		if c, ok := zenCodes[s]; ok {
			return c
		}
	case famDBL:
		if c, ok := dblCodes[s]; ok {
			return c
		}
	case famZRD:
		if b := a.As4(); b[1] == 0 && b[2] == 2 && b[3] >= 2 && b[3] <= 24 {
			lo := int(b[3]) - 1
			if b[3] == 2 {
				lo = 0
			}
			return Code{Meaning: fmt.Sprintf("ZRD: domain first seen between %d and %d hours ago", lo, b[3]), Listing: true}
		}
	case famSURBL:
		var names []string
		last := a.As4()[3]
		for _, b := range surblBits {
			if last&b.bit != 0 {
				names = append(names, b.name)
			}
		}
		if len(names) > 0 {
			return Code{Meaning: strings.Join(names, ", "), Listing: true}
		}
	}
	return Code{Meaning: "listed (code " + s + " not in our table)", Listing: true}
}
