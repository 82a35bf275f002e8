package fingerprint

import (
	"slices"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func keys(as []recon.AnalyticsID) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Service+" "+a.ID+" "+a.Key)
	}
	return out
}

func TestAnalytics(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"universal analytics: the account links, not the property",
			`<script>ga('create', 'UA-12345678-3', 'auto');</script>`,
			[]string{"google-analytics UA-12345678-3 UA-12345678"}},
		{"gtag GA4 and Ads from the loader and config",
			`<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDE12345"></script><script>gtag('config', 'G-ABCDE12345'); gtag('config', 'AW-987654321');</script>`,
			[]string{"google-analytics G-ABCDE12345 G-ABCDE12345", "google-ads AW-987654321 AW-987654321"}},
		{"a G- word in text is not an ID", `<p>Buy the G-SHOCK12345 watch</p>`, nil},
		{"tag manager", `<script>(window,document,'script','dataLayer','GTM-K9X2ZQ7');</script>`,
			[]string{"google-tag-manager GTM-K9X2ZQ7 GTM-K9X2ZQ7"}},
		{"adsense", `<script data-ad-client="ca-pub-1234567890123456" src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>`,
			[]string{"adsense ca-pub-1234567890123456 ca-pub-1234567890123456"}},
		{"meta pixel: init and noscript image give one ID",
			`<script>fbq('init', '1234567890123456'); fbq('track', 'PageView');</script><noscript><img src="https://www.facebook.com/tr?id=1234567890123456&ev=PageView&noscript=1"/></noscript>`,
			[]string{"meta-pixel 1234567890123456 fb:1234567890123456"}},
		{"yandex metrika", `<script>ym(87654321, "init", {clickmap:true});</script><noscript><img src="https://mc.yandex.ru/watch/87654321"></noscript>`,
			[]string{"yandex-metrika 87654321 ym:87654321"}},
		{"hotjar", `<script>h._hjSettings={hjid:3456789,hjsv:6};</script>`, []string{"hotjar 3456789 hotjar:3456789"}},
		{"clarity", `<script>(function(c,l,a,r,i,t,y){})(window, document, "clarity", "script", "k3x9abcd12");</script>`,
			[]string{"clarity k3x9abcd12 clarity:k3x9abcd12"}},
		{"tiktok", `<script>ttq.load('C4ABCDEFGH1234567890'); ttq.page();</script>`, []string{"tiktok-pixel C4ABCDEFGH1234567890 tiktok:C4ABCDEFGH1234567890"}},
		{"linkedin", `<script>_linkedin_partner_id = "1234567";</script>`, []string{"linkedin-insight 1234567 linkedin:1234567"}},
		{"matomo: the tracker host links, the site id is kept",
			`<script>var _paq = window._paq = window._paq || []; (function() { var u="//stats.nova-metrics.net/"; _paq.push(['setTrackerUrl', u+'matomo.php']); _paq.push(['setSiteId', '7']); })();</script>`,
			[]string{"matomo stats.nova-metrics.net#7 matomo:stats.nova-metrics.net"}},
		{"matomo noscript pixel", `<noscript><img src="https://stats.example.org/matomo.php?idsite=3&rec=1"></noscript><script>_paq.push(['trackPageView'])</script>`,
			[]string{"matomo stats.example.org#3 matomo:stats.example.org"}},
		{"matomo site id without a host says nothing", `<script>_paq.push(['setSiteId', '1']);</script>`, nil},
		{"nothing", `<html><body>hello</body></html>`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(Analytics([]byte(tc.body))); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}
