package lab

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Team Cymru zones.
const (
	cymruOrigin  = "origin.asn.cymru.com."
	cymruOrigin6 = "origin6.asn.cymru.com."
	cymruASN     = "asn.cymru.com."
)

// dnsHandler answers as a recursive resolver that knows only the world.
type dnsHandler struct{ l *Lab }

// ServeDNS implements dns.Handler.
func (h dnsHandler) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	if len(r.Question) != 1 || r.Opcode != dns.OpcodeQuery {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	if !h.l.delay(nil) {
		return
	}
	q := r.Question[0]
	if h.dqs(m, q) {
		_ = w.WriteMsg(m)
		return
	}
	if h.networkFault(m, q) {
		_ = w.WriteMsg(m)
		return
	}
	if h.l.dice.drop() {
		h.l.count(func(s *FaultStats) { s.DNSDropped++ })
		return // the client waits for its timeout
	}
	if h.l.c.garbage(strings.ToLower(q.Name)) {
		_, _ = w.Write(garbageAnswer(r.Id))
		return
	}
	if h.l.dice.servfail() {
		h.l.count(func(s *FaultStats) { s.DNSServFail++ })
		m.Rcode = dns.RcodeServerFailure
		_ = w.WriteMsg(m)
		return
	}
	h.l.c.answer(m, strings.ToLower(q.Name), q.Qtype)
	h.rewriteNX(m, q)
	if o := r.IsEdns0(); o != nil {
		m.SetEdns0(1232, false)
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := dns.MinMsgSize
		if o := r.IsEdns0(); o != nil {
			size = int(o.UDPSize())
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

// answer fills m for (name, qtype); name is a lower-case FQDN.
func (c *compiled) answer(m *dns.Msg, name string, qtype uint16) {
	if c.servfail[name] {
		m.Rcode = dns.RcodeServerFailure
		return
	}
	if c.zoneInfra(m, name, qtype) || c.special(m, name, qtype) {
		return
	}
	seen := map[string]bool{}
	for range 10 {
		if c.servfail[name] {
			m.Rcode = dns.RcodeServerFailure
			return
		}
		seen[name] = true
		set, exists := c.rrs[name]
		if !exists {
			if c.special(m, name, qtype) {
				return
			}
			if c.emptyNonTerminal(name) {
				m.Ns = append(m.Ns, c.soaFor(name))
				return
			}
			m.Rcode = dns.RcodeNameError
			m.Ns = append(m.Ns, c.soaFor(name))
			return
		}
		if qtype == dns.TypeANY {
			for _, rrs := range set {
				m.Answer = append(m.Answer, copyRRs(rrs)...)
			}
			return
		}
		if rrs := set[qtype]; len(rrs) > 0 {
			m.Answer = append(m.Answer, copyRRs(rrs)...)
			return
		}
		cn := set[dns.TypeCNAME]
		if len(cn) == 0 || qtype == dns.TypeCNAME {
			m.Ns = append(m.Ns, c.soaFor(name))
			return
		}
		m.Answer = append(m.Answer, dns.Copy(cn[0]))
		name = strings.ToLower(cn[0].(*dns.CNAME).Target)
		if seen[name] {
			m.Rcode = dns.RcodeServerFailure // a CNAME loop
			return
		}
	}
	m.Rcode = dns.RcodeServerFailure
}

func copyRRs(rrs []dns.RR) []dns.RR {
	out := make([]dns.RR, len(rrs))
	for i, rr := range rrs {
		out[i] = dns.Copy(rr)
	}
	return out
}

func (c *compiled) emptyNonTerminal(name string) bool {
	for n := range c.rrs {
		if strings.HasSuffix(n, "."+name) {
			return true
		}
	}
	return false
}

// soaFor returns the SOA for the authority section of an answer about name.
func (c *compiled) soaFor(name string) dns.RR {
	if apex := c.apexOf(name); apex != "" {
		if soa := c.rrs[dns.Fqdn(apex)][dns.TypeSOA]; len(soa) > 0 {
			return dns.Copy(soa[0])
		}
	}
	for _, z := range c.specialZones() {
		if dns.IsSubDomain(z, name) {
			return zoneSOA(z, "need.to.know.only.", "hostmaster.spamhaus.org.")
		}
	}
	labels := dns.SplitDomainName(name)
	tld := "."
	if len(labels) > 0 {
		tld = labels[len(labels)-1] + "."
	}
	switch tld {
	case "com.", "net.":
		return zoneSOA(tld, "a.gtld-servers.net.", "nstld.verisign-grs.com.")
	case "arpa.":
		return zoneSOA(tld, "a.root-servers.net.", "nstld.verisign-grs.com.")
	}
	return zoneSOA(tld, "a.nic."+tld, "hostmaster.nic."+tld)
}

func zoneSOA(zone, ns, mbox string) dns.RR {
	return &dns.SOA{Hdr: dns.RR_Header{Name: zone, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 900},
		Ns: ns, Mbox: mbox, Serial: 2026010100, Refresh: 1800, Retry: 900, Expire: 604800, Minttl: 86400}
}

// specialZones lists the blocklist and Cymru zones the resolver serves.
func (c *compiled) specialZones() []string {
	zs := []string{defaultIPZone + ".", defaultDomainZone + ".", cymruOrigin6, cymruOrigin, cymruASN}
	for z := range c.ipListings {
		zs = append(zs, z+".")
	}
	for z := range c.domListings {
		zs = append(zs, z+".")
	}
	return zs
}

// special answers names under the DNSBL and Team Cymru zones.
func (c *compiled) special(m *dns.Msg, name string, qtype uint16) bool {
	txt := func(s string) dns.RR {
		return &dns.TXT{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 14400}, Txt: splitTXT(s)}
	}
	nx := func(zone string) bool {
		m.Rcode = dns.RcodeNameError
		m.Ns = append(m.Ns, c.soaFor(zone))
		return true
	}
	// Team Cymru (origin6 and origin before asn: they are under it).
	switch {
	case strings.HasSuffix(name, "."+cymruOrigin6):
		a, ok := nibblesToAddr(strings.TrimSuffix(name, "."+cymruOrigin6))
		if !ok {
			return nx(cymruOrigin6)
		}
		return c.cymruOriginAnswer(m, a, qtype, txt) || nx(cymruOrigin6)
	case strings.HasSuffix(name, "."+cymruOrigin):
		a, ok := reversedV4(strings.TrimSuffix(name, "."+cymruOrigin))
		if !ok {
			return nx(cymruOrigin)
		}
		return c.cymruOriginAnswer(m, a, qtype, txt) || nx(cymruOrigin)
	case strings.HasSuffix(name, "."+cymruASN):
		label := strings.TrimSuffix(name, "."+cymruASN)
		n, err := strconv.ParseUint(strings.TrimPrefix(label, "as"), 10, 32)
		ip := c.asns[uint32(n)]
		if !strings.HasPrefix(label, "as") || err != nil || ip == nil {
			return nx(cymruASN)
		}
		if qtype == dns.TypeTXT {
			m.Answer = append(m.Answer, txt(fmt.Sprintf("%d | %s | %s | %s | %s", n, ip.CountryCode, ip.Registry, c.dateOnly(ip.Allocated), asName(ip))))
		} else {
			m.Ns = append(m.Ns, c.soaFor(cymruASN))
		}
		return true
	}
	if c.testPoint(m, name, qtype) {
		return true
	}
	for zone, byIP := range c.ipListings {
		if z := "." + zone + "."; strings.HasSuffix(name, z) {
			if a, ok := reversedV4(strings.TrimSuffix(name, z)); ok {
				return c.listingAnswer(m, byIP[a], qtype, txt, zone, a.String()) || nx(zone+".")
			}
		}
	}
	for zone, byDom := range c.domListings {
		if z := "." + zone + "."; strings.HasSuffix(name, z) {
			d := strings.TrimSuffix(name, z)
			return c.listingAnswer(m, byDom[d], qtype, txt, zone, d) || nx(zone+".")
		}
	}
	for _, zone := range []string{defaultIPZone, defaultDomainZone} {
		if strings.HasSuffix(name, "."+zone+".") {
			return nx(zone + ".")
		}
	}
	return false
}

func (c *compiled) cymruOriginAnswer(m *dns.Msg, a netip.Addr, qtype uint16, txt func(string) dns.RR) bool {
	ip, pfx := c.ipFor(a)
	if ip == nil || ip.ASN == 0 {
		return false
	}
	if qtype == dns.TypeTXT {
		m.Answer = append(m.Answer, txt(fmt.Sprintf("%d | %s | %s | %s | %s", ip.ASN, pfx, ip.CountryCode, ip.Registry, c.dateOnly(ip.Allocated))))
	} else {
		m.Ns = append(m.Ns, c.soaFor(cymruOrigin))
	}
	return true
}

// ipFor finds the world IP a, or the world IP whose network contains a.
func (c *compiled) ipFor(a netip.Addr) (*IP, netip.Prefix) {
	a = a.Unmap()
	if ip := c.ips[a]; ip != nil {
		return ip, c.nets[a]
	}
	var best *IP
	var bestPfx netip.Prefix
	for addr, p := range c.nets {
		if p.Contains(a) && (best == nil || p.Bits() > bestPfx.Bits()) {
			best, bestPfx = c.ips[addr], p
		}
	}
	return best, bestPfx
}

func (c *compiled) listingAnswer(m *dns.Msg, ls []Listing, qtype uint16, txt func(string) dns.RR, zone, subject string) bool {
	if len(ls) == 0 {
		return false
	}
	name := m.Question[0].Name
	for _, l := range ls {
		switch qtype {
		case dns.TypeA:
			a := net.ParseIP(l.Code).To4()
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 2100}, A: a})
		case dns.TypeTXT:
			m.Answer = append(m.Answer, txt(listingText(l, zone, subject)))
		}
	}
	if len(m.Answer) == 0 {
		m.Ns = append(m.Ns, c.soaFor(zone+"."))
	}
	return true
}

// listingText is the TXT of a listing: the world's text or Spamhaus' wording.
func listingText(l Listing, zone, subject string) string {
	if l.Text != "" {
		return l.Text
	}
	switch {
	case strings.HasPrefix(zone, "dbl."):
		return "https://www.spamhaus.org/query/domain/" + subject
	case l.Code == "127.0.0.4" || l.Code == "127.0.0.5" || l.Code == "127.0.0.6" || l.Code == "127.0.0.7":
		return "https://www.spamhaus.org/query/ip/" + subject
	case l.Code == "127.0.0.10" || l.Code == "127.0.0.11":
		return "https://www.spamhaus.org/query/ip/" + subject
	}
	return "https://www.spamhaus.org/sbl/query/SBL" + strconv.Itoa(600000+int(hashString(subject)%99999))
}

func hashString(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// asName is Team Cymru's AS name: "NAME, CC".
func asName(ip *IP) string {
	if ip.ASName != "" {
		return ip.ASName
	}
	if ip.CountryCode != "" {
		return ip.ASOrg + ", " + ip.CountryCode
	}
	return ip.ASOrg
}

func (c *compiled) dateOnly(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.At(c.now).Format(time.DateOnly)
}

// reversedV4 parses "47.101.220.185" (reversed octets) into 185.220.101.47.
func reversedV4(s string) (netip.Addr, bool) {
	p := strings.Split(s, ".")
	if len(p) != 4 {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(p[3] + "." + p[2] + "." + p[1] + "." + p[0])
	return a, err == nil
}

// nibblesToAddr parses 32 reversed hex nibbles into an IPv6 address.
func nibblesToAddr(s string) (netip.Addr, bool) {
	p := strings.Split(s, ".")
	if len(p) != 32 {
		return netip.Addr{}, false
	}
	var b [16]byte
	for i := 0; i < 32; i++ {
		n := p[31-i]
		if len(n) != 1 {
			return netip.Addr{}, false
		}
		v, err := strconv.ParseUint(n, 16, 8)
		if err != nil {
			return netip.Addr{}, false
		}
		if i%2 == 0 {
			b[i/2] = byte(v) << 4
		} else {
			b[i/2] |= byte(v)
		}
	}
	return netip.AddrFrom16(b).Unmap(), true
}

// garbage reports whether name belongs to a world domain with dns_garbage.
func (c *compiled) garbage(name string) bool {
	d := c.domains[c.apexOf(name)]
	return d != nil && d.DNSGarbage
}

// garbageAnswer is a reply to query id that does not parse: a header that
// promises a question and three answers, a question name that is a
// compression pointer to itself, and bytes that are no records.
func garbageAnswer(id uint16) []byte {
	b := []byte{byte(id >> 8), byte(id), 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0}
	b = append(b, 0xc0, 0x0c, 0, 1, 0, 1)              // question: pointer loop
	b = append(b, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 44) // answer: same, rdlength missing
	b = append(b, "\x1b[2J\x1b]0;dns garbage\x07\xff\xfe\x00"...)
	return b
}
