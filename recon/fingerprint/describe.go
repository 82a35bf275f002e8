package fingerprint

import (
	"fmt"

	"github.com/netspecter/netspecter-tui/recon"
)

// The one-line descriptions the text report and the workbench show. They
// hold strings from the network: the caller sanitises them for display.

// ScopeWords says in words what a token's scope means for linking.
func ScopeWords(scope string) string {
	switch scope {
	case recon.ScopeAccount:
		return "per account: links the domains that carry it"
	case recon.ScopeDomain:
		return "per domain: links nothing — the same token twice is a copy, not a common owner"
	}
	return "scope unknown: links nothing"
}

// VerifyLine describes one verification token.
func VerifyLine(v recon.VerifyToken) string {
	return fmt.Sprintf("%s %s (%s)", v.Service, v.Token, ScopeWords(v.Scope))
}

// AnalyticsLine describes one analytics ID.
func AnalyticsLine(a recon.AnalyticsID) string {
	if a.Key != a.ID {
		return fmt.Sprintf("%s %s (key %s)", a.Service, a.ID, a.Key)
	}
	return a.Service + " " + a.ID
}

// FaviconLine describes the favicon facts of a page: the icon, or why
// there is none.
func FaviconLine(f *recon.HeadersFacts) string {
	if f.Favicon == nil {
		return f.FaviconError
	}
	s := fmt.Sprintf("shodan %d · sha256 %.16s… · %d bytes · %s", f.Favicon.ShodanHash, f.Favicon.SHA256, f.Favicon.Size, f.Favicon.URL)
	if f.Favicon.Default != "" {
		s += " · stock icon of " + f.Favicon.Default + " (links nothing)"
	}
	return s
}

// PageLine describes the page hash; "" when there is none.
func PageLine(f *recon.HeadersFacts) string {
	if f.PageHash == "" {
		return ""
	}
	s := fmt.Sprintf("%.16s… (%d normalised bytes)", f.PageHash, f.PageSize)
	switch {
	case f.PageDefault != "":
		s += " · " + f.PageDefault + " (links nothing)"
	case f.PageSize < MinPageSize:
		s += " · too small to link anything"
	}
	return s
}
