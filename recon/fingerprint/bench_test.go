package fingerprint

import (
	"bytes"
	"strings"
	"testing"
)

// bigPage is a page of about 512 KiB (the headers module's MaxBody): the
// kit page repeated, with scripts, hidden inputs and analytics snippets.
func bigPage() []byte {
	unit := `<div class="row"><p>Pay the customs fee to release your delivery.</p><input type="hidden" name="_token" value="a8F3k2LmQ9zX71bN0pRt55eW">` +
		`<script nonce="n0nce4AAA1">gtag('config', 'G-ABCDE12345'); fbq('init', '1234567890123456');</script><a href="/x?v=9f86d081884c7d659a2feaa0c55ad015">link</a></div>` + "\n"
	var b bytes.Buffer
	b.WriteString("<html><head><title>Kit</title></head><body>")
	for b.Len() < 512<<10 {
		b.WriteString(unit)
	}
	b.WriteString("</body></html>")
	return b.Bytes()
}

// BenchmarkPageFingerprints is what the headers module spends on the page
// read at its cap: title, page hash, stock-page check, analytics IDs and
// verification meta tags.
func BenchmarkPageFingerprints(b *testing.B) {
	page := bigPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		t := Title(page)
		_, _ = PageHash(page, "example.com")
		_ = DefaultPage(t, page)
		_ = Analytics(page)
		_ = MetaVerifications(page)
	}
}

// BenchmarkShodanHash hashes a 256 KiB icon (MaxFavicon).
func BenchmarkShodanHash(b *testing.B) {
	icon := []byte(strings.Repeat("\x00\x01\x02icon", 256<<10/7))
	b.SetBytes(int64(len(icon)))
	b.ReportAllocs()
	for b.Loop() {
		_ = ShodanHash(icon)
	}
}
