package pivot

import (
	"github.com/netspecter/netspecter-tui/recon"
	"net/netip"
	"regexp"
	"strings"
)

// Base rates: how common a shared value is among unrelated domains. A shared
// value links domains in proportion to how rare it is (weights.go turns
// these shares into weights). The figures are rounded; each table names the
// public source it was taken from and when. They change slowly (a registrar
// gaining a few points of market share in a year is news); refresh them from
// the same sources.

// BaseRatesDate is when the tables below were last compared with their sources.
const BaseRatesDate = "2026-11"

// RegistrarShare is one registrar's approximate share of registered gTLD
// domains.
type RegistrarShare struct {
	// Match are lower-case substrings of the WHOIS registrar name.
	Match []string
	// Name is how the registrar is called in explanations.
	Name string
	// Share of all registered gTLD domains (0.16 = about 1 in 6).
	Share float64
}

// RegistrarShares: sources: ICANN registry monthly transaction reports
// (.com/.net, per-registrar "total domains", 2025-06) and DomainNameStat
// registrar rankings (all gTLDs, 2025-10); rounded. Brand-protection
// registrars (MarkMonitor, CSC) are small by count but host most large
// brands: sharing one says little about a common operator either.
var RegistrarShares = []RegistrarShare{
	{[]string{"godaddy", "wild west domains"}, "GoDaddy", 0.16},
	{[]string{"namecheap"}, "Namecheap", 0.055},
	{[]string{"tucows", "opensrs", "enom", "hover"}, "Tucows (OpenSRS, eNom, Hover)", 0.035},
	{[]string{"squarespace", "google llc", "google domains"}, "Squarespace (ex-Google Domains)", 0.03},
	{[]string{"alibaba", "hichina", "aliyun"}, "Alibaba Cloud (HiChina)", 0.03},
	{[]string{"network solutions", "web.com", "register.com"}, "Newfold (Network Solutions, Web.com, Register.com)", 0.03},
	{[]string{"publicdomainregistry", "public domain registry", "pdr ltd"}, "PublicDomainRegistry", 0.025},
	{[]string{"ionos", "1&1", "1und1"}, "IONOS", 0.025},
	{[]string{"gmo internet", "onamae"}, "GMO Internet (Onamae)", 0.02},
	{[]string{"hostinger"}, "Hostinger", 0.02},
	{[]string{"cloudflare"}, "Cloudflare Registrar", 0.015},
	{[]string{"namesilo"}, "NameSilo", 0.015},
	{[]string{"porkbun"}, "Porkbun", 0.012},
	{[]string{"dynadot"}, "Dynadot", 0.012},
	{[]string{"ovh"}, "OVHcloud", 0.012},
	{[]string{"name.com"}, "Name.com", 0.01},
	{[]string{"wix.com"}, "Wix", 0.01},
	{[]string{"key-systems", "key systems", "centralnic"}, "Key-Systems / CentralNic", 0.01},
	{[]string{"gandi"}, "Gandi", 0.007},
	{[]string{"west263", "xin net", "xinnet"}, "Chengdu West / Xin Net", 0.015},
	{[]string{"openprovider", "hosting concepts"}, "Openprovider", 0.006},
	{[]string{"epik"}, "Epik", 0.003},
	{[]string{"nicenic"}, "NiceNIC", 0.003},
	{[]string{"markmonitor"}, "MarkMonitor (brand protection)", 0.004},
	{[]string{"csc corporate", "corporation service company"}, "CSC (brand protection)", 0.003},
}

// registrarShare finds the base rate of a registrar name (lower case).
func registrarShare(v string) (RegistrarShare, bool) {
	for _, r := range RegistrarShares {
		for _, m := range r.Match {
			if strings.Contains(v, m) {
				return r, true
			}
		}
	}
	return RegistrarShare{}, false
}

// DNSHost is a mass DNS-hosting service with its approximate share.
type DNSHost struct {
	// Suffixes are name-server domain suffixes ("domaincontrol.com");
	// "awsdns-" matches as a label prefix.
	Suffixes []string
	Name     string
	// Share of registered domains whose NS are the service's (0.2 = 1 in 5).
	Share float64
	// Parking marks domain-parking services: a parked name is not an
	// operator's choice of infrastructure at all.
	Parking bool
}

// DNSHosts: sources: DomainTools / W3Techs DNS-server usage surveys
// (2025-09) and Tranco-list NS counts published by the DNS-OARC community
// (2025). Parking services are recon.ParkingNSSuffixes.
var DNSHosts = []DNSHost{
	{[]string{"domaincontrol.com", "dns.jomax.net"}, "GoDaddy DNS", 0.17, false},
	{[]string{"ns.cloudflare.com", "cloudflare.com"}, "Cloudflare DNS", 0.15, false},
	{[]string{"registrar-servers.com"}, "Namecheap BasicDNS", 0.04, false},
	{[]string{"awsdns-"}, "Amazon Route 53", 0.03, false},
	{[]string{"googledomains.com", "google.com"}, "Google Cloud DNS / Google Domains", 0.02, false},
	{[]string{"ui-dns.com", "ui-dns.de", "ui-dns.org", "ui-dns.biz"}, "IONOS DNS", 0.02, false},
	{[]string{"hichina.com", "alidns.com"}, "Alibaba Cloud DNS", 0.02, false},
	{[]string{"wixdns.net"}, "Wix DNS", 0.01, false},
	{[]string{"squarespacedns.com"}, "Squarespace DNS", 0.01, false},
	{[]string{"azure-dns.com", "azure-dns.net", "azure-dns.org", "azure-dns.info"}, "Azure DNS", 0.01, false},
	{[]string{"hostgator.com", "bluehost.com", "websitewelcome.com"}, "Newfold shared hosting DNS", 0.015, false},
	{[]string{"dns-parking.com", "hostinger.com"}, "Hostinger DNS", 0.015, false},
	{[]string{"ovh.net"}, "OVHcloud DNS", 0.01, false},
	{[]string{"name-services.com", "worldnic.com"}, "eNom / Network Solutions DNS", 0.01, false},
	{[]string{"digitalocean.com"}, "DigitalOcean DNS", 0.005, false},
	{[]string{"linode.com"}, "Linode DNS", 0.003, false},
	{[]string{"ns.hetzner.com", "ns.hetzner.de", "your-server.de"}, "Hetzner DNS", 0.005, false},
	{[]string{"gandi.net"}, "Gandi LiveDNS", 0.005, false},
	{[]string{"porkbun.com"}, "Porkbun DNS", 0.005, false},
	{[]string{"name.com"}, "Name.com DNS", 0.004, false},
	{[]string{"dnsmadeeasy.com", "nsone.net", "nsone.com", "dynect.net", "ultradns.com", "ultradns.net", "ultradns.org", "ultradns.biz", "akam.net"}, "enterprise DNS (NS1, Dyn, UltraDNS, Akamai, DNS Made Easy)", 0.01, false},
	{[]string{"namebrightdns.com", "dreamhost.com", "he.net", "afraid.org", "cloudns.net", "vercel-dns.com", "netlify.com"}, "shared DNS hosting", 0.005, false},
}

// dnsHostOf returns the mass DNS host of a name-server host (lower case,
// no trailing dot).
func dnsHostOf(h string) (DNSHost, bool) {
	if p := recon.ParkingNS(h); p != "" {
		return DNSHost{Name: p, Share: 0.01, Parking: true}, true
	}
	if strings.HasPrefix(h, "awsdns-") || strings.Contains(h, ".awsdns-") {
		return DNSHosts[3], true
	}
	for _, d := range DNSHosts {
		for _, suf := range d.Suffixes {
			if h == suf || strings.HasSuffix(h, "."+suf) {
				return d, true
			}
		}
	}
	return DNSHost{}, false
}

// Platform is a network whose addresses serve many unrelated customers:
// a CDN, a website builder or a shared-hosting company.
type Platform struct {
	Name string
	// Kind is "cdn", "website builder", "shared hosting" or "cloud".
	Kind string
	ASNs []uint32
	// Ranges are prefixes of the platform's shared front-ends (website
	// builders' anycast addresses); an address inside is shared by the
	// platform's customers. Cloud and shared-hosting ASNs list none: their
	// addresses may be one customer's.
	Ranges []netip.Prefix
}

// Platforms: sources: each provider's published documentation of the
// A records customers must set (Wix, Squarespace, Weebly, Shopify,
// WordPress.com, GitHub Pages, Netlify, Vercel, Webflow: their "connect your
// domain" help pages, 2025-10), their ASNs from RIPEstat / PeeringDB
// (2025-10), and hosting market surveys (W3Techs web-hosting usage, 2025-09).
var Platforms = []Platform{
	{"Cloudflare", "cdn", []uint32{13335, 209242}, nil},
	{"Fastly", "cdn", []uint32{54113}, nil},
	{"Akamai", "cdn", []uint32{20940, 16625, 12222}, nil},
	{"CDN77", "cdn", []uint32{60068}, nil},
	{"Amazon CloudFront", "cdn", nil, prefixes("13.32.0.0/15", "13.224.0.0/14", "18.160.0.0/15", "52.84.0.0/15", "54.230.0.0/16", "143.204.0.0/16")},
	{"Wix", "website builder", []uint32{58182}, prefixes("185.230.60.0/22", "23.236.62.0/24", "34.149.87.0/24")},
	{"Squarespace", "website builder", []uint32{53831}, prefixes("198.185.159.0/24", "198.49.23.0/24")},
	{"Weebly (Square)", "website builder", []uint32{27647}, prefixes("199.34.228.0/22")},
	{"Shopify", "website builder", nil, prefixes("23.227.38.0/24")},
	{"WordPress.com (Automattic)", "website builder", []uint32{2635}, prefixes("192.0.78.0/24", "192.0.77.0/24")},
	{"GitHub Pages", "website builder", nil, prefixes("185.199.108.0/22")},
	{"Netlify", "website builder", nil, prefixes("75.2.60.0/24", "99.83.190.0/24")},
	{"Vercel", "website builder", nil, prefixes("76.76.21.0/24")},
	{"Webflow", "website builder", nil, prefixes("198.202.211.0/24")},
	{"Google Sites / Blogger", "website builder", nil, prefixes("216.239.32.21/32", "216.239.34.21/32", "216.239.36.21/32", "216.239.38.21/32")},
	{"Newfold (Bluehost, HostGator)", "shared hosting", []uint32{46606, 19871}, nil},
	{"GoDaddy hosting", "shared hosting", []uint32{26496, 398101}, nil},
	{"Hostinger", "shared hosting", []uint32{47583}, nil},
	{"Namecheap hosting", "shared hosting", []uint32{22612}, nil},
	{"IONOS", "shared hosting", []uint32{8560}, nil},
	{"DreamHost", "shared hosting", []uint32{26347}, nil},
	{"A2 Hosting", "shared hosting", []uint32{55293}, nil},
	{"Amazon", "cloud", []uint32{16509, 14618}, nil},
	{"Google Cloud", "cloud", []uint32{15169, 396982}, nil},
	{"Microsoft Azure", "cloud", []uint32{8075}, nil},
	{"OVHcloud", "cloud", []uint32{16276}, nil},
	{"Hetzner", "cloud", []uint32{24940}, nil},
	{"DigitalOcean", "cloud", []uint32{14061}, nil},
	{"Linode (Akamai)", "cloud", []uint32{63949}, nil},
	{"Contabo", "cloud", []uint32{51167}, nil},
}

func prefixes(s ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(s))
	for i, p := range s {
		out[i] = netip.MustParsePrefix(p)
	}
	return out
}

// platformOfASN returns the platform an ASN belongs to.
func platformOfASN(n uint32) (Platform, bool) {
	for _, p := range Platforms {
		for _, a := range p.ASNs {
			if a == n {
				return p, true
			}
		}
	}
	return Platform{}, false
}

// platformOfAddr returns the platform whose shared front-end ranges hold a.
func platformOfAddr(a netip.Addr) (Platform, bool) {
	for _, p := range Platforms {
		for _, r := range p.Ranges {
			if r.Contains(a) {
				return p, true
			}
		}
	}
	return Platform{}, false
}

// MailPosture is the base rate of one e-mail posture key
// (recon.EmailFacts.Posture).
type MailPosture struct {
	Posture string
	Share   float64
	Why     string
}

// MailPostures: sources: the DMARC adoption surveys of Red Sift (2025-02)
// and EasyDMARC (2025), the Google Workspace and Microsoft 365 set-up guides
// for the records they suggest (Workspace: "include:_spf.google.com ~all",
// DMARC left to the customer; Microsoft 365: "include:
// spf.protection.outlook.com -all"). Every posture is a handful of
// switches: even the rarest is shared by hundreds of thousands of domains.
var MailPostures = []MailPosture{
	{"spf:none dmarc:none", 0.40, "no SPF and no DMARC: about 4 in 10 registered domains publish neither"},
	{"spf:~all dmarc:none", 0.15, "SPF ~all without DMARC: Google Workspace's default posture, about 1 in 7 domains"},
	{"spf:~all dmarc:monitor", 0.10, "SPF ~all with DMARC p=none: the posture most mail providers' wizards leave, about 1 in 10 domains"},
	{"spf:-all dmarc:none", 0.08, "SPF -all without DMARC: Microsoft 365's default posture"},
	{"spf:-all dmarc:monitor", 0.05, "SPF -all with DMARC p=none: common"},
	{"spf:-all dmarc:reject", 0.04, "SPF -all with DMARC p=reject: the recommended posture, common among maintained domains"},
	{"spf:~all dmarc:reject", 0.03, "SPF ~all with DMARC p=reject: common among maintained domains"},
	{"spf:-all dmarc:quarantine", 0.02, "SPF -all with DMARC p=quarantine: common among maintained domains"},
	{"spf:~all dmarc:quarantine", 0.02, "SPF ~all with DMARC p=quarantine: common among maintained domains"},
}

// sharedHostPTR matches reverse names of shared-hosting servers: a
// numbered machine name (box1234.bluehost.com, server123.web-hosting.com,
// srv42.hoster.net, cpanel12.host.com, p3plcpnl0123.prod.phx3.secureserver.net).
// Generic per-address reverse names (ip-185-220-101-47.example.net,
// 47.101.220.185.in-addr) and VPS names are not shared hosting.
var sharedHostPTR = regexp.MustCompile(`^(box|server|srv|host|hosting|shared|web|www|cp|cpanel|whm|plesk|sh|hs|res|just|gator|linux|win|lh|hv)[-]?\d+[a-z]?\.|cpnl\d+|sharedhost|shared-host|webhosting\d`)

// sharedHostingSuffixes are reverse-name domains used only for
// shared-hosting servers.
var sharedHostingSuffixes = []string{"websitewelcome.com", "hostgator.com", "bluehost.com", "unifiedlayer.com", "secureserver.net", "webhostbox.net", "hostinger.com", "dreamhost.com", "a2hosting.com", "siteground.com", "sgvps.net", "hostgator.in", "web-hosting.com", "namecheaphosting.com", "ionos.com", "1and1.com", "inmotionhosting.com"}

// SharedHostingPTR reports whether a reverse name looks like a
// shared-hosting server (and why), "" otherwise.
func SharedHostingPTR(name string) string {
	n := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if n == "" {
		return ""
	}
	if sharedHostPTR.MatchString(n) {
		return "its reverse name " + n + " is a numbered shared-hosting server"
	}
	for _, s := range sharedHostingSuffixes {
		if strings.HasSuffix(n, "."+s) {
			return "its reverse name " + n + " is a shared-hosting server of " + s
		}
	}
	return ""
}

// SharedHostingNames is how many distinct registrable domains InternetDB
// (or reverse DNS) must list on one address before the address counts as
// shared hosting.
const SharedHostingNames = 5
