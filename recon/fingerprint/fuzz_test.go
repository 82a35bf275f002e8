package fingerprint

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPage feeds arbitrary bytes to every page reader: none may panic,
// normalising twice changes nothing more, a title is valid UTF-8 within its
// cap, every analytics key names its ID, every token is bounded and has no
// white space.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`<title>x</title><script>gtag('config','G-ABCDEF1234')</script><meta name="google-site-verification" content="t">`))
	f.Add([]byte(`<script>_paq.push(['setSiteId','3']);var u="//stats.example.net/";</script><link rel=icon href=x>`))
	f.Add([]byte("<title>\xff\xfe</title><input type=hidden value=abc123def456ghi789jkl>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if ti := Title(body); !utf8.ValidString(ti) && utf8.Valid(body) || len(ti) > maxTitle {
			t.Errorf("title %q", ti)
		}
		n := Normalise(body, "example.com")
		if n2 := Normalise(n, "example.com"); !bytes.Equal(Normalise(n2, "example.com"), n2) {
			t.Errorf("normalisation does not settle: %q", n)
		}
		for _, a := range Analytics(body) {
			if a.ID == "" || a.Key == "" || a.Service == "" {
				t.Errorf("analytics %+v", a)
			}
		}
		for _, v := range MetaVerifications(body) {
			if v.Token == "" || len(v.Token) > maxToken || strings.ContainsAny(v.Token, " \t\r\n") {
				t.Errorf("token %+v", v)
			}
		}
		_ = DefaultPage(Title(body), body)
	})
}
