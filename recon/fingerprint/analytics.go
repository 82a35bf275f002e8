package fingerprint

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// An analyticsRule finds one kind of ID. The expression's first group is
// the ID; key builds the shared value from it (see recon.AnalyticsID.Key).
// Every expression starts with a literal, so that the regexp engine skips
// to its occurrences (a leading class or \b makes it step through every
// byte: half a second on a 512 KiB page); quoted says the match must
// follow a quote or "id=" (checked by hand for the same reason).
type analyticsRule struct {
	service string
	re      *regexp.Regexp
	key     func(id string) string
	quoted  bool
}

func prefixed(p string) func(string) string { return func(id string) string { return p + ":" + id } }

func same(id string) string { return id }

// analyticsRules are the snippets the products document for their tags.
// IDs are taken only where the snippet puts them (a quoted argument, an id=
// parameter), not from any text that happens to look like one.
var analyticsRules = []analyticsRule{
	// Universal Analytics: UA-<account>-<property>; the account links.
	{"google-analytics", regexp.MustCompile(`(UA-\d{4,10}-\d{1,4})\b`), func(id string) string {
		return id[:strings.LastIndexByte(id, '-')]
	}, false},
	// GA4 measurement ID, in gtag('config', 'G-…') or gtag/js?id=G-….
	{"google-analytics", regexp.MustCompile(`(G-[A-Z0-9]{6,12})\b`), same, true},
	{"google-tag-manager", regexp.MustCompile(`(GTM-[A-Z0-9]{4,9})\b`), same, false},
	{"google-ads", regexp.MustCompile(`(AW-\d{6,12})\b`), same, true},
	{"adsense", regexp.MustCompile(`(ca-pub-\d{10,20})\b`), same, false},
	// Meta (Facebook) pixel: fbq('init', '<id>') and the noscript image.
	{"meta-pixel", regexp.MustCompile(`fbq\(\s*['"]init['"]\s*,\s*['"]?(\d{10,20})`), prefixed("fb"), false},
	{"meta-pixel", regexp.MustCompile(`facebook\.com/tr\?(?:[^"'\s>]*&(?:amp;)?)?id=(\d{10,20})`), prefixed("fb"), false},
	// Yandex Metrika: ym(<id>, "init", …), mc.yandex.ru/watch/<id>, new Ya.Metrika({id: <id>}).
	{"yandex-metrika", regexp.MustCompile(`ym\(\s*(\d{5,12})\s*,\s*['"]init['"]`), prefixed("ym"), false},
	{"yandex-metrika", regexp.MustCompile(`mc\.yandex\.ru/watch/(\d{5,12})`), prefixed("ym"), false},
	{"yandex-metrika", regexp.MustCompile(`Ya\.Metrika2?\(\s*\{\s*id\s*:\s*(\d{5,12})`), prefixed("ym"), false},
	// Hotjar: _hjSettings={hjid:<id>, …} or static.hotjar.com/c/hotjar-<id>.js.
	{"hotjar", regexp.MustCompile(`hjid\s*:\s*(\d{5,10})`), prefixed("hotjar"), false},
	{"hotjar", regexp.MustCompile(`hotjar-(\d{5,10})\.js`), prefixed("hotjar"), false},
	// Microsoft Clarity: clarity.ms/tag/<id> or (window, document, "clarity", "script", "<id>").
	{"clarity", regexp.MustCompile(`clarity\.ms/tag/([a-z0-9]{8,12})\b`), prefixed("clarity"), false},
	{"clarity", regexp.MustCompile(`clarity['"]\s*,\s*['"]script['"]\s*,\s*['"]([a-z0-9]{8,12})['"]`), prefixed("clarity"), false},
	// TikTok pixel: ttq.load('<id>').
	{"tiktok-pixel", regexp.MustCompile(`ttq\.load\(\s*['"]([A-Z0-9]{15,25})['"]`), prefixed("tiktok"), false},
	// LinkedIn Insight Tag: _linkedin_partner_id = "<id>".
	{"linkedin-insight", regexp.MustCompile(`_linkedin_partner_id\s*=\s*['"]?(\d{4,10})`), prefixed("linkedin"), false},
	// Pinterest tag: pintrk('load', '<id>').
	{"pinterest-tag", regexp.MustCompile(`pintrk\(\s*['"]load['"]\s*,\s*['"](\d{10,16})['"]`), prefixed("pinterest"), false},
	// X (Twitter) pixel: twq('config'|'init', '<id>').
	{"twitter-pixel", regexp.MustCompile(`twq\(\s*['"](?:init|config)['"]\s*,\s*['"]([a-z0-9]{5,8})['"]`), prefixed("twitter"), false},
	// Snap pixel: snaptr('init', '<uuid>').
	{"snap-pixel", regexp.MustCompile(`snaptr\(\s*['"]init['"]\s*,\s*['"]([0-9a-f-]{36})['"]`), prefixed("snap"), false},
	// Baidu Tongji: hm.baidu.com/hm.js?<32 hex>.
	{"baidu-tongji", regexp.MustCompile(`hm\.baidu\.com/hm\.js\?([0-9a-f]{32})`), prefixed("baidu"), false},
	// StatCounter: var sc_project=<id>.
	{"statcounter", regexp.MustCompile(`sc_project\s*=\s*['"]?(\d{5,10})`), prefixed("statcounter"), false},
}

// Matomo (Piwik): the site id alone (1, 2, 3 …) says nothing; the tracker
// host does — a self-hosted Matomo serves all of its owner's sites, each
// under its own id. The host comes from the tracker URL of the snippet
// (var u="//stats.example.net/"; setTrackerUrl u+'matomo.php') or from the
// <noscript> image (…/matomo.php?idsite=3).
var (
	matomoSite    = regexp.MustCompile(`setSiteId['"]\s*,\s*['"]?(\d{1,6})`)
	matomoTracker = regexp.MustCompile(`setTrackerUrl['"]\s*,\s*['"]([^'"\s]{4,300})['"]`)
	matomoBase    = regexp.MustCompile(`\bu\s*=\s*['"]((?:https?:)?//[^'"\s]{3,300})['"]`)
	matomoPixel   = regexp.MustCompile(`((?:https?:)?//[^'"\s<>]{3,300}?)/(?:matomo|piwik)\.php\?idsite=(\d{1,6})`)
)

// maxAnalytics bounds the IDs kept from one page.
const maxAnalytics = 64

// Analytics returns the analytics and advertising IDs of a page, each
// (service, ID) once, in the order of analyticsRules then Matomo.
func Analytics(body []byte) []recon.AnalyticsID {
	var out []recon.AnalyticsID
	seen := map[string]bool{}
	add := func(a recon.AnalyticsID) {
		k := a.Service + "\x00" + a.ID
		if seen[k] || len(out) >= maxAnalytics {
			return
		}
		seen[k] = true
		out = append(out, a)
	}
	for _, r := range analyticsRules {
		for _, m := range r.re.FindAllSubmatchIndex(body, -1) {
			if len(out) >= maxAnalytics {
				break
			}
			if r.quoted && !afterQuoteOrID(body, m[2]) {
				continue
			}
			id := string(body[m[2]:m[3]])
			add(recon.AnalyticsID{Service: r.service, ID: id, Key: r.key(id)})
		}
	}
	if bytes.Contains(body, []byte("_paq")) || bytes.Contains(body, []byte("matomo.js")) || bytes.Contains(body, []byte("piwik.js")) {
		for _, a := range matomo(body) {
			add(a)
		}
	}
	return out
}

func matomo(body []byte) []recon.AnalyticsID {
	var out []recon.AnalyticsID
	// The expressions below do not start with a literal: they run on
	// windows around the literal they need, not on the whole page.
	for i, n := 0, 0; n < 8; n++ {
		k := bytes.Index(body[i:], []byte(".php?idsite="))
		if k < 0 {
			break
		}
		at := i + k
		if m := matomoPixel.FindSubmatch(body[max(0, at-310):min(len(body), at+20)]); m != nil {
			if h := trackerHost(string(m[1])); h != "" {
				out = append(out, matomoID(h, string(m[2])))
			}
		}
		i = at + 1
	}
	site := ""
	if m := matomoSite.FindSubmatch(body); m != nil {
		site = string(m[1])
	}
	var host string
	if m := matomoTracker.FindSubmatch(body); m != nil {
		host = trackerHost(string(m[1]))
	}
	if at := bytes.Index(body, []byte("setTrackerUrl")); host == "" && at >= 0 {
		// setTrackerUrl, u+'matomo.php': the base URL u is set just before
		if b := matomoBase.FindSubmatch(body[max(0, at-2000):at]); b != nil {
			host = trackerHost(string(b[1]))
		}
	}
	if host != "" && site != "" {
		out = append(out, matomoID(host, site))
	}
	return out
}

func matomoID(host, site string) recon.AnalyticsID {
	return recon.AnalyticsID{Service: "matomo", ID: host + "#" + site, Key: "matomo:" + host, Host: host, SiteID: site}
}

// trackerHost returns the lower-case host of a tracker URL ("//h/", "https://h/p"), "" when there is none.
func trackerHost(s string) string {
	if strings.HasPrefix(s, "//") {
		s = "https:" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// afterQuoteOrID reports whether the ID at i follows a quote or "id=" (a
// gtag argument or a loader URL), not running text.
func afterQuoteOrID(body []byte, i int) bool {
	if i > 0 && (body[i-1] == '\'' || body[i-1] == '"') {
		return true
	}
	return i >= 4 && (body[i-4] == '?' || body[i-4] == '&') && string(body[i-3:i]) == "id="
}
