package pivot

// The Values and Weight functions of the KeyKinds rows (weights.go has the
// table, the rules in short and the session evidence they read).

import (
	"fmt"
	"math"
	"net/netip"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// --- values ---

func certValues(p *Profile) []string {
	var out []string
	for _, c := range p.CertKeys {
		out = addValue(out, c.SHA256)
	}
	for _, c := range p.CoIssued {
		out = addValue(out, c.SHA256)
	}
	return out
}

func pubkeyValues(p *Profile) []string {
	var out []string
	for _, c := range p.CertKeys {
		out = addValue(out, c.Pubkey)
	}
	for _, c := range p.CoIssued {
		out = addValue(out, c.PubkeySHA256)
	}
	return out
}

func nsValues(p *Profile) []string {
	if len(p.NS) == 0 {
		return nil
	}
	return []string{strings.Join(p.NS, ",")}
}

func ipValues(p *Profile) []string {
	var out []string
	for _, h := range p.Hosts {
		if cdnASN(h.ASN) {
			continue
		}
		out = addValue(out, h.Addr.String())
	}
	return out
}

func netValues(p *Profile) []string {
	var out []string
	for _, h := range p.Hosts {
		if cdnASN(h.ASN) {
			continue
		}
		out = addValue(out, NetOf(h.Addr.String()))
	}
	return out
}

func asnValues(p *Profile) []string {
	var out []string
	for _, h := range p.Hosts {
		if h.ASN != 0 && !cdnASN(h.ASN) {
			out = addValue(out, FormatASN(h.ASN))
		}
	}
	return out
}

// --- weights ---

func certWeight(v string, ctx *WeightContext) (float64, string) {
	if ctx != nil && ctx.DefaultCert[v] {
		return 1, "the server's default certificate (it does not name the domain): says what a shared address says"
	}
	if ctx != nil {
		if n := ctx.CertDomains[v]; n > 50 {
			return 0.2, fmt.Sprintf("one certificate for %d registrable domains: a hosting platform's shared certificate, says little", n)
		} else if n > 10 {
			return 1, fmt.Sprintf("one certificate for %d registrable domains: possibly a platform's shared certificate", n)
		}
	}
	return 3, "the same certificate: issued for these domains together, or its key copied between them (an operator's deliberate act)"
}

func pubkeyWeight(v string, ctx *WeightContext) (float64, string) {
	if ctx != nil {
		for _, c := range ctx.PubkeyCerts[v] {
			if ctx.DefaultCert[c] {
				return 1, "the key of a server's default certificate (it does not name the domain): says what a shared address says"
			}
			if n := ctx.CertDomains[c]; n > 50 {
				return 0.2, fmt.Sprintf("a key behind a certificate for %d registrable domains: a platform's shared key, says little", n)
			}
		}
	}
	return 3, "the same private key behind different certificates: the key was reused by whoever holds it"
}

// alnum lower-cases s and keeps letters and digits.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// providerNS returns the AS organisation a name-server host is named
// after ("ns1.sitely-dns.com" and the network "SITELY-HOSTING"), "" when
// none: the hosting platform's own name servers.
func providerNS(h string, ctx *WeightContext) string {
	if ctx == nil {
		return ""
	}
	label, _, _ := strings.Cut(registrable(h), ".")
	label = alnum(label)
	for _, suf := range []string{"dns", "ns", "nameservers", "nameserver", "hosting", "host"} {
		label = strings.TrimSuffix(label, suf)
	}
	if len(label) < 4 {
		return ""
	}
	for _, o := range ctx.ASOrgs {
		if strings.Contains(o, label) {
			return o
		}
	}
	return ""
}

func nsWeight(v string, ctx *WeightContext) (float64, string) {
	hosts := strings.Split(v, ",")
	var parking, mass string
	share := 0.0
	private := 0
	provider := ""
	for _, h := range hosts {
		d, ok := dnsHostOf(h)
		switch {
		case !ok && providerNS(h, ctx) != "":
			provider = providerNS(h, ctx)
		case !ok:
			private++
		case d.Parking:
			parking = d.Name
		default:
			mass, share = d.Name, max(share, d.Share)
		}
	}
	switch {
	case private > 0:
		return 3, "private name servers (" + v + "): operators configure them deliberately; unrelated sites rarely share them"
	case provider != "":
		return 0.3, "the hosting platform's own name servers (named like the network " + provider + " that hosts the sites): shared by its customers, says little"
	case parking != "":
		return 0, "name servers of " + parking + ": a parked domain, shared by every name parked there"
	case share >= 0.1:
		return 0.05, mass + " name servers: about " + oneIn(share) + " domains use them, says nothing"
	default:
		return 0.1, mass + " name servers: a mass DNS host (about " + oneIn(share) + " domains), says little"
	}
}

func soaWeight(v string, _ *WeightContext) (float64, string) {
	if why := soaNothing(v); why != "" {
		return 0.05, why + ", says nothing"
	}
	return 3, "the same zone contact " + v + " in the SOA: one person or team runs both zones"
}

func ruaWeight(v string, _ *WeightContext) (float64, string) {
	if why := ruaNothing(v); why != "" {
		return 0.05, why + ": serves thousands of customers, says nothing"
	}
	return 3, "the same private DMARC report mailbox " + v + ": one operator reads both domains' mail reports"
}

func spfIncludeWeight(v string, _ *WeightContext) (float64, string) {
	dom := strings.TrimSuffix(v, ".")
	if under(dom, massSenders) {
		return 0.05, "SPF include of a mass mail sender (" + registrable(dom) + "): shared by millions, says nothing"
	}
	return 1.5, "the same SPF include " + v + " outside the mass mail senders: the same mail infrastructure"
}

func postureWeight(v string, _ *WeightContext) (float64, string) {
	for _, p := range MailPostures {
		if p.Posture == v {
			if p.Share >= 0.1 {
				return 0.05, p.Why + ", says nothing"
			}
			return 0.1, p.Why + ", says little"
		}
	}
	return 0.3, "e-mail posture " + v + ": an uncommon combination, still shared by many domains"
}

func ipWeight(v string, ctx *WeightContext) (float64, string) {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return 0, "not an address"
	}
	a = a.Unmap()
	if why := ipNothing(a); why != "" {
		return 0, why + ": says nothing"
	}
	if p := recon.ParkingAddr(a.String()); p != "" {
		return 0, "a parking address of " + p + ": every name parked there shares it, says nothing"
	}
	if p, ok := platformOfAddr(a); ok {
		return 0.1, "a shared front-end address of " + p.Name + " (" + p.Kind + "): every site on the platform uses it, says little"
	}
	if ctx != nil {
		for _, n := range ctx.PTR[a.String()] {
			if why := SharedHostingPTR(n); why != "" {
				return 0.3, "shared hosting: " + why + ", so unrelated sites share the address"
			}
		}
		if o := ctx.ASNOrg[ctx.ASN[a.String()]]; o != "" && ctx.PlatformOrgs[o] {
			return 0.5, "an address of " + o + ", a platform whose own name servers the sites use: likely its shared front-end, says little"
		}
		if n := len(ctx.HostNames[a.String()]); n >= SharedHostingNames {
			return 0.3, fmt.Sprintf("shared hosting: %d different domains are seen on this address", n)
		}
		if p, ok := platformOfASN(ctx.ASN[a.String()]); ok && p.Kind == "shared hosting" {
			if n := len(ctx.HostNames[a.String()]); n > 0 && n < SharedHostingNames {
				return 3, fmt.Sprintf("the same address, on which only %d domain(s) are seen", n)
			}
			return 1.5, "an address of " + p.Name + ", a shared-hosting company: it may serve hundreds of unrelated sites"
		}
		if n := len(ctx.HostNames[a.String()]); n > 0 {
			return 3, fmt.Sprintf("the same address, on which only %d domain(s) are seen: not shared hosting", n)
		}
	}
	return 2.5, "the same address (nothing says it is shared hosting)"
}

func netWeight(v string, _ *WeightContext) (float64, string) {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return 0, "not a network"
	}
	if why := ipNothing(p.Addr()); why != "" {
		return 0, why + " network: says nothing"
	}
	if pl, ok := platformOfAddr(p.Addr()); ok {
		return 0.1, "a network of " + pl.Name + " (" + pl.Kind + "), says little"
	}
	return 0.5, "the same /24 or /48: neighbouring addresses, often one provider's customers"
}

func asnWeight(v string, _ *WeightContext) (float64, string) {
	n := parseASN(v)
	if n == 0 {
		return 0, "empty or unknown"
	}
	if n >= 64512 && n <= 65534 || n >= 4200000000 {
		return 0, "private ASN"
	}
	if p, ok := platformOfASN(n); ok {
		if p.Kind == "cdn" {
			return 0, p.Name + " (CDN) ASN: says nothing"
		}
		return 0.05, p.Name + " (" + p.Kind + ") ASN: hosts millions of unrelated sites, says nothing"
	}
	return 0.5, "the same hosting network (" + strings.ToUpper(v) + "), not one of the mass hosts"
}

func registrarWeight(v string, _ *WeightContext) (float64, string) {
	for _, m := range privacyMarkers {
		if strings.Contains(v, m) {
			return 0, "a privacy/proxy service in place of the registrar: says nothing"
		}
	}
	r, ok := registrarShare(v)
	if !ok {
		return 1, "a registrar outside the big ones (each of which holds more than 1 in 300 domains): a less common choice"
	}
	switch {
	case r.Share >= 0.1:
		return 0.1, r.Name + ": about " + oneIn(r.Share) + " registered domains, says little"
	case r.Share >= 0.03:
		return 0.25, r.Name + ": about " + oneIn(r.Share) + " registered domains, says little"
	case r.Share >= 0.01:
		return 0.5, r.Name + ": about " + oneIn(r.Share) + " registered domains, a weak clue"
	}
	return 0.8, r.Name + ": about " + oneIn(r.Share) + " registered domains, a weak clue"
}

func windowWeight(_ string, ctx *WeightContext) (float64, string) {
	d := 7
	if ctx != nil && ctx.WindowDays > 0 {
		d = ctx.WindowDays
	}
	return 0.5, fmt.Sprintf("registered within %d days of each other: hundreds of thousands of names are registered every week, a weak clue that counts with others", d)
}

// oneIn writes a share as "1 in N".
func oneIn(share float64) string {
	if share <= 0 {
		return "very few"
	}
	n := 1 / share
	switch {
	case n < 10:
		return fmt.Sprintf("1 in %.0f", n)
	case n < 100:
		return fmt.Sprintf("1 in %.0f", math.Round(n/5)*5)
	}
	return fmt.Sprintf("1 in %.0f", math.Round(n/50)*50)
}
