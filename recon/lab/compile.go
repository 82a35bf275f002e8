package lab

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// compiled is a world resolved against a clock: DNS records parsed, dates
// resolved, references checked.
type compiled struct {
	w   *World
	now time.Time

	rrs      map[string]map[uint16][]dns.RR // lower-case FQDN -> type -> records
	servfail map[string]bool
	domains  map[string]*Domain // lower-case, no trailing dot
	certs    map[string]*Certificate
	ips      map[netip.Addr]*IP
	nets     map[netip.Addr]netip.Prefix
	asns     map[uint32]*IP // first IP seen for each ASN

	ipListings  map[string]map[netip.Addr][]Listing // zone -> ip
	domListings map[string]map[string][]Listing     // zone -> domain
	whoisNames  []string                            // every WHOIS server name, sorted
}

// Default zones and names.
const (
	defaultIPZone     = "zen.spamhaus.org"
	defaultDomainZone = "dbl.spamhaus.org"
	defaultIssuer     = "C=US, O=Let's Encrypt, CN=R11"
	ianaWhois         = "whois.iana.org"
	defaultPrivacy    = "Withheld for Privacy ehf"
)

var recordTypes = map[string]uint16{
	"A": dns.TypeA, "AAAA": dns.TypeAAAA, "CNAME": dns.TypeCNAME, "MX": dns.TypeMX,
	"NS": dns.TypeNS, "TXT": dns.TypeTXT, "SOA": dns.TypeSOA, "CAA": dns.TypeCAA,
	"PTR": dns.TypePTR, "SRV": dns.TypeSRV,
}

func werr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrWorld}, a...)...)
}

// OnHold reports whether a domain's WHOIS status puts it on hold
// (serverHold or clientHold): the registry removes such a name from the
// zone, so the lab answers NXDOMAIN for it and every name under it.
func OnHold(d *Domain) bool {
	if d == nil || d.Whois == nil {
		return false
	}
	for _, st := range d.Whois.Status {
		f := strings.ToLower(strings.Join(strings.Fields(st), ""))
		if strings.HasPrefix(f, "serverhold") || strings.HasPrefix(f, "clienthold") {
			return true
		}
	}
	return false
}

// compile checks w and resolves it against now.
func compile(w *World, now time.Time) (*compiled, error) {
	c := &compiled{
		w: w, now: now.UTC(),
		rrs:         map[string]map[uint16][]dns.RR{},
		servfail:    map[string]bool{},
		domains:     map[string]*Domain{},
		certs:       map[string]*Certificate{},
		ips:         map[netip.Addr]*IP{},
		nets:        map[netip.Addr]netip.Prefix{},
		asns:        map[uint32]*IP{},
		ipListings:  map[string]map[netip.Addr][]Listing{},
		domListings: map[string]map[string][]Listing{},
	}
	if len(w.Domains) == 0 && len(w.IPs) == 0 {
		return nil, werr("the world has no domains and no ips")
	}
	if err := checkHostile(w); err != nil {
		return nil, err
	}
	for i, cert := range w.Certificates {
		if cert == nil || cert.ID == "" {
			return nil, werr("certificates[%d]: a certificate needs an id", i)
		}
		if _, dup := c.certs[cert.ID]; dup {
			return nil, werr("certificates[%d]: duplicate id %q", i, cert.ID)
		}
		if len(cert.SANs) == 0 && cert.CN == "" {
			return nil, werr("certificates[%q]: give sans (or at least cn)", cert.ID)
		}
		if cert.Issuer != "" {
			if _, err := parseDN(cert.Issuer); err != nil {
				return nil, werr("certificates[%q].issuer: %v", cert.ID, err)
			}
		}
		c.certs[cert.ID] = cert
	}
	whois := map[string]bool{ianaWhois: true}
	for tld, srv := range w.TLDs {
		if srv == "" || strings.ContainsAny(srv, " /:") {
			return nil, werr("tlds[%q]: %q is not a WHOIS server name", tld, srv)
		}
		whois[strings.ToLower(srv)] = true
	}
	for srv, r := range w.Registrars {
		if r == nil || r.Name == "" {
			return nil, werr("registrars[%q]: a registrar needs a name", srv)
		}
		whois[strings.ToLower(srv)] = true
	}
	for name, d := range w.Domains {
		if d == nil {
			return nil, werr("domains[%q] is null", name)
		}
		dn := strings.ToLower(strings.TrimSuffix(name, "."))
		if _, ok := dns.IsDomainName(dn); !ok || !strings.Contains(dn, ".") {
			return nil, werr("domains[%q]: not a domain name", name)
		}
		c.domains[dn] = d
		if err := decodeBodies(d); err != nil {
			return nil, werr("domains[%q]: %v", name, err)
		}
		if !OnHold(d) { // a name on hold is removed from the zone: NXDOMAIN
			if err := c.addRecords(dn, d); err != nil {
				return nil, err
			}
		}
		if d.Cert != "" && c.certs[d.Cert] == nil {
			return nil, werr("domains[%q].cert: no certificate with id %q", name, d.Cert)
		}
		if wi := d.Whois; wi != nil {
			if wi.Created.IsZero() && wi.Raw == "" {
				return nil, werr("domains[%q].whois: give created (or raw)", name)
			}
			if wi.RegistrarWhoisServer != "" {
				whois[strings.ToLower(wi.RegistrarWhoisServer)] = true
			}
			if wi.RegistryWhoisServer != "" {
				whois[strings.ToLower(wi.RegistryWhoisServer)] = true
			} else if c.registryFor(dn) == "" {
				return nil, werr("domains[%q].whois: no registry WHOIS server for .%s: add it to tlds or set registry_whois_server", name, tldOf(dn))
			}
		}
		for i, l := range d.DNSBL {
			if err := checkListing(&l); err != nil {
				return nil, werr("domains[%q].dnsbl[%d]: %v", name, i, err)
			}
			zone := strings.ToLower(strings.TrimSuffix(orDefault(l.Zone, defaultDomainZone), "."))
			if c.domListings[zone] == nil {
				c.domListings[zone] = map[string][]Listing{}
			}
			c.domListings[zone][dn] = append(c.domListings[zone][dn], l)
		}
		for i, e := range d.CT {
			if e.Name == "" && len(e.Names) == 0 {
				return nil, werr("domains[%q].ct[%d]: give name or names", name, i)
			}
			if e.Issuer != "" {
				if _, err := parseDN(e.Issuer); err != nil {
					return nil, werr("domains[%q].ct[%d].issuer: %v", name, i, err)
				}
			}
		}
	}
	// In address order, so that "the first IP of an ASN" (Team Cymru's ASN
	// answer) does not depend on map order.
	ipKeys := make([]string, 0, len(w.IPs))
	for s := range w.IPs {
		ipKeys = append(ipKeys, s)
	}
	sort.Slice(ipKeys, func(i, j int) bool {
		a, errA := netip.ParseAddr(ipKeys[i])
		b, errB := netip.ParseAddr(ipKeys[j])
		if errA != nil || errB != nil {
			return ipKeys[i] < ipKeys[j]
		}
		return a.Less(b)
	})
	for _, s := range ipKeys {
		ip := w.IPs[s]
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, werr("ips[%q]: not an IP address", s)
		}
		if ip == nil {
			return nil, werr("ips[%q] is null", s)
		}
		a = a.Unmap()
		c.ips[a] = ip
		pfx := netip.PrefixFrom(a, a.BitLen())
		if ip.Network != "" {
			p, err := netip.ParsePrefix(ip.Network)
			if err != nil {
				return nil, werr("ips[%q].network: %q is not a prefix like 185.220.101.0/24", s, ip.Network)
			}
			if !p.Contains(a) {
				return nil, werr("ips[%q].network: %s does not contain the address", s, p)
			}
			pfx = p.Masked()
		}
		c.nets[a] = pfx
		if ip.ASN != 0 && c.asns[ip.ASN] == nil {
			c.asns[ip.ASN] = ip
		}
		if ip.Cert != "" && c.certs[ip.Cert] == nil {
			return nil, werr("ips[%q].cert: no certificate with id %q", s, ip.Cert)
		}
		for _, port := range ip.Ports {
			if port <= 0 || port > 65535 {
				return nil, werr("ips[%q].ports: %d is not a port", s, port)
			}
		}
		if ip.PTR != "" {
			if _, ok := dns.IsDomainName(ip.PTR); !ok {
				return nil, werr("ips[%q].ptr: %q is not a host name", s, ip.PTR)
			}
			rev, _ := dns.ReverseAddr(a.String())
			rr := &dns.PTR{Hdr: dns.RR_Header{Name: rev, Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 3600}, Ptr: dns.Fqdn(ip.PTR)}
			c.add(rr)
		}
		for i, l := range ip.DNSBL {
			if err := checkListing(&l); err != nil {
				return nil, werr("ips[%q].dnsbl[%d]: %v", s, i, err)
			}
			zone := strings.ToLower(strings.TrimSuffix(orDefault(l.Zone, defaultIPZone), "."))
			if c.ipListings[zone] == nil {
				c.ipListings[zone] = map[netip.Addr][]Listing{}
			}
			c.ipListings[zone][a] = append(c.ipListings[zone][a], l)
		}
	}
	for i, a := range w.AbuseASNs {
		if a.ASN == 0 {
			return nil, werr("abuse_asns[%d]: asn is missing", i)
		}
	}
	for _, n := range w.ServFail {
		c.servfail[strings.ToLower(dns.Fqdn(n))] = true
	}
	for n := range whois {
		c.whoisNames = append(c.whoisNames, n)
	}
	sort.Strings(c.whoisNames)
	return c, nil
}

func checkListing(l *Listing) error {
	a, err := netip.ParseAddr(l.Code)
	if err != nil || !a.Is4() || a.As4()[0] != 127 {
		return fmt.Errorf("code %q is not a 127.x.y.z return code", l.Code)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func tldOf(d string) string {
	if i := strings.LastIndexByte(d, '.'); i >= 0 {
		return d[i+1:]
	}
	return d
}

// registryFor returns the registry WHOIS server of domain d ("" if none).
func (c *compiled) registryFor(d string) string {
	if dd := c.domains[d]; dd != nil && dd.Whois != nil && dd.Whois.RegistryWhoisServer != "" {
		return strings.ToLower(dd.Whois.RegistryWhoisServer)
	}
	// The longest matching TLD key wins ("co.uk" before "uk").
	best, bestSrv := "", ""
	for tld, srv := range c.w.TLDs {
		t := strings.ToLower(strings.Trim(tld, "."))
		if (d == t || strings.HasSuffix(d, "."+t)) && len(t) > len(best) {
			best, bestSrv = t, strings.ToLower(srv)
		}
	}
	return bestSrv
}

func (c *compiled) add(rr dns.RR) {
	n := strings.ToLower(rr.Header().Name)
	rr.Header().Name = n
	m := c.rrs[n]
	if m == nil {
		m = map[uint16][]dns.RR{}
		c.rrs[n] = m
	}
	m[rr.Header().Rrtype] = append(m[rr.Header().Rrtype], rr)
}

func (c *compiled) addRecords(dn string, d *Domain) error {
	ttl := d.TTL
	if ttl == 0 {
		ttl = 300
	}
	apex := dns.Fqdn(dn)
	owners := make([]string, 0, len(d.Records))
	for o := range d.Records {
		owners = append(owners, o)
	}
	sort.Strings(owners)
	hasSOA := false
	for _, owner := range owners {
		name := apex
		switch {
		case owner == "@" || owner == "":
		case strings.HasSuffix(owner, "."):
			name = strings.ToLower(owner)
		default:
			name = strings.ToLower(owner) + "." + apex
		}
		if _, ok := dns.IsDomainName(name); !ok {
			return werr("domains[%q].records[%q]: not a DNS name", dn, owner)
		}
		for typ, values := range d.Records[owner] {
			t, ok := recordTypes[strings.ToUpper(typ)]
			if !ok {
				return werr("domains[%q].records[%q]: unsupported record type %q (use A, AAAA, CNAME, MX, NS, TXT, SOA, CAA, PTR, SRV)", dn, owner, typ)
			}
			for _, v := range values {
				var rr dns.RR
				if t == dns.TypeTXT {
					rr = &dns.TXT{Hdr: dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}, Txt: splitTXT(v)}
				} else {
					var err error
					rr, err = dns.NewRR(fmt.Sprintf("%s %d IN %s %s", name, ttl, strings.ToUpper(typ), v))
					if err != nil || rr == nil {
						return werr("domains[%q].records[%q][%q]: bad value %q: %v", dn, owner, typ, v, err)
					}
				}
				if t == dns.TypeSOA && name == apex {
					hasSOA = true
				}
				c.add(rr)
			}
		}
	}
	if !hasSOA {
		ns := "ns1." + apex
		if nss := c.rrs[apex][dns.TypeNS]; len(nss) > 0 {
			ns = nss[0].(*dns.NS).Ns
		}
		c.add(&dns.SOA{Hdr: dns.RR_Header{Name: apex, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 3600},
			Ns: ns, Mbox: "hostmaster." + apex, Serial: uint32(c.now.Unix() / 86400 * 100),
			Refresh: 10800, Retry: 3600, Expire: 604800, Minttl: 300})
	}
	return nil
}

// splitTXT cuts a TXT value into character-strings of at most 255 bytes,
// each in miekg/dns's presentation form (a backslash escaped), so that the
// bytes on the wire are exactly the value's.
func splitTXT(s string) []string {
	var out []string
	for len(s) > 255 {
		out = append(out, strings.ReplaceAll(s[:255], `\`, `\\`))
		s = s[255:]
	}
	return append(out, strings.ReplaceAll(s, `\`, `\\`))
}

// apexOf returns the world domain that name (FQDN) belongs to, or "".
func (c *compiled) apexOf(name string) string {
	n := strings.TrimSuffix(strings.ToLower(name), ".")
	for {
		if _, ok := c.domains[n]; ok {
			return n
		}
		i := strings.IndexByte(n, '.')
		if i < 0 {
			return ""
		}
		n = n[i+1:]
	}
}

// resolveA follows CNAMEs in the world and returns host's A/AAAA addresses.
func (c *compiled) resolveA(host string) []netip.Addr {
	name := strings.ToLower(dns.Fqdn(host))
	for range 10 {
		m := c.rrs[name]
		if m == nil {
			return nil
		}
		var out []netip.Addr
		for _, rr := range m[dns.TypeA] {
			if a, ok := netip.AddrFromSlice(rr.(*dns.A).A.To4()); ok {
				out = append(out, a)
			}
		}
		for _, rr := range m[dns.TypeAAAA] {
			if a, ok := netip.AddrFromSlice(rr.(*dns.AAAA).AAAA.To16()); ok {
				out = append(out, a.Unmap())
			}
		}
		if len(out) > 0 {
			return out
		}
		cn := m[dns.TypeCNAME]
		if len(cn) == 0 {
			return nil
		}
		name = strings.ToLower(cn[0].(*dns.CNAME).Target)
	}
	return nil
}

// parseDN parses "C=US, O=Let's Encrypt, CN=R11" into ordered attributes.
func parseDN(s string) ([][2]string, error) {
	var out [][2]string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		if !ok {
			return nil, fmt.Errorf("%q: write the name as C=US, O=Org, CN=Name", s)
		}
		switch k {
		case "C", "O", "OU", "CN", "L", "ST":
		default:
			return nil, fmt.Errorf("%q: unsupported attribute %s (use C, ST, L, O, OU, CN)", s, k)
		}
		out = append(out, [2]string{k, strings.TrimSpace(v)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty name")
	}
	return out, nil
}

// decodeBodies turns every body_base64 of a domain's answers into Body.
func decodeBodies(d *Domain) error {
	dec := func(where string, r *HTTPResponse) error {
		if r == nil || r.BodyBase64 == "" {
			return nil
		}
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(r.BodyBase64), ""))
		if err != nil {
			return fmt.Errorf("%s.body_base64: %v", where, err)
		}
		r.Body, r.BodyBase64 = string(b), ""
		return nil
	}
	if err := dec("https", d.HTTPS); err != nil {
		return err
	}
	if err := dec("http", d.HTTP); err != nil {
		return err
	}
	for k, r := range d.Pages {
		if err := dec(fmt.Sprintf("pages[%q]", k), r); err != nil {
			return err
		}
	}
	return nil
}
