package fingerprint

import (
	"html"
	"regexp"
	"strings"

	"github.com/netspecter/netspecter-tui/recon"
)

// A verifyService is a site-verification scheme: the TXT prefix or meta
// tag name it uses, and whether its token is per account (the same value
// on every domain one account verifies: two domains with it are one
// customer's) or per domain (each domain gets its own value: two domains
// with the same one are a copy, not a common owner). Only per-account
// tokens link domains; a scope we could not establish is "unknown" and
// links nothing.
type verifyService struct {
	service string
	txt     string // TXT prefix, lower case, "" when none
	meta    string // <meta name=…>, lower case, "" when none
	scope   string
	why     string // the source of the scope, in words
}

// VerifyServices is the table of verification schemes and their scope,
// with the source of each decision.
var VerifyServices = []verifyService{
	{"google", "google-site-verification=", "google-site-verification", recon.ScopeDomain,
		"per site and user: Google's Site Verification team (google-site-verification-api group, thread mjcBE8j-T2k) says meta/DNS tokens are made unique per website and user so that a user's sites cannot be enumerated; Search Engine Roundtable 2008-09 quotes Google: the code depends on the site URL and the account's e-mail"},
	{"facebook", "facebook-domain-verification=", "facebook-domain-verification", recon.ScopeDomain,
		"per domain: one Meta Business Manager was given different codes for dailyidea.com and profiles.dailyidea.com (github.com/dailyidea/dailyidea.com---ARCHIVE issue 1036, 2021)"},
	{"microsoft", "ms=", "", recon.ScopeDomain,
		"per domain and tenant: Microsoft 365 issues an MS=msNNNNNNNN value when a domain is added to a tenant; published zones carry several MS= values on one domain (one per tenant that added it)"},
	{"bing", "", "msvalidate.01", recon.ScopeUnknown, "Bing Webmaster Tools: not documented"},
	{"atlassian", "atlassian-domain-verification=", "atlassian-domain-verification", recon.ScopeUnknown,
		"Atlassian support (Verify a domain to manage accounts) has each domain verified separately and does not say whether the token repeats"},
	{"docusign", "docusign=", "", recon.ScopeUnknown, "DocuSign domain claims: a GUID per claim; not documented whether it repeats"},
	{"apple", "apple-domain-verification=", "", recon.ScopeUnknown, "Apple: not documented"},
	{"adobe", "adobe-idp-site-verification=", "", recon.ScopeAccount,
		"per organisation: the Adobe Admin Console shows its organisation's DNS token for the domains it claims (helpx.adobe.com/enterprise/using/verify-domain-ownership.html: the token is generated in the Admin Console, domains are claimed up to 15 at a time); the one-token-per-organisation reading is from earlier revisions of that page and was not re-checked"},
	{"webex", "cisco-ci-domain-verification=", "", recon.ScopeDomain,
		"per domain: the Webex API generates the token for a given domain within an organisation (developer.webex.com, Get Domain Verification Token)"},
	{"yandex", "yandex-verification:", "yandex-verification", recon.ScopeUnknown, "Yandex.Webmaster: not documented"},
	{"pinterest", "pinterest-site-verification=", "p:domain_verify", recon.ScopeUnknown, "Pinterest: not documented"},
	{"zoom", "zoom_verify_", "", recon.ScopeUnknown, "Zoom associated domains: not documented"},
	{"stripe", "stripe-verification=", "", recon.ScopeUnknown, "Stripe: not documented"},
	{"dropbox", "dropbox-domain-verification=", "", recon.ScopeUnknown, "Dropbox: not documented"},
	{"hubspot", "hubspot-developer-verification=", "", recon.ScopeUnknown, "HubSpot: not documented"},
	{"globalsign", "globalsign-domain-verification=", "", recon.ScopeDomain, "per certificate order and domain (GlobalSign DNS TXT domain validation)"},
	{"baidu", "", "baidu-site-verification", recon.ScopeUnknown, "Baidu Ziyuan: not documented"},
}

// VerifyScope returns the scope of a service's tokens and its source in
// words; ScopeUnknown for a service not in VerifyServices.
func VerifyScope(service string) (scope, why string) {
	for _, v := range VerifyServices {
		if v.service == service {
			return v.scope, v.why
		}
	}
	return recon.ScopeUnknown, "not in the table of verification services"
}

// maxToken bounds a token's length (longer values are not tokens).
const maxToken = 256

// cleanToken trims a token and rejects an empty, overlong or spaced one.
func cleanToken(t string) (string, bool) {
	t = strings.Trim(strings.TrimSpace(t), `"'`)
	if t == "" || len(t) > maxToken || strings.ContainsAny(t, " \t\r\n") {
		return "", false
	}
	return t, true
}

// ParseVerification reads one TXT record as a site-verification token
// ("google-site-verification=abc" gives service google, token abc); false
// when the record is none of VerifyServices.
func ParseVerification(txt string) (recon.VerifyToken, bool) {
	t := strings.TrimSpace(txt)
	lt := strings.ToLower(t)
	for _, v := range VerifyServices {
		if v.txt == "" || !strings.HasPrefix(lt, v.txt) {
			continue
		}
		tok, ok := cleanToken(t[len(v.txt):])
		if !ok {
			return recon.VerifyToken{}, false
		}
		if v.service == "microsoft" {
			tok = strings.ToLower(tok) // MS=ms12345678: the case carries nothing
		}
		return recon.VerifyToken{Service: v.service, Token: tok, Scope: v.scope, Source: "dns"}, true
	}
	return recon.VerifyToken{}, false
}

// Verifications reads every TXT record, each (service, token) once.
func Verifications(txt []string) []recon.VerifyToken {
	var out []recon.VerifyToken
	for _, r := range txt {
		if v, ok := ParseVerification(r); ok && !hasToken(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func hasToken(list []recon.VerifyToken, v recon.VerifyToken) bool {
	for _, o := range list {
		if o.Service == v.Service && o.Token == v.Token {
			return true
		}
	}
	return false
}

var (
	metaTag  = regexp.MustCompile(`(?is)<meta\b[^>]{0,600}>`)
	metaName = regexp.MustCompile(`(?is)\bname\s*=\s*["']?([^"'\s>]+)`)
	metaCont = regexp.MustCompile(`(?is)\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
)

// MetaVerifications reads the site-verification <meta> tags of a page.
func MetaVerifications(body []byte) []recon.VerifyToken {
	var out []recon.VerifyToken
	for _, tag := range metaTag.FindAll(body, 256) {
		n := metaName.FindSubmatch(tag)
		if n == nil {
			continue
		}
		name := strings.ToLower(string(n[1]))
		for _, v := range VerifyServices {
			if v.meta == "" || v.meta != name {
				continue
			}
			c := metaCont.FindSubmatch(tag)
			if c == nil {
				break
			}
			tok, ok := cleanToken(html.UnescapeString(string(c[1]) + string(c[2]) + string(c[3])))
			if !ok {
				break
			}
			if t := (recon.VerifyToken{Service: v.service, Token: tok, Scope: v.scope, Source: "html"}); !hasToken(out, t) {
				out = append(out, t)
			}
			break
		}
	}
	return out
}
