// Package cdn recognises addresses of content-delivery networks whose edge
// addresses are shared by many unrelated sites, so that ports, IP pivots and
// clusters on them are not read as facts about one origin.
package cdn

import "net/netip"

// CloudflareRangesDate is when the embedded Cloudflare ranges were taken from
// https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6.
const CloudflareRangesDate = "2026-11-01"

// CloudflareASN is Cloudflare's autonomous system.
const CloudflareASN = 13335

var cloudflare = mustPrefixes(
	"173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22",
	"141.101.64.0/18", "108.162.192.0/18", "190.93.240.0/20", "188.114.96.0/20",
	"197.234.240.0/22", "198.41.128.0/17", "162.158.0.0/15", "104.16.0.0/13",
	"104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
	"2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32",
	"2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32",
)

func mustPrefixes(s ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(s))
	for i, p := range s {
		out[i] = netip.MustParsePrefix(p)
	}
	return out
}

// Provider returns "cloudflare" when a is inside Cloudflare's published
// ranges, or "".
func Provider(a netip.Addr) string {
	a = a.Unmap()
	for _, p := range cloudflare {
		if p.Contains(a) {
			return "cloudflare"
		}
	}
	return ""
}

// ProviderString is Provider for a textual address ("" when it does not parse).
func ProviderString(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ""
	}
	return Provider(a)
}
