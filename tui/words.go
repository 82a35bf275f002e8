package tui

import (
	"strconv"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/detail"
)

// plural returns "1 scan", "2 scans", "1 entity", "3 entities".
func plural(n int, word string) string {
	return strconv.Itoa(n) + " " + detail.Plural(n, word)
}

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
