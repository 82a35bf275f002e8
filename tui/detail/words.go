package detail

import "strings"

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
