package recon

import (
	"fmt"
	"net/netip"
	"strings"
)

// Parked domains: a name registered but not in use, pointed at a parking
// service that shows ads or a "for sale" page. Recognised three ways: the
// name servers (ParkingNS), the address (ParkingAddr) or the page
// (ParkingPage). Sources: the parking and aftermarket services' own set-up
// pages (Sedo, Bodis, ParkingCrew, Above, Afternic, Dan.com, Namecheap,
// GoDaddy), 2025-10; parking addresses as those services publish them or as
// passive DNS shows them for their parking host names, 2025-10.

// ParkingNSSuffixes map name-server domain suffixes to parking services.
var ParkingNSSuffixes = map[string]string{
	"sedoparking.com":           "Sedo parking",
	"bodis.com":                 "Bodis",
	"parkingcrew.net":           "ParkingCrew",
	"above.com":                 "Above.com",
	"afternic.com":              "Afternic (for sale)",
	"afternic.net":              "Afternic (for sale)",
	"dan.com":                   "Dan.com (for sale)",
	"undeveloped.com":           "Dan.com (for sale)",
	"parklogic.com":             "ParkLogic",
	"namedrive.com":             "NameDrive",
	"voodoo.com":                "Voodoo parking",
	"uniregistrymarket.link":    "Uniregistry market (for sale)",
	"ztomy.com":                 "Ztomy parking",
	"dsredirection.com":         "domain parking",
	"fabulous.com":              "Fabulous parking",
	"rookdns.com":               "Rook Media parking",
	"park.do":                   "domain parking",
	"parking-page.net":          "domain parking",
	"cashparking.com":           "GoDaddy CashParking",
	"parkingpage.namecheap.com": "Namecheap parking",
	"dns-parking.com":           "Hostinger parking",
	"huge-domains.com":          "HugeDomains (for sale)",
	"hugedomains.com":           "HugeDomains (for sale)",
	"domainmarket.com":          "DomainMarket (for sale)",
	"sav.com":                   "Sav parking",
}

// ParkingNS returns the parking service a name-server host belongs to, or "".
func ParkingNS(host string) string {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	for h != "" {
		if s, ok := ParkingNSSuffixes[h]; ok {
			return s
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return ""
}

type parkingNet struct {
	p    netip.Prefix
	name string
}

// parkingNets are parking services' landing addresses.
var parkingNets = []parkingNet{
	{netip.MustParsePrefix("64.190.62.0/23"), "Sedo parking"},
	{netip.MustParsePrefix("91.195.240.0/23"), "Sedo parking"},
	{netip.MustParsePrefix("199.59.240.0/22"), "Bodis"},
	{netip.MustParsePrefix("185.53.176.0/22"), "ParkingCrew"},
	{netip.MustParsePrefix("103.224.182.0/23"), "Above.com"},
	{netip.MustParsePrefix("103.224.212.0/23"), "Above.com"},
	{netip.MustParsePrefix("198.54.117.192/27"), "Namecheap parking"},
	{netip.MustParsePrefix("34.102.136.180/32"), "GoDaddy parking"},
	{netip.MustParsePrefix("76.223.54.146/32"), "Afternic (for sale)"},
	{netip.MustParsePrefix("13.248.169.48/32"), "Afternic (for sale)"},
}

// ParkingAddr returns the parking service an address belongs to, or "".
func ParkingAddr(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ""
	}
	a = a.Unmap()
	for _, n := range parkingNets {
		if n.p.Contains(a) {
			return n.name
		}
	}
	return ""
}

// parkingPhrases are what parking and "for sale" pages say.
var parkingPhrases = []string{
	"this domain is for sale", "domain is for sale", "domain may be for sale", "buy this domain",
	"this domain name is for sale", "make an offer on this domain", "the domain owner is selling",
	"is parked free", "parked free, courtesy of", "this domain is parked", "this domain has been parked",
	"sedoparking.com", "parkingcrew.net", "afternic.com/forsale", "dan.com/buy-domain",
	"hugedomains.com/domain_profile", "inquire about this domain",
	// Words a hosting company's own page may use ("domain parking",
	// "get this domain") are left out: they would call a registrar parked.
}

// ParkingPage returns the phrase that marks a page as a parking or "for
// sale" page, or "". body may be cut; it is compared case-insensitively.
func ParkingPage(body []byte) string {
	if len(body) > 64<<10 {
		body = body[:64<<10]
	}
	low := strings.ToLower(string(body))
	for _, p := range parkingPhrases {
		if strings.Contains(low, p) {
			return p
		}
	}
	return ""
}

// Parked reports whether a report shows a parked domain, and how.
func Parked(r *Report) []string {
	var how []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			how = append(how, s)
		}
	}
	d := FactsOf[DNSFacts](r, ModuleDNS)
	w := FactsOf[WhoisFacts](r, ModuleWhois).Own()
	var ns []string
	if d != nil {
		ns = d.NS
	}
	if len(ns) == 0 && w != nil {
		ns = w.NameServers
	}
	for _, n := range ns {
		if p := ParkingNS(n); p != "" {
			add("name servers of " + p + " (" + strings.TrimSuffix(strings.ToLower(n), ".") + ")")
			break
		}
	}
	if d != nil {
		for _, a := range append(append([]string{}, d.A...), d.AAAA...) {
			if p := ParkingAddr(a); p != "" {
				add("address " + a + " of " + p)
				break
			}
		}
	}
	if h := FactsOf[HeadersFacts](r, ModuleHeaders); h != nil && h.Parking != "" {
		add(fmt.Sprintf("the page says %q", h.Parking))
	}
	return how
}
