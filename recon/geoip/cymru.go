package geoip

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/netspecter/netspecter-tui/recon"
)

// Origin is Team Cymru's answer for one address: the announcing ASN and the
// BGP prefix, with the registry data of the prefix and the AS name.
type Origin struct {
	ASN       uint32   // the first ASN announcing the prefix
	ASNs      []uint32 // every ASN listed (multi-origin prefixes list several)
	Prefix    string   // BGP prefix, CIDR
	CC        string   // country code of the registration
	Registry  string   // arin, ripencc, apnic, lacnic, afrinic
	Allocated string   // allocation date as given (YYYY-MM-DD)
	Name      string   // AS name from asn.cymru.com, e.g. "GOOGLE - Google Inc., US"
}

// ErrBadCymru is wrapped by the parse errors of Cymru answers.
var ErrBadCymru = errors.New("geoip: malformed Team Cymru answer")

// LookupFunc asks one DNS question; *recon.Run's Lookup and *recon.Env's
// Exchange both fit.
type LookupFunc func(ctx context.Context, name string, qtype uint16) (*dns.Msg, error)

// OriginName returns the Cymru question for a: the reversed octets under
// zone4 for IPv4 ("31.108.90.216.origin.asn.cymru.com") or the reversed
// nibbles of all 32 hex digits under zone6 for IPv6.
func OriginName(a netip.Addr, zone4, zone6 string) string {
	a = a.Unmap()
	if a.Is4() {
		return ReverseName(a) + "." + strings.TrimSuffix(zone4, ".")
	}
	return ReverseName(a) + "." + strings.TrimSuffix(zone6, ".")
}

// ReverseName returns the reversed labels of an address as DNSBLs and Cymru
// use them, without a zone: "4.3.2.1" for 1.2.3.4 and 32 dot-separated
// nibbles for an IPv6 address.
func ReverseName(a netip.Addr) string {
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		return fmt.Sprintf("%d.%d.%d.%d", b[3], b[2], b[1], b[0])
	}
	b := a.As16()
	const hexdig = "0123456789abcdef"
	out := make([]byte, 0, 63)
	for i := len(b) - 1; i >= 0; i-- {
		if len(out) > 0 {
			out = append(out, '.')
		}
		out = append(out, hexdig[b[i]&0x0f], '.', hexdig[b[i]>>4])
	}
	return string(out)
}

// fields splits a " | "-separated Cymru TXT string, tolerating the
// surrounding double quotes of dig's presentation format.
func fields(txt string) []string {
	txt = strings.TrimSpace(txt)
	if len(txt) >= 2 && txt[0] == '"' && txt[len(txt)-1] == '"' {
		txt = txt[1 : len(txt)-1]
	}
	parts := strings.Split(txt, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func parseASNList(s string) ([]uint32, error) {
	var out []uint32
	for _, f := range strings.Fields(s) {
		f = strings.TrimPrefix(strings.ToUpper(f), "AS")
		n, err := strconv.ParseUint(f, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: ASN %q is not a number", ErrBadCymru, f)
		}
		out = append(out, uint32(n))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no ASN", ErrBadCymru)
	}
	return out, nil
}

// ParseOrigin parses an origin/origin6 TXT string
// "ASN | prefix | CC | registry | allocated"; the ASN field may list several
// ASNs ("1 2 3"), of which the first is taken.
func ParseOrigin(txt string) (Origin, error) {
	f := fields(txt)
	if len(f) < 2 {
		return Origin{}, fmt.Errorf("%w: want \"ASN | prefix | CC | registry | allocated\", got %q", ErrBadCymru, txt)
	}
	asns, err := parseASNList(f[0])
	if err != nil {
		return Origin{}, err
	}
	o := Origin{ASN: asns[0], ASNs: asns}
	if f[1] != "" {
		p, err := netip.ParsePrefix(f[1])
		if err != nil {
			return Origin{}, fmt.Errorf("%w: prefix %q: %v", ErrBadCymru, f[1], err)
		}
		o.Prefix = p.String()
	}
	if len(f) > 2 {
		o.CC = f[2]
	}
	if len(f) > 3 {
		o.Registry = f[3]
	}
	if len(f) > 4 {
		o.Allocated = f[4]
	}
	return o, nil
}

// ASInfo is Team Cymru's asn.cymru.com answer for one ASN.
type ASInfo struct {
	ASN       uint32
	CC        string
	Registry  string
	Allocated string
	Name      string
}

// ParseASName parses an asn.cymru.com TXT string
// "ASN | CC | registry | allocated | NAME". The name may itself contain "|"
// in theory; everything after the fourth separator is kept.
func ParseASName(txt string) (ASInfo, error) {
	f := fields(txt)
	if len(f) < 5 {
		return ASInfo{}, fmt.Errorf("%w: want \"ASN | CC | registry | allocated | NAME\", got %q", ErrBadCymru, txt)
	}
	asns, err := parseASNList(f[0])
	if err != nil {
		return ASInfo{}, err
	}
	return ASInfo{ASN: asns[0], CC: f[1], Registry: f[2], Allocated: f[3], Name: strings.Join(f[4:], " | ")}, nil
}

// txtOf joins the character-strings of each TXT answer.
func txtOf(m *dns.Msg) []string {
	var out []string
	if m == nil {
		return nil
	}
	for _, rr := range m.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out
}

// ErrNoOrigin means Cymru has no route for the address (NXDOMAIN or no TXT).
var ErrNoOrigin = errors.New("geoip: Team Cymru knows no route for this address")

// LookupOrigin asks the origin zone for a and parses the first usable
// answer. It does not ask for the AS name. NXDOMAIN and empty answers return
// ErrNoOrigin; other rcodes return a *recon.RcodeError.
func LookupOrigin(ctx context.Context, lookup LookupFunc, env *recon.Env, a netip.Addr) (Origin, error) {
	zone4, zone6 := env.CymruOrigin, env.CymruOrigin6
	if zone4 == "" {
		zone4 = "origin.asn.cymru.com"
	}
	if zone6 == "" {
		zone6 = "origin6.asn.cymru.com"
	}
	name := OriginName(a, zone4, zone6)
	m, err := lookup(ctx, name, dns.TypeTXT)
	if err != nil {
		return Origin{}, err
	}
	switch m.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return Origin{}, ErrNoOrigin
	default:
		return Origin{}, &recon.RcodeError{Name: name, Type: "TXT", Rcode: m.Rcode}
	}
	var firstErr error
	for _, t := range txtOf(m) {
		o, err := ParseOrigin(t)
		if err == nil {
			return o, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return Origin{}, firstErr
	}
	return Origin{}, ErrNoOrigin
}

// LookupASName asks the asn.cymru.com zone for the name of an ASN.
func LookupASName(ctx context.Context, lookup LookupFunc, env *recon.Env, asn uint32) (ASInfo, error) {
	zone := env.CymruASN
	if zone == "" {
		zone = "asn.cymru.com"
	}
	name := fmt.Sprintf("AS%d.%s", asn, strings.TrimSuffix(zone, "."))
	m, err := lookup(ctx, name, dns.TypeTXT)
	if err != nil {
		return ASInfo{}, err
	}
	if m.Rcode != dns.RcodeSuccess {
		return ASInfo{}, &recon.RcodeError{Name: name, Type: "TXT", Rcode: m.Rcode}
	}
	var firstErr error
	for _, t := range txtOf(m) {
		info, err := ParseASName(t)
		if err == nil {
			return info, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("%w: no TXT answer for %s", ErrBadCymru, name)
	}
	return ASInfo{}, firstErr
}

// Cymru returns the origin of a with its AS name filled in when the
// asn.cymru.com zone answers (a failure there leaves Name empty).
func Cymru(ctx context.Context, lookup LookupFunc, env *recon.Env, a netip.Addr) (Origin, error) {
	o, err := LookupOrigin(ctx, lookup, env, a)
	if err != nil {
		return o, err
	}
	if info, err := LookupASName(ctx, lookup, env, o.ASN); err == nil {
		o.Name = info.Name
		if o.CC == "" {
			o.CC = info.CC
		}
		if o.Registry == "" {
			o.Registry = info.Registry
		}
	}
	return o, nil
}
