package fingerprint

import (
	"strings"
	"testing"
)

func TestTitle(t *testing.T) {
	tests := []struct{ body, want string }{
		{`<html><head><TITLE>Nova  Parcels &amp; Co
		</TITLE></head>`, "Nova Parcels & Co"},
		{`<title lang="en">x</title><title>second</title>`, "x"},
		{`<html>no title</html>`, ""},
		{"<title>" + strings.Repeat("é", 400) + "</title>", strings.Repeat("é", 150)},
	}
	for _, tc := range tests {
		if got := Title([]byte(tc.body)); got != tc.want {
			t.Errorf("Title(%.40q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// One kit deployed on two domains: per-request tokens, nonces, scripts,
// white space and the host name differ, the page does not.
func TestPageHashKit(t *testing.T) {
	kit := func(host, csrf, nonce string, extraSpace string) string {
		return `<!DOCTYPE html><html><head><title>Track your parcel</title>
<meta name="csrf-token" content="` + csrf + `">
<script nonce="` + nonce + `">var session="` + csrf + `";</script>
<link rel="stylesheet" href="/app.css?v=` + csrf + `" integrity="sha384-` + nonce + `">
</head><body>` + extraSpace + `<h1>Your parcel is waiting</h1>
<form action="https://` + host + `/pay"><input type="hidden" name="_token" value="` + csrf + `">
<p>Pay the customs fee at ` + host + ` to release your delivery.</p></form><!-- build ` + nonce + ` --></body></html>`
	}
	a, na := PageHash([]byte(kit("nova-parcels.com", "a8F3k2LmQ9zX71bN0pRt55eW", "n0nce4AAA1", "")), "nova-parcels.com")
	b, nb := PageHash([]byte(kit("parcel-fees.net", "Zq81LmN3xY7bV2cR4tU99wPo", "n0nce9BBB2", "\n\n   ")), "parcel-fees.net")
	if a == "" || a != b || na != nb {
		t.Errorf("one kit on two domains: %s (%d) vs %s (%d)", a, na, b, nb)
	}
	other, _ := PageHash([]byte(strings.Replace(kit("parcel-fees.net", "x", "y", ""), "customs fee", "import duty", 1)), "parcel-fees.net")
	if other == a {
		t.Error("a different text gives the same hash")
	}
	if h, n := PageHash([]byte("  <script>x()</script> \n")); h != "" || n != 0 {
		t.Errorf("a page of scripts only: %q %d, want nothing", h, n)
	}
}

func TestDefaultPage(t *testing.T) {
	tests := []struct{ title, body, want string }{
		{"Welcome to nginx!", "<h1>Welcome to nginx!</h1>", "nginx welcome page"},
		{"Apache2 Debian Default Page: It works", "", "Apache default page"},
		{"", "<html><body><h1>It works!</h1></body></html>", "Apache default page"},
		{"IIS Windows Server", "", "IIS default page"},
		{"Default Web Site Page", "", "cPanel default page"},
		{"Domain Default page", "", "Plesk default page"},
		{"My blog", "<p>Just another WordPress site</p>", "WordPress fresh install"},
		{"Nova Parcels - Track your delivery", "<h1>Your parcel is waiting</h1>", ""},
		{"Hosting by cPanel fans", "we love cpanel and plesk", ""},
	}
	for _, tc := range tests {
		if got := DefaultPage(tc.title, []byte(tc.body)); got != tc.want {
			t.Errorf("DefaultPage(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}
