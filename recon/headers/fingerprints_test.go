package headers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

var icon = []byte("\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00fake-icon-bytes-for-the-test")

const kitPage = `<!DOCTYPE html><html><head><title>Nova Parcels</title>
<link rel="shortcut icon" href="/static/fav.ico">
<meta name="google-site-verification" content="gsvTOKEN1">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-NOVA123456"></script>
<script>gtag('config', 'G-NOVA123456'); ga('create', 'UA-7654321-2');</script>
</head><body><h1>Your parcel is waiting</h1></body></html>`

func TestPageFingerprints(t *testing.T) {
	Tech(nil, nil) // compile the fingerprints outside the module's time
	tests := []struct {
		name        string
		page        string
		routes      map[string][]byte // path -> body ("text/html" when it starts with '<')
		wantIcon    bool
		wantIconURL string
		wantErr     string // prefix of FaviconError
		wantPivots  []string
	}{
		{"link rel icon, analytics, meta token", kitPage, map[string][]byte{"/static/fav.ico": icon}, true, "/static/fav.ico", "",
			[]string{"analytics UA-7654321", "analytics G-NOVA123456", "favicon " + itoa(fingerprint.ShodanHash(icon)), "page", "verify google:gsvTOKEN1"}},
		{"no link: /favicon.ico", `<html><head><title>x</title></head><body>plain page with enough text to be hashed at all, really enough text</body></html>`,
			map[string][]byte{"/favicon.ico": icon}, true, "/favicon.ico", "", nil},
		{"the link is broken: /favicon.ico after it", `<link rel=icon href="/missing.png"><p>x</p>`,
			map[string][]byte{"/favicon.ico": icon}, true, "/favicon.ico", "", nil},
		{"an HTML answer is no icon", `<p>page</p>`, map[string][]byte{"/favicon.ico": []byte("<html><body>soft 404</body></html>")}, false, "", "no favicon: ", nil},
		{"a 404 is no icon", `<p>page</p>`, nil, false, "", "no favicon: ", nil},
		{"an oversized icon is not hashed", `<p>page</p>`, map[string][]byte{"/favicon.ico": append([]byte{0, 0, 1, 0}, make([]byte, MaxFavicon)...)}, false, "", "favicon not checked: ", nil},
		{"inline data: icon", `<link rel="icon" href="data:image/png;base64,iVBORw0KGgo="><p>x</p>`, nil, true, "data:", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/" {
					w.Header().Set("Content-Type", "text/html")
					_, _ = w.Write([]byte(tc.page))
					return
				}
				b, ok := tc.routes[r.URL.Path]
				if !ok {
					http.NotFound(w, r)
					return
				}
				if strings.HasPrefix(string(b), "<") {
					w.Header().Set("Content-Type", "text/html")
				} else {
					w.Header().Set("Content-Type", "image/x-icon")
				}
				_, _ = w.Write(b)
			})
			res, f := run(t, start(t, h, "127.0.0.1"), 30*time.Second)
			if res.Status != recon.StatusOK {
				t.Fatalf("status %s: %s", res.Status, res.Err)
			}
			if (f.Favicon != nil) != tc.wantIcon {
				t.Fatalf("favicon %+v, error %q", f.Favicon, f.FaviconError)
			}
			if tc.wantIcon && !strings.HasSuffix(f.Favicon.URL, tc.wantIconURL) {
				t.Errorf("icon from %s, want …%s", f.Favicon.URL, tc.wantIconURL)
			}
			if tc.wantIcon && tc.wantIconURL != "data:" && f.Favicon.ShodanHash != fingerprint.ShodanHash(icon) {
				t.Errorf("hash %d", f.Favicon.ShodanHash)
			}
			if !strings.HasPrefix(f.FaviconError, tc.wantErr) || (tc.wantErr == "") != (f.FaviconError == "") {
				t.Errorf("favicon error %q, want prefix %q", f.FaviconError, tc.wantErr)
			}
			if tc.wantPivots != nil {
				var got []string
				for _, p := range res.Pivots {
					v := string(p.Kind)
					if p.Kind != recon.PivotPage {
						v += " " + p.Value
					} else if len(p.Value) != 64 {
						t.Errorf("page pivot %q", p.Value)
					}
					got = append(got, v)
				}
				if !slices.Equal(got, tc.wantPivots) {
					t.Errorf("pivots %q\nwant %q", got, tc.wantPivots)
				}
				if f.Title != "Nova Parcels" || f.PageHash == "" {
					t.Errorf("title %q hash %q", f.Title, f.PageHash)
				}
			}
		})
	}
}

func itoa(h int32) string { return strconv.FormatInt(int64(h), 10) }

func TestPassiveSkipReason(t *testing.T) {
	r := New().(interface{ PassiveSkipReason() string }).PassiveSkipReason()
	for _, w := range []string{"passive-strict", "analytics", "favicon", "page"} {
		if !strings.Contains(r, w) {
			t.Errorf("reason %q does not name %s", r, w)
		}
	}
}

// A favicon that cannot be read (the connection drops) is "not checked",
// never "no favicon".
func TestFaviconNotChecked(t *testing.T) {
	Tech(nil, nil)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html><head><title>x</title></head><body>page</body></html>`))
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	res, f := run(t, start(t, h, "127.0.0.1"), 30*time.Second)
	if res.Status != recon.StatusOK || f.Favicon != nil {
		t.Fatalf("status %s, favicon %+v", res.Status, f.Favicon)
	}
	if !strings.HasPrefix(f.FaviconError, "favicon not checked: ") {
		t.Errorf("favicon error %q, want 'favicon not checked: …'", f.FaviconError)
	}
}
