package pivot

import (
	"fmt"
	"math"
	"net/netip"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// How much a shared value weighs (the seed: a shared value links domains
// in proportion to how rare it is).
//
// Every cluster key kind is one row of KeyKinds: where its values come from
// (Values, read from a Profile), the Shared prefix it is written with, the
// independent dimension it belongs to, and a Weight function that says how
// much one shared value of that kind is worth and why, in words. Weights
// run from 0 (shared by huge populations: a CDN edge, Cloudflare's name
// servers, a privacy service) to about 3 (an operator's deliberate choice
// that few others make: a private name-server set, one certificate, a
// private DMARC report mailbox).
//
// Two domains are linked when the values they share weigh LinkThreshold or
// more together; in each dimension only the heaviest shared value counts
// (an address, its /24 and its ASN are one piece of evidence, not three).
//
// To add a key kind (e.g. an analytics id):
//
//  1. add a row to KeyKinds: Kind (also the false-positive id
//     "cluster:<kind>"), Prefix (a Shared prefix allowed by the session
//     contract: "analytics:", "verify:", …; longer prefixes that extend a
//     shorter one, like "cert:pubkey:" after "cert:", need no care: the
//     longest match wins), Dimension (a new one if the evidence is
//     independent of the others), Values (what a Profile holds; add the
//     field to Profile and fill it in ReportProfile) and Weight;
//  2. make Weight return a small weight with a reason for values shared by
//     many unrelated sites (a default id, a platform's own id) and a large
//     one for values only an operator would share; put big populations in
//     a base-rate table in baserates.go with its source and date;
//  3. add cases to TestKeyKindWeights.
//
// The weights, in short (see each Weight function for the full rules):
//
//	kind         dimension     weight
//	cert         tls           3; 0.2 for a platform certificate spanning > 50 domains
//	pubkey       tls           3; same rule through the certificates with that key
//	ns           dns           3 private set; 0.05–0.1 mass DNS host; 0 parking
//	soa          dns           3; 0.05 mass DNS host contact
//	rua          mail          3; 0.05 mass DMARC report processor
//	spf-include  mail          1.5; 0.05 mass sender
//	email        mail          0.05–0.3 by the posture's base rate
//	ip           hosting       3 dedicated (few names on it); 2.5 nothing known;
//	                           1.5 shared-hosting ASN; 0.3 shared hosting
//	                           (PTR, many names); 0.1 website builder; 0 CDN
//	net          hosting       0.5; 0.1 on a platform; 0 CDN
//	asn          hosting       0.5; 0.05–0.1 CDN, cloud, builder, shared hosting
//	registrar    registration  0.1 (≥10 % share) … 1.0 (not among the big ones); 0 privacy service
//	window       time          0.5 (registered within Session.Window)
//	analytics    accounts      3 (fingerprints.go)
//	verify       accounts      3 per-account token; 0 per domain or unknown
//	favicon      content       1.5; 0 a stock icon
//	page         content       2; 0 a stock page; 0.05 a tiny page

// LinkThreshold is the weight two domains must share to be linked.
const LinkThreshold = 3.0

// SaysLittle is the weight below which a value is said to say nothing
// (SaysNothing, the comparison matrix's "~").
const SaysLittle = 0.15

// KeyKind is one kind of cluster key.
type KeyKind struct {
	// Kind names the key ("ip", "cert", "pubkey", …); it is the
	// false-positive id "cluster:<kind>" and the key of Weights.
	Kind string
	// Prefix is what Shared strings of this kind start with ("ip:",
	// "cert:pubkey:"); one of the session contract's prefixes.
	Prefix string
	// Dimension groups kinds that are not independent evidence: a link
	// counts only the heaviest shared value of each dimension.
	Dimension string
	// Values returns the kind's values of one profile (normalised so that
	// equal values compare equal). Nil for "window" (computed from dates).
	Values func(p *Profile) []string
	// Weight says how much one shared value weighs and why, in words.
	// ctx may be nil (no session evidence).
	Weight func(value string, ctx *WeightContext) (float64, string)
}

// KeyKinds is the table of cluster key kinds (see above for how to add one).
var KeyKinds = []KeyKind{
	{"cert", "cert:", "tls", certValues, certWeight},
	{"pubkey", "cert:pubkey:", "tls", pubkeyValues, pubkeyWeight},
	{"ns", "ns:", "dns", nsValues, nsWeight},
	{"soa", "ns:soa:", "dns", func(p *Profile) []string { return nonEmpty(p.SOAMbox) }, soaWeight},
	{"rua", "email:rua:", "mail", func(p *Profile) []string { return p.RUA }, ruaWeight},
	{"spf-include", "email:spf-include:", "mail", func(p *Profile) []string { return p.SPFIncludes }, spfIncludeWeight},
	{"email", "email:", "mail", func(p *Profile) []string { return nonEmpty(strings.ToLower(p.Posture)) }, postureWeight},
	{"ip", "ip:", "hosting", ipValues, ipWeight},
	{"net", "net:", "hosting", netValues, netWeight},
	{"asn", "asn:", "hosting", asnValues, asnWeight},
	{"registrar", "registrar:", "registration", func(p *Profile) []string { return nonEmpty(strings.ToLower(p.Registrar)) }, registrarWeight},
	{"window", "window:", "time", nil, windowWeight},
	{"analytics", "analytics:", "accounts", analyticsValues, analyticsWeight},
	{"verify", "verify:", "accounts", verifyValues, verifyWeight},
	{"favicon", "favicon:", "content", faviconValues, faviconWeight},
	{"page", "page:", "content", pageValues, pageWeight},
}

// Weights are the largest weight of each key kind (a private value), for
// readers that want one figure per kind.
var Weights = map[string]float64{
	"cert": 3, "pubkey": 3, "ns": 3, "rua": 3, "ip": 3, "soa": 3, "spf-include": 1.5,
	"net": 0.5, "asn": 0.5, "window": 0.5, "registrar": 1, "email": 0.3,
	"analytics": 3, "verify": 3, "favicon": 1.5, "page": 2,
}

// kindByName returns the row of a kind.
func kindByName(kind string) (KeyKind, bool) {
	for _, k := range KeyKinds {
		if k.Kind == kind {
			return k, true
		}
	}
	return KeyKind{}, false
}

// Evidence is one shared value of a cluster with its weight and why.
type Evidence struct {
	Key    string  `json:"key"`    // one of the cluster's Shared strings
	Weight float64 `json:"weight"` // how much it links the members (0–3)
	Why    string  `json:"why"`    // how rare the value is and what it says
}

// WeightContext is the session's evidence about values: what else is known
// about an address or a certificate beyond one profile.
type WeightContext struct {
	// HostNames are, per address, the distinct registrable domains seen on
	// it (InternetDB hostnames and reverse names).
	HostNames map[string]map[string]bool
	// PTR are, per address, its reverse names (from InternetDB hostnames
	// that name the address's host, and from scans of the address).
	PTR map[string][]string
	// ASN is the AS number GeoIP gives each address.
	ASN map[string]uint32
	// CertDomains is, per certificate SHA-256, how many registrable
	// domains its SANs name; PubkeyCerts the certificates of each key.
	CertDomains map[string]int
	PubkeyCerts map[string][]string
	// DefaultCert marks certificates seen on a domain they do not cover:
	// the server's default certificate, not the domain's own.
	DefaultCert map[string]bool
	// Window is the registration window (Session.Window).
	WindowDays int
	// ASOrgs are the AS organisations of the session's addresses, lower
	// case, letters and digits only: name servers named like the network
	// that hosts the sites are the hosting platform's, shared by its
	// customers.
	ASOrgs []string
	// ASNOrg is the AS organisation of each AS number (as ASOrgs);
	// PlatformOrgs the organisations whose own name servers the session's
	// domains use (providerNS): their addresses are platform front-ends.
	ASNOrg       map[uint32]string
	PlatformOrgs map[string]bool
	// PageDefault names, per page hash, the stock page it is; PageSize is
	// its normalised length (fingerprints.go).
	PageDefault map[string]string
	PageSize    map[string]int
}

// Weigh returns the weight of one value of a kind and why. Unknown kinds
// weigh 0.
func Weigh(kind, value string, ctx *WeightContext) (float64, string) {
	k, ok := kindByName(kind)
	if !ok {
		return 0, "unknown key kind"
	}
	v := strings.ToLower(strings.TrimSpace(value))
	if kind != "window" && unknownValues[v] {
		return 0, "empty or unknown"
	}
	w, why := k.Weight(v, ctx)
	return math.Round(w*100) / 100, why
}

// newWeightContext gathers the session-wide evidence from profiles and
// from scans of addresses. leafDomains, when not nil, holds for each
// profile the countRegistrable of each of its Leaves' SANs (a cache).
func newWeightContext(ps []Profile, leafDomains [][]int, ipScans []*recon.Report, window int) *WeightContext {
	ctx := &WeightContext{HostNames: map[string]map[string]bool{}, PTR: map[string][]string{}, ASN: map[string]uint32{},
		CertDomains: map[string]int{}, PubkeyCerts: map[string][]string{}, DefaultCert: map[string]bool{}, WindowDays: window,
		ASNOrg: map[uint32]string{}, PlatformOrgs: map[string]bool{}}
	addName := func(ip, name string) {
		name = normName(name)
		if name == "" || !strings.Contains(name, ".") {
			return
		}
		if SharedHostingPTR(name) != "" || looksLikePTR(name, ip) {
			ctx.PTR[ip] = AppendUniq(ctx.PTR[ip], name) // the host's own name, not a site on it
			return
		}
		if ctx.HostNames[ip] == nil {
			ctx.HostNames[ip] = map[string]bool{}
		}
		ctx.HostNames[ip][registrable(name)] = true
	}
	for i := range ps {
		p := &ps[i]
		for ip, names := range p.AddrPTR {
			if a, ok := parseIP(ip); ok {
				for _, n := range names {
					if n = normName(n); n != "" {
						ctx.PTR[a.String()] = AppendUniq(ctx.PTR[a.String()], n)
					}
				}
			}
		}
		for ip, names := range p.IPHostnames {
			for _, n := range names {
				addName(ip, n)
			}
		}
		for _, h := range p.Hosts {
			if h.ASN != 0 {
				ctx.ASN[h.Addr.String()] = h.ASN
			}
		}
		for as, org := range p.ASOrgs {
			if o := alnum(org); len(o) >= 4 {
				ctx.ASOrgs = AppendUniq(ctx.ASOrgs, o)
				ctx.ASNOrg[parseASN(as)] = o
			}
		}
		for j, l := range p.Leaves {
			sha := strings.ToLower(l.SHA256)
			var n int
			if leafDomains != nil {
				n = leafDomains[i][j]
			} else {
				n = countRegistrable(l.SANs)
			}
			ctx.CertDomains[sha] = max(ctx.CertDomains[sha], n)
			if l.NameMismatch {
				ctx.DefaultCert[sha] = true
			}
			if pub := strings.ToLower(l.PubkeySHA256); pub != "" {
				ctx.PubkeyCerts[pub] = AppendUniq(ctx.PubkeyCerts[pub], sha)
			}
		}
		for _, c := range p.CoIssued {
			ctx.CertDomains[c.SHA256] = max(ctx.CertDomains[c.SHA256], c.DomainsTotal, len(c.Domains))
			if c.PubkeySHA256 != "" {
				ctx.PubkeyCerts[c.PubkeySHA256] = AppendUniq(ctx.PubkeyCerts[c.PubkeySHA256], c.SHA256)
			}
		}
	}
	addPageContext(ctx, ps)
	for i := range ps {
		for _, h := range ps[i].NS {
			if o := providerNS(h, ctx); o != "" {
				ctx.PlatformOrgs[o] = true
			}
		}
	}
	for _, r := range ipScans {
		if r == nil {
			continue
		}
		ip := r.Target.Value
		if a, ok := parseIP(ip); ok {
			ip = a.String()
		}
		if d := recon.FactsOf[recon.DNSFacts](r, recon.ModuleDNS); d != nil {
			for _, n := range d.PTR {
				n = normName(n)
				if n != "" {
					ctx.PTR[ip] = AppendUniq(ctx.PTR[ip], n)
				}
			}
		}
		if pf := recon.FactsOf[recon.PortsFacts](r, recon.ModulePorts); pf != nil {
			for _, h := range pf.Hosts {
				for _, n := range h.Hostnames {
					addName(h.IP, n)
				}
			}
		}
	}
	return ctx
}

// looksLikePTR reports whether a host name seen on an address is its
// reverse name: it spells the address's numbers (ip-185-220-101-47.x,
// 47.101.220.185.x) or is a numbered server name.
func looksLikePTR(name, ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return false
	}
	b := a.As4()
	dash := fmt.Sprintf("%d-%d-%d-%d", b[0], b[1], b[2], b[3])
	rdash := fmt.Sprintf("%d-%d-%d-%d", b[3], b[2], b[1], b[0])
	rdot := fmt.Sprintf("%d.%d.%d.%d.", b[3], b[2], b[1], b[0])
	return strings.Contains(name, dash) || strings.Contains(name, rdash) || strings.HasPrefix(name, rdot)
}

func countRegistrable(sans []string) int {
	seen := map[string]bool{}
	for _, s := range sans {
		s = strings.TrimPrefix(normName(s), "*.")
		if strings.Contains(s, ".") {
			seen[registrable(s)] = true
		}
	}
	return len(seen)
}

func nonEmpty(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}
