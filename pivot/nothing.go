package pivot

import (
	"net/netip"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/cdn"
)

// The "says nothing" rule, in one place.
//
// Some values are shared by huge populations of unrelated domains: a CDN
// edge address, its network and its ASN; the public resolvers; the name
// servers of mass DNS hosting; a privacy/proxy service standing in for the
// registrant; an empty or unknown value. Two domains sharing such a value
// tells the analyst nothing about a common operator, so SaysNothing drops
// the value before clustering: it never links domains, never adds to a
// score and never appears in a cluster's Shared list.

// cdnASNs are networks whose addresses are shared edges: an address, its
// network and its ASN say nothing.
var cdnASNs = map[uint32]string{
	cdn.CloudflareASN: "Cloudflare (CDN)",
	209242:            "Cloudflare Spectrum (CDN)",
	54113:             "Fastly (CDN)",
	20940:             "Akamai (CDN)",
	16625:             "Akamai (CDN)",
	60068:             "CDN77 (CDN)",
}

// massASNs host so many unrelated customers that sharing the ASN says
// nothing (an address of theirs still can: an Elastic IP is one customer's).
var massASNs = map[uint32]string{
	16509:  "Amazon",
	14618:  "Amazon",
	15169:  "Google",
	396982: "Google Cloud",
	8075:   "Microsoft",
}

// publicResolvers are open resolvers that misconfigured or parked zones
// point at.
var publicResolvers = map[string]bool{
	"8.8.8.8": true, "8.8.4.4": true, "1.1.1.1": true, "1.0.0.1": true,
	"9.9.9.9": true, "149.112.112.112": true, "208.67.222.222": true,
	"208.67.220.220": true, "94.140.14.14": true, "94.140.15.15": true,
	"2001:4860:4860::8888": true, "2001:4860:4860::8844": true,
	"2606:4700:4700::1111": true, "2606:4700:4700::1001": true,
	"2620:fe::fe": true, "2620:fe::9": true,
}

// massNSSuffixes are the name-server domains of mass DNS hosting (and of
// registrars' default DNS and parking); "awsdns-" is matched as a label prefix.
var massNSSuffixes = []string{
	"ns.cloudflare.com", "cloudflare.com", "domaincontrol.com", "registrar-servers.com",
	"azure-dns.com", "azure-dns.net", "azure-dns.org", "azure-dns.info",
	"googledomains.com", "nsone.net", "dynect.net", "ultradns.com",
	"ultradns.net", "ultradns.org", "ultradns.biz", "akam.net", "name-services.com",
	"dnsmadeeasy.com", "digitalocean.com", "linode.com", "ns.hetzner.com",
	"ns.hetzner.de", "ovh.net", "gandi.net", "namebrightdns.com", "porkbun.com",
	"wixdns.net", "squarespacedns.com", "worldnic.com", "name.com", "hostgator.com",
	"bluehost.com", "dreamhost.com", "he.net", "afraid.org", "ui-dns.com",
	"ui-dns.de", "ui-dns.org", "ui-dns.biz", "parkingcrew.net", "sedoparking.com",
	"bodis.com", "above.com", "dns.jomax.net", "cloudns.net", "vercel-dns.com",
	"netlify.com", "nsone.com",
}

// privacyMarkers identify a privacy/proxy service or a redacted value in
// place of a registrar.
var privacyMarkers = []string{
	"domains by proxy", "privacy", "proxy", "whoisguard", "redacted",
	"withheld", "data protected", "not disclosed",
}

// unknownValues are placeholders that mean "we do not know".
var unknownValues = map[string]bool{
	"": true, "unknown": true, "n/a": true, "na": true, "none": true, "-": true,
	"null": true, "not available": true,
}

// SaysNothing reports why a value of one of the cluster key kinds ("ip",
// "net", "asn", "registrar", "ns", "cert", "pubkey", "email") is shared by
// too many unrelated domains to link them, or "" when it is meaningful.
// For "ns" the value is the comma-separated set; it says nothing when every
// host in it belongs to mass DNS hosting.
func SaysNothing(kind, value string) string {
	v := strings.ToLower(strings.TrimSpace(value))
	if unknownValues[v] {
		return "empty or unknown"
	}
	switch kind {
	case "ip":
		a, err := netip.ParseAddr(v)
		if err != nil {
			return "not an address"
		}
		a = a.Unmap()
		if why := recon.NonPublicReason(a); why != "" {
			return "non-public address (" + why + ")"
		}
		if publicResolvers[a.String()] {
			return "public resolver"
		}
		if p := cdn.Provider(a); p != "" {
			return "CDN edge (" + p + ")"
		}
	case "net":
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return "not a network"
		}
		if why := recon.NonPublicReason(p.Addr()); why != "" {
			return "non-public network (" + why + ")"
		}
		if pr := cdn.Provider(p.Addr()); pr != "" {
			return "CDN network (" + pr + ")"
		}
	case "asn":
		n := parseASN(v)
		if n == 0 {
			return "empty or unknown"
		}
		if who, ok := cdnASNs[n]; ok {
			return "CDN ASN " + who
		}
		if who, ok := massASNs[n]; ok {
			return "mass hosting ASN " + who
		}
		if n >= 64512 && n <= 65534 || n >= 4200000000 {
			return "private ASN"
		}
	case "registrar":
		for _, m := range privacyMarkers {
			if strings.Contains(v, m) {
				return "privacy/proxy service"
			}
		}
	case "ns":
		mass := 0
		hosts := strings.Split(v, ",")
		for _, h := range hosts {
			if massNS(h) {
				mass++
			}
		}
		if mass == len(hosts) {
			return "mass DNS hosting"
		}
	}
	return ""
}

// massNS reports whether a name-server host belongs to mass DNS hosting.
func massNS(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if h == "" {
		return true
	}
	if strings.HasPrefix(h, "awsdns-") || strings.Contains(h, ".awsdns-") {
		return true
	}
	for _, suf := range massNSSuffixes {
		if h == suf || strings.HasSuffix(h, "."+suf) {
			return true
		}
	}
	return false
}

// cdnASN reports whether an ASN is a CDN's, whose addresses are shared edges.
func cdnASN(n uint32) bool { _, ok := cdnASNs[n]; return ok }

// parseASN reads "AS13335", "as13335" or "13335"; 0 when it does not parse.
func parseASN(v string) uint32 {
	v = strings.TrimPrefix(strings.ToLower(v), "as")
	var n uint64
	if v == "" || len(v) > 10 {
		return 0
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<32-1 {
		return 0
	}
	return uint32(n)
}
