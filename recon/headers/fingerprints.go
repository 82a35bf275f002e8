package headers

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// MaxFavicon bounds the icon read. A larger icon is not hashed: a hash of
// its first bytes would match nothing Shodan knows.
const MaxFavicon = 256 << 10

// maxIconTries bounds the icon URLs tried (the page's <link rel=icon>
// ones, then /favicon.ico).
const maxIconTries = 3

// pageFingerprints fills the title, page hash, default-page name,
// analytics IDs and verification <meta> tags from the body.
func pageFingerprints(f *recon.HeadersFacts, body []byte, domain string) {
	if len(body) == 0 {
		return
	}
	f.Title = fingerprint.Title(body)
	hosts := []string{domain}
	if u, err := url.Parse(f.FinalURL); err == nil && u.Hostname() != "" && !strings.EqualFold(u.Hostname(), domain) {
		hosts = append(hosts, u.Hostname())
	}
	f.PageHash, f.PageSize = fingerprint.PageHash(body, hosts...)
	f.PageDefault = fingerprint.DefaultPage(f.Title, body)
	f.Analytics = fingerprint.Analytics(body)
	f.Verifications = fingerprint.MetaVerifications(body)
}

// Pivots are the fingerprint values of the facts as pivots: analytics
// IDs, the favicon's Shodan hash, the page hash and verification tokens.
func Pivots(f *recon.HeadersFacts) []recon.Pivot {
	var ps []recon.Pivot
	seen := map[string]bool{}
	add := func(k recon.PivotKind, v, rel string) {
		if v == "" || seen[string(k)+"\x00"+v] {
			return
		}
		seen[string(k)+"\x00"+v] = true
		ps = append(ps, recon.Pivot{Kind: k, Value: v, Relation: rel})
	}
	for _, a := range f.Analytics {
		add(recon.PivotAnalytics, a.Key, recon.RelAnalytics)
	}
	if f.Favicon != nil {
		add(recon.PivotFavicon, strconv.FormatInt(int64(f.Favicon.ShodanHash), 10), recon.RelFavicon)
	}
	add(recon.PivotPage, f.PageHash, recon.RelPage)
	for _, v := range f.Verifications {
		add(recon.PivotVerify, v.Service+":"+v.Token, recon.RelVerify)
	}
	return ps
}

var (
	linkTag = regexp.MustCompile(`(?is)<link\b[^>]{0,1000}>`)
	linkRel = regexp.MustCompile(`(?is)\brel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
	linkRef = regexp.MustCompile(`(?is)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
)

func attr(re *regexp.Regexp, tag []byte) string {
	m := re.FindSubmatch(tag)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(string(m[1]) + string(m[2]) + string(m[3]))
}

// iconLinks returns the href of the page's <link rel="icon"> and
// <link rel="shortcut icon"> tags, in order (apple-touch-icon and
// mask-icon are other images).
func iconLinks(body []byte) []string {
	var out []string
	for _, tag := range linkTag.FindAll(body, 256) {
		rels := strings.Fields(strings.ToLower(attr(linkRel, tag)))
		icon := false
		for _, r := range rels {
			icon = icon || r == "icon"
		}
		if href := attr(linkRef, tag); icon && href != "" {
			out = append(out, href)
		}
	}
	return out
}

// favicon reads the site's icon: the page's <link rel=icon> (a data: URI
// is decoded in place), else /favicon.ico of the page's origin, through
// the Env's client (the guarded dialer refuses non-public addresses as
// for the page). It sets f.Favicon, or f.FaviconError saying whether the
// site has none or the icon could not be read.
func favicon(ctx context.Context, env *recon.Env, f *recon.HeadersFacts, body []byte) {
	base, err := url.Parse(f.FinalURL)
	if err != nil || base.Host == "" {
		base, err = url.Parse(f.URL)
		if err != nil {
			f.FaviconError = "favicon not checked: no page URL"
			return
		}
	}
	var tries []string
	for _, href := range iconLinks(body) {
		if strings.HasPrefix(strings.ToLower(href), "data:") {
			if fav, err := dataIcon(href); err == nil {
				f.Favicon = fav
				return
			}
			continue
		}
		u, err := base.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		tries = append(tries, u.String())
	}
	def := (&url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/favicon.ico"}).String()
	tries = append(tries, def)
	var reasons []string
	none := true // every answer was "there is no icon here", none a failure to ask
	seen := map[string]bool{}
	for _, u := range tries {
		if seen[u] || len(seen) >= maxIconTries {
			continue
		}
		seen[u] = true
		fav, absent, err := getIcon(ctx, env, u)
		if err == nil {
			f.Favicon = fav
			return
		}
		none = none && absent
		reasons = append(reasons, u+": "+err.Error())
		if ctx.Err() != nil {
			break
		}
	}
	if none {
		f.FaviconError = "no favicon: " + strings.Join(reasons, "; ")
	} else {
		f.FaviconError = "favicon not checked: " + strings.Join(reasons, "; ")
	}
}

// errNotIcon marks an answer that is not an icon (a status, an HTML page).
var errNotIcon = errors.New("not an icon")

// getIcon GETs one icon URL. absent is true when the server answered that
// there is no icon there (a 404, an HTML page), false when it could not be
// read (network, size).
func getIcon(ctx context.Context, env *recon.Env, u string) (fav *recon.FaviconFacts, absent bool, err error) {
	client := *env.HTTP
	maxRedirects := max(env.Limits.MaxRedirects, 0)
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (compatible; netspecter-tui)")
	req.Header.Set("Accept", "image/*,*/*;q=0.8")
	resp, err := client.Do(req)
	env.Sources.Done("http (target)", err, false)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, true, fmt.Errorf("%w: answered %s", errNotIcon, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxFavicon+1))
	if err != nil {
		return nil, false, fmt.Errorf("reading the icon: %w", err)
	}
	if len(b) > MaxFavicon {
		return nil, false, fmt.Errorf("icon larger than %d KiB, not hashed", MaxFavicon>>10)
	}
	if len(b) == 0 {
		return nil, true, fmt.Errorf("%w: empty answer", errNotIcon)
	}
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "text/html" || strings.HasPrefix(http.DetectContentType(b), "text/html") {
		return nil, true, fmt.Errorf("%w: answered with an HTML page", errNotIcon)
	}
	return iconFacts(resp.Request.URL.String(), ct, b), false, nil
}

func iconFacts(u, ct string, b []byte) *recon.FaviconFacts {
	sum := sha256.Sum256(b)
	h := fingerprint.ShodanHash(b)
	return &recon.FaviconFacts{URL: u, Size: len(b), ContentType: ct, ShodanHash: h,
		SHA256: hex.EncodeToString(sum[:]), Default: fingerprint.DefaultFavicon(h)}
}

// dataIcon decodes an inline icon (data:[type][;base64],payload).
func dataIcon(href string) (*recon.FaviconFacts, error) {
	meta, payload, ok := strings.Cut(href[len("data:"):], ",")
	if !ok {
		return nil, errNotIcon
	}
	var b []byte
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		var err error
		if b, err = base64.StdEncoding.DecodeString(strings.TrimSpace(payload)); err != nil {
			return nil, err
		}
		meta = meta[:len(meta)-len(";base64")]
	} else {
		s, err := url.PathUnescape(payload)
		if err != nil {
			return nil, err
		}
		b = []byte(s)
	}
	if len(b) == 0 || len(b) > MaxFavicon {
		return nil, errNotIcon
	}
	return iconFacts("data:", meta, b), nil
}
