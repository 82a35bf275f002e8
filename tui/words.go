package tui

import (
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/detail"
)

// kindName is the human name of a pivot kind ("autonomous system").
func kindName(k recon.PivotKind) string {
	if n, ok := detail.KindNames[k]; ok {
		return n
	}
	return string(k)
}

// aKind is the kind's name with its article: "an autonomous system",
// "a registrar".
func aKind(k recon.PivotKind) string {
	return detail.Article(kindName(k))
}
