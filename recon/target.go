package recon

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Kind is the type of a scan target.
type Kind string

// Target kinds.
const (
	KindDomain Kind = "domain"
	KindIP     Kind = "ip"
	KindEmail  Kind = "email"
)

// Target is a normalised scan input.
type Target struct {
	Kind  Kind   `json:"kind"`
	Value string `json:"value"` // normalised: lower case, punycode, no trailing dot
	// Unicode is the display form of an internationalised domain (empty when
	// it equals Value).
	Unicode string `json:"unicode,omitempty"`
}

// Domain returns the domain to scan: the value itself, or the domain part of
// an e-mail address. It is empty for IP targets.
func (t Target) Domain() string {
	switch t.Kind {
	case KindDomain:
		return t.Value
	case KindEmail:
		if i := strings.LastIndexByte(t.Value, '@'); i >= 0 {
			return t.Value[i+1:]
		}
	}
	return ""
}

// String returns the value.
func (t Target) String() string { return t.Value }

// ErrBadTarget is wrapped by every ParseTarget error.
var ErrBadTarget = errors.New("invalid target")

// TargetError explains why an input is not a valid target.
type TargetError struct {
	Input  string
	Reason string
}

// Error implements error.
func (e *TargetError) Error() string {
	if e.Input == "" {
		return e.Reason
	}
	return fmt.Sprintf("%q: %s", e.Input, e.Reason)
}

// Unwrap lets errors.Is match ErrBadTarget.
func (e *TargetError) Unwrap() error { return ErrBadTarget }

func bad(in, format string, a ...any) error {
	return &TargetError{Input: in, Reason: fmt.Sprintf(format, a...)}
}

var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false), // allow '_' (e.g. _dmarc); labels are checked below
)

// maxInput bounds what ParseTarget looks at; longer input cannot be a valid target.
const maxInput = 2048

// ParseTarget turns what the analyst typed into a Target. It accepts a
// domain (any case, trailing dot, a URL or host:port, Unicode), an IPv4 or
// IPv6 address (bracketed or not), or an e-mail address. It never panics; the
// error says what is wrong.
func ParseTarget(input string) (Target, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return Target{}, &TargetError{Reason: "empty input: type a domain (example.com), an IP address (192.0.2.1) or an e-mail address (user@example.com)"}
	}
	if len(s) > maxInput {
		return Target{}, &TargetError{Reason: fmt.Sprintf("input is %d characters long; a domain is at most 253", len(s))}
	}
	if !utf8.ValidString(s) {
		return Target{}, bad(s, "is not valid UTF-8 text; type the name again or paste it from another source")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '\t' {
			return Target{}, bad(s, "contains spaces or control characters")
		}
	}
	// URL or host/path: keep the host.
	if strings.Contains(s, "://") || (strings.Contains(s, "/") && !strings.Contains(s, "@")) {
		raw := s
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			return Target{}, bad(s, "looks like a URL but has no host name")
		}
		if u.User != nil && u.User.Username() != "" && !strings.HasPrefix(strings.ToLower(raw), "mailto:") {
			// http://user@host: the host is what matters.
		}
		s = u.Hostname()
	} else if strings.HasPrefix(strings.ToLower(s), "mailto:") {
		s = s[len("mailto:"):]
	}

	// E-mail address.
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		local, dom := s[:i], s[i+1:]
		if local == "" {
			return Target{}, bad(s, "e-mail address has nothing before the @")
		}
		if len(local) > 64 {
			return Target{}, bad(s, "the part before the @ is %d characters; at most 64 are allowed", len(local))
		}
		if strings.ContainsAny(local, "@<>()[]\\,;:\"") {
			return Target{}, bad(s, "the part before the @ contains characters an address cannot have")
		}
		d, uni, err := normaliseDomain(dom)
		if err != nil {
			return Target{}, bad(s, "domain part: %s", err.(*TargetError).Reason)
		}
		t := Target{Kind: KindEmail, Value: strings.ToLower(local) + "@" + d}
		if uni != "" {
			t.Unicode = strings.ToLower(local) + "@" + uni
		}
		return t, nil
	}

	// IP address, possibly bracketed or with a port.
	h := s
	if strings.HasPrefix(h, "[") {
		if j := strings.IndexByte(h, ']'); j > 0 {
			h = h[1:j]
		}
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return ipTarget(s, a)
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ipTarget(s, ap.Addr())
	}
	if strings.Count(h, ":") > 1 {
		return Target{}, bad(s, "is not a valid IPv6 address")
	}
	// host:port
	if i := strings.LastIndexByte(h, ':'); i > 0 {
		h = h[:i]
		if a, err := netip.ParseAddr(h); err == nil {
			return ipTarget(s, a)
		}
	}
	d, uni, err := normaliseDomain(h)
	if err != nil {
		return Target{}, err
	}
	return Target{Kind: KindDomain, Value: d, Unicode: uni}, nil
}

func ipTarget(in string, a netip.Addr) (Target, error) {
	if a.Zone() != "" {
		return Target{}, bad(in, "has an IPv6 zone (%%%s); give a global address", a.Zone())
	}
	a = a.Unmap()
	if why := NonPublicReason(a); why != "" {
		return Target{}, bad(in, "is a %s address: it has no public records to look up", why)
	}
	return Target{Kind: KindIP, Value: a.String()}, nil
}

// normaliseDomain lower-cases, strips one trailing dot, converts IDN to
// punycode and checks label and name lengths. It returns the ASCII form and,
// for IDNs, the Unicode form.
func normaliseDomain(in string) (ascii, unicode string, err error) {
	s := strings.TrimSuffix(in, ".")
	if s == "" {
		return "", "", bad(in, "empty domain name")
	}
	if strings.HasPrefix(s, ".") {
		return "", "", bad(in, "starts with a dot")
	}
	if strings.Contains(s, "..") {
		return "", "", bad(in, "has an empty label (two dots in a row)")
	}
	for _, l := range strings.Split(s, ".") {
		if len(l) > 63 {
			return "", "", bad(in, "label %q is %d characters; at most 63 are allowed", short(l), len(l))
		}
		if l != "" && (l[0] == '-' || l[len(l)-1] == '-') {
			return "", "", bad(in, "label %q starts or ends with a hyphen", short(l))
		}
	}
	a, perr := idnaProfile.ToASCII(s)
	if perr != nil {
		return "", "", bad(in, "is not a valid domain name (%s)", perr)
	}
	a = strings.ToLower(a)
	if len(a) > 253 {
		return "", "", bad(in, "is %d characters; a domain name is at most 253", len(a))
	}
	labels := strings.Split(a, ".")
	if len(labels) < 2 {
		return "", "", bad(in, "is a single label; give a full domain such as %s.com", a)
	}
	for _, l := range labels {
		if l == "" {
			return "", "", bad(in, "has an empty label")
		}
		if len(l) > 63 {
			return "", "", bad(in, "label %q is %d characters; at most 63 are allowed", short(l), len(l))
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "", "", bad(in, "label %q starts or ends with a hyphen", l)
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", "", bad(in, "label %q contains %q, which a host name cannot have", l, rune(c))
			}
		}
	}
	tld := labels[len(labels)-1]
	allDigits := true
	for i := 0; i < len(tld); i++ {
		if tld[i] < '0' || tld[i] > '9' {
			allDigits = false
		}
	}
	if allDigits {
		return "", "", bad(in, "is neither a valid IP address nor a domain (the last label is numeric)")
	}
	if strings.Contains(a, "xn--") {
		if u, err := idna.ToUnicode(a); err == nil && u != a {
			unicode = u
		}
	}
	return a, unicode, nil
}

func short(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// NonPublicReason says why an address is not a public unicast address
// ("loopback", "private", "link-local", ...), or "" when it is public.
// An IPv6 address that carries an IPv4 address (NAT64, 6to4, Teredo,
// IPv4-compatible, IPv4-mapped, IPv4-translated; see EmbeddedIPv4) is
// judged by the IPv4 address it leads to: 64:ff9b::a9fe:a9fe reaches
// 169.254.169.254 on a NAT64 network, and its reason is
// "link-local (169.254.169.254 via NAT64)".
func NonPublicReason(a netip.Addr) string {
	a = a.Unmap()
	if why := addrReason(a); why != "" {
		return why
	}
	for _, e := range EmbeddedIPv4(a) {
		if why := addrReason(e.Addr); why != "" {
			return why + " (" + e.Addr.String() + " via " + e.How + ")"
		}
	}
	return ""
}

// Embedded is an IPv4 address carried inside an IPv6 address.
type Embedded struct {
	Addr netip.Addr // the IPv4 address
	How  string     // the embedding: "NAT64", "6to4", "Teredo client", ...
}

var (
	pfxNAT64      = netip.MustParsePrefix("64:ff9b::/96")
	pfxNAT64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	pfx6to4       = netip.MustParsePrefix("2002::/16")
	pfxTeredo     = netip.MustParsePrefix("2001::/32")
	pfxCompat     = netip.MustParsePrefix("::/96")
	pfxTranslated = netip.MustParsePrefix("::ffff:0:0:0/96")
)

// EmbeddedIPv4 returns the IPv4 addresses an IPv6 address a carries, by
// the embeddings that make a connection to a reach them: the NAT64
// well-known prefix 64:ff9b::/96 (RFC 6052) and the /96 form of the
// local-use prefix 64:ff9b:1::/48 (RFC 8215), 6to4 2002::/16 (RFC 3056,
// bits 16–47), Teredo 2001::/32 (RFC 4380: the server at bits 32–63 and
// the client, XOR-ed, at bits 96–127), IPv4-compatible ::/96 (RFC 4291,
// deprecated), IPv4-mapped ::ffff:0:0/96 and IPv4-translated
// ::ffff:0:0:0/96 (RFC 2765). An IPv4 address, or an IPv6 address without
// an embedding, gives nil.
func EmbeddedIPv4(a netip.Addr) []Embedded {
	if !a.Is6() {
		return nil
	}
	b := a.As16()
	v4 := func(i int, xor byte) netip.Addr {
		return netip.AddrFrom4([4]byte{b[i] ^ xor, b[i+1] ^ xor, b[i+2] ^ xor, b[i+3] ^ xor})
	}
	switch {
	case a.Is4In6():
		return []Embedded{{v4(12, 0), "IPv4-mapped IPv6"}}
	case pfxNAT64.Contains(a):
		return []Embedded{{v4(12, 0), "NAT64"}}
	case pfxNAT64Local.Contains(a):
		return []Embedded{{v4(12, 0), "local-use NAT64"}}
	case pfxTranslated.Contains(a):
		return []Embedded{{v4(12, 0), "IPv4-translated IPv6"}}
	case pfxCompat.Contains(a):
		return []Embedded{{v4(12, 0), "IPv4-compatible IPv6"}}
	case pfx6to4.Contains(a):
		return []Embedded{{v4(2, 0), "6to4"}}
	case pfxTeredo.Contains(a):
		return []Embedded{{v4(12, 0xff), "Teredo client"}, {v4(4, 0), "Teredo server"}}
	}
	return nil
}

func addrReason(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "invalid"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, p := range nonPublic {
		if p.pfx.Contains(a) {
			return p.why
		}
	}
	return ""
}

var nonPublic = []struct {
	pfx netip.Prefix
	why string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "reserved (this network)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved (IETF protocol)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

func nonPublicString(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ""
	}
	return NonPublicReason(a)
}

// RegisteredDomain returns the registrable domain (eTLD+1, from the public
// suffix list) of a host name: "ns1.nova-dns.net" → "nova-dns.net". It
// returns the name itself when it has no registrable part.
func RegisteredDomain(name string) string {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if d, err := publicsuffix.EffectiveTLDPlusOne(name); err == nil {
		return d
	}
	return name
}

// ICANNDomain returns the domain registered with an ICANN registry for a
// host name, ignoring the private section of the public suffix list, and
// the platform suffix the name sits under when there is one:
// "x.pages.dev" → ("pages.dev", "pages.dev"), "y.github.io" →
// ("github.io", "github.io"), "a.b.example.co.uk" → ("example.co.uk", "").
// WHOIS and RDAP know only the ICANN domain: for a name under a platform,
// they describe the platform, not the site's owner.
func ICANNDomain(name string) (domain, platform string) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	ps, icann := publicsuffix.PublicSuffix(name)
	if icann || ps == name && !strings.Contains(ps, ".") {
		return RegisteredDomain(name), ""
	}
	// A private suffix (pages.dev): its ICANN suffix is the longest tail
	// of it the list marks as ICANN's.
	labels := strings.Split(ps, ".")
	icannSuffix := ""
	for i := 1; i < len(labels); i++ {
		tail := strings.Join(labels[i:], ".")
		if s, ok := publicsuffix.PublicSuffix(tail); ok && s == tail {
			icannSuffix = tail
			break
		}
	}
	if icannSuffix == "" {
		return RegisteredDomain(name), ""
	}
	rest := strings.TrimSuffix(name, "."+icannSuffix)
	if rest == name {
		return name, ""
	}
	domain = rest[strings.LastIndexByte(rest, '.')+1:] + "." + icannSuffix
	if ps == name {
		return domain, "" // the platform's own domain
	}
	return domain, ps
}

// IsRegisteredDomain reports whether name is itself a registrable domain
// (not a host name under one).
func IsRegisteredDomain(name string) bool {
	return RegisteredDomain(name) == strings.TrimSuffix(strings.ToLower(name), ".")
}
