package detail

import (
	"strings"

	"github.com/netspecter/netspecter-tui/recon/render"
)

// Plural returns word for one, its plural otherwise ("entity" →
// "entities", "address" → "addresses", "name" → "names"): render.Plural,
// the one the facts rows use.
func Plural(n int, word string) string { return render.Plural(n, word) }

// Count returns "1 name", "2 names".
func Count(n int, word string) string { return render.Count(n, word) }

// Article puts "a" or "an" before a noun phrase by its sound: "an
// autonomous system", "an IP address", "an e-mail address", "a registrar".
func Article(s string) string {
	if s == "" {
		return s
	}
	switch {
	case strings.HasPrefix(s, "IP"), strings.HasPrefix(s, "MX"), strings.HasPrefix(s, "NS"), strings.HasPrefix(s, "SAN"),
		strings.HasPrefix(s, "e-"), strings.HasPrefix(s, "ASN"):
		return "an " + s
	case strings.ContainsRune("aeiou", rune(s[0])) && !strings.HasPrefix(s, "uni") && !strings.HasPrefix(s, "use"):
		return "an " + s
	}
	return "a " + s
}
