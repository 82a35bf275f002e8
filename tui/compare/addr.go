package compare

import (
	"net/netip"
	"strings"
)

// compareAddr orders addresses and prefixes numerically, text otherwise.
func compareAddr(a, b string) int {
	pa, ea := parseAddrOrPrefix(a)
	pb, eb := parseAddrOrPrefix(b)
	if ea == nil && eb == nil {
		return pa.Compare(pb)
	}
	return strings.Compare(a, b)
}

func parseAddrOrPrefix(s string) (netip.Addr, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Addr(), nil
	}
	return netip.ParseAddr(s)
}
