package lab

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/miekg/dns"
)

// The network conditions of --faults (nxdomain=rewrite, resolver=refused,
// block=PORT, tls=intercept, dnsbl=refused): what real analysts' networks do
// to a tool, reproduced by the lab's own servers.

// SpamhausNSAddr is the address the lab gives the Spamhaus zones' name
// servers (a.gns.spamhaus.org, b.gns.spamhaus.org). The lab dialer routes
// port 53 there to the lab's authoritative server for the blocklist zones,
// which answers even under dnsbl=refused (as Spamhaus answers a direct,
// low-volume query).
var SpamhausNSAddr = netip.MustParseAddr("91.210.0.53")

var spamhausNS = []string{"a.gns.spamhaus.org.", "b.gns.spamhaus.org."}

// dnsblApex returns the blocklist or Cymru zone name is the apex of, or "".
func (c *compiled) dnsblApex(name string) string {
	for _, z := range c.specialZones() {
		if name == z {
			return z
		}
	}
	return ""
}

// inSpecialZone reports whether name is under a blocklist or Cymru zone.
func (c *compiled) inSpecialZone(name string) bool {
	for _, z := range c.specialZones() {
		if dns.IsSubDomain(z, name) {
			return true
		}
	}
	return false
}

// spamhausName reports whether name is under spamhaus.org (a question a
// public resolver's Spamhaus answers refuse).
func spamhausName(name string) bool {
	return strings.HasSuffix(name, ".spamhaus.org.") && !isSpamhausNS(name)
}

func isSpamhausNS(name string) bool {
	for _, n := range spamhausNS {
		if name == n {
			return true
		}
	}
	return false
}

// zoneInfra answers the NS of the blocklist zones' apexes and the A of
// their name servers; false when name is neither.
func (c *compiled) zoneInfra(m *dns.Msg, name string, qtype uint16) bool {
	switch {
	case isSpamhausNS(name):
		if qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 3600}, A: SpamhausNSAddr.AsSlice()})
		} else {
			m.Ns = append(m.Ns, zoneSOA("spamhaus.org.", spamhausNS[0], "hostmaster.spamhaus.org."))
		}
		return true
	case c.dnsblApex(name) != "":
		switch qtype {
		case dns.TypeNS:
			for _, ns := range spamhausNS {
				m.Answer = append(m.Answer, &dns.NS{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 3600}, Ns: ns})
			}
		case dns.TypeSOA:
			m.Answer = append(m.Answer, c.soaFor(name))
		default:
			m.Ns = append(m.Ns, c.soaFor(name))
		}
		return true
	}
	return false
}

// networkFault answers q as the faults say a broken network would, and
// reports whether it did (false: answer normally). It runs before the
// world is asked.
func (h dnsHandler) networkFault(m *dns.Msg, q dns.Question) bool {
	f := h.l.opts.Faults
	name := strings.ToLower(q.Name)
	switch {
	case f.ResolverRefused:
		m.Rcode = dns.RcodeRefused
		return true
	case f.DNSBLRefused && spamhausName(name) && h.l.c.dnsblApex(name) == "":
		// Spamhaus' answer to queries that come through public resolvers.
		switch q.Qtype {
		case dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(127, 255, 255, 254).To4()})
		case dns.TypeTXT:
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60},
				Txt: []string{"Error: open resolver; https://check.spamhaus.org/returnc/pub/"}})
		}
		return true
	}
	return false
}

// rewriteNX turns an NXDOMAIN answer to an A question outside the blocklist
// zones into an address, as a "search assist" resolver does.
func (h dnsHandler) rewriteNX(m *dns.Msg, q dns.Question) {
	if !h.l.opts.Faults.NXRewrite || m.Rcode != dns.RcodeNameError || q.Qtype != dns.TypeA {
		return
	}
	name := strings.ToLower(q.Name)
	if h.l.c.inSpecialZone(name) {
		return
	}
	m.Rcode = dns.RcodeSuccess
	m.Ns = nil
	m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
		A: net.ParseIP(NXRewriteAddr).To4()})
}

// authHandler is the blocklist zones' own name server: authoritative for
// the DNSBL and Cymru zones, refusing everything else, never faulty (a
// firewall's block=53 stops the dialer before it is reached).
type authHandler struct{ l *Lab }

// ServeDNS implements dns.Handler.
func (h authHandler) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	if len(r.Question) != 1 || r.Opcode != dns.OpcodeQuery {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	if !h.l.delay(nil) {
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	if !h.l.c.inSpecialZone(name) && !isSpamhausNS(name) {
		m.Rcode = dns.RcodeRefused
		_ = w.WriteMsg(m)
		return
	}
	m.Authoritative = true
	h.l.c.answer(m, name, q.Qtype)
	_ = w.WriteMsg(m)
}

// startAuthDNS starts the blocklist zones' authoritative server.
func (l *Lab) startAuthDNS() error {
	pc, ln, err := listenDNS()
	if err != nil {
		return err
	}
	l.authDNSAddr = pc.LocalAddr().String()
	return l.serveDNS(pc, ln, authHandler{l})
}

// blocked returns the error a firewall's refusal gives when the faults
// block the port of addr (or addr is a lab HTTPS API and 443 is blocked).
func (l *Lab) blocked(network, addr, to string) error {
	f := l.opts.Faults
	if len(f.Block) == 0 {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	p, _ := strconv.Atoi(port)
	if !f.Blocks(p) && !(f.Blocks(443) && l.apiListener(to)) {
		return nil
	}
	return &net.OpError{Op: "dial", Net: network, Addr: blockedAddr(addr),
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

// blockedAddr shows the address the caller asked for (not the lab listener).
type blockedAddr string

func (a blockedAddr) Network() string { return "tcp" }
func (a blockedAddr) String() string  { return string(a) }

// apiListener reports whether to is one of the lab's HTTP API listeners,
// which stand for public HTTPS services.
func (l *Lab) apiListener(to string) bool {
	for _, u := range []string{l.certspotterURL, l.crtshURL, l.internetDBURL, l.rdapURL, l.keyedURL} {
		if u != "" && strings.TrimPrefix(u, "http://") == to {
			return true
		}
	}
	return false
}

// interceptor is the TLS-inspecting proxy of tls=intercept: a private CA
// minting a certificate per requested name.
type interceptor struct {
	root *x509.Certificate
	key  *ecdsa.PrivateKey
	mu   sync.Mutex
	made map[string]*tls.Certificate
}

// InterceptCAName is the subject of the lab's TLS-inspection CA.
const InterceptCAName = "Corporate SSL Inspection CA"

func newInterceptor(c *compiled) (*interceptor, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: InterceptCAName, Organization: []string{"Example Corp Secure Web Gateway"}},
		NotBefore:             c.now.AddDate(-5, 0, 0),
		NotAfter:              c.now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("lab: make the interception CA: %w", err)
	}
	root, _ := x509.ParseCertificate(der)
	return &interceptor{root: root, key: key, made: map[string]*tls.Certificate{}}, nil
}

// mint returns the proxy's certificate for name (an SNI name or an IP).
func (ic *interceptor) mint(c *compiled, name string) (*tls.Certificate, error) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if cert := ic.made[name]; cert != nil {
		return cert, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    c.now.AddDate(0, 0, -1),
		NotAfter:     c.now.AddDate(0, 0, 30),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if a, err := netip.ParseAddr(name); err == nil {
		tmpl.IPAddresses = []net.IP{a.AsSlice()}
	} else {
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ic.root, &key.PublicKey, ic.key)
	if err != nil {
		return nil, err
	}
	leaf, _ := x509.ParseCertificate(der)
	cert := &tls.Certificate{Certificate: [][]byte{der, ic.root.Raw}, PrivateKey: key, Leaf: leaf}
	ic.made[name] = cert
	return cert, nil
}

// interceptedCert is GetCertificate under tls=intercept.
func (l *Lab) interceptedCert(hello *tls.ClientHelloInfo, ip netip.Addr) (*tls.Certificate, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	if name == "" {
		name = ip.String()
	}
	return l.intercept.mint(l.c, name)
}

// testPoint answers the RFC 5782 §5 test points of the lab's blocklists as
// the real lists do: 127.0.0.2 listed in every IP list (ZEN answers SBL,
// XBL and PBL codes), dbltest.com in the DBL, TEST in other domain lists.
// 127.0.0.1 and INVALID are left to the usual "not listed".
func (c *compiled) testPoint(m *dns.Msg, name string, qtype uint16) bool {
	var codes []string
	for _, z := range c.ipZones() {
		if name == "2.0.0.127."+z+"." {
			codes = []string{"127.0.0.2"}
			if z == defaultIPZone {
				codes = []string{"127.0.0.2", "127.0.0.4", "127.0.0.10"}
			}
		}
	}
	for _, z := range c.domainZones() {
		if name == "dbltest.com."+z+"." && strings.Contains(z, "dbl.") {
			codes = []string{"127.0.1.2"}
		}
		if name == "test."+z+"." && !strings.Contains(z, "dbl.") {
			codes = []string{"127.0.0.2"}
		}
	}
	if codes == nil {
		return false
	}
	for _, code := range codes {
		switch qtype {
		case dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 2100}, A: net.ParseIP(code).To4()})
		}
	}
	if qtype == dns.TypeTXT {
		m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 2100}, Txt: []string{"RFC 5782 test point"}})
	}
	return true
}

func (c *compiled) ipZones() []string {
	zs := []string{defaultIPZone}
	for z := range c.ipListings {
		if z != defaultIPZone {
			zs = append(zs, z)
		}
	}
	return zs
}

func (c *compiled) domainZones() []string {
	zs := []string{defaultDomainZone}
	for z := range c.domListings {
		if z != defaultDomainZone {
			zs = append(zs, z)
		}
	}
	return zs
}

// dqs answers Spamhaus Data Query Service names
// ("<subject>.<key>.zen.dq.spamhaus.net") as the public zone's
// ("<subject>.zen.spamhaus.org"), whatever the resolver: DQS answers
// through any resolver, so dnsbl=refused does not apply. Any key is taken.
func (h dnsHandler) dqs(m *dns.Msg, q dns.Question) bool {
	name := strings.ToLower(q.Name)
	rest, ok := strings.CutSuffix(name, ".dq.spamhaus.net.")
	if !ok {
		return false
	}
	labels := strings.Split(rest, ".")
	if len(labels) < 3 { // subject…, key, zone
		m.Rcode = dns.RcodeNameError
		return true
	}
	zone := labels[len(labels)-1]
	public := strings.Join(labels[:len(labels)-2], ".") + "." + zone + ".spamhaus.org."
	h.l.c.answer(m, public, q.Qtype)
	for _, rr := range m.Answer {
		rr.Header().Name = q.Name
	}
	return true
}
