package fingerprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"regexp"
	"strings"
)

// maxTitle bounds the title kept (in bytes, cut on a rune boundary).
const maxTitle = 300

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title\s*>`)

// Title returns the page's first <title>, entities decoded and white space
// folded; "" when there is none.
func Title(body []byte) string {
	m := titleRe.FindSubmatch(body)
	if m == nil {
		return ""
	}
	t := strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
	if len(t) > maxTitle {
		t = strings.ToValidUTF8(t[:maxTitle], "")
	}
	return t
}

// isRandomToken reports whether a long run of token characters mixes
// letters and digits the way generated tokens do (words and paths do not).
func isRandomToken(b []byte) bool {
	var digits, letters int
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		}
	}
	return digits >= 4 && letters >= 4
}

// PageHash returns the SHA-256 (lower-case hex) of Normalise(body,
// hosts...) and the normalised length; "" and 0 for a page that
// normalises to nothing.
func PageHash(body []byte, hosts ...string) (string, int) {
	n := Normalise(body, hosts...)
	if len(n) == 0 {
		return "", 0
	}
	sum := sha256.Sum256(n)
	return hex.EncodeToString(sum[:]), len(n)
}

// MinPageSize is the normalised length below which a page hash says
// nothing: a bare "OK", an empty shell filled by scripts, a one-line
// placeholder are shared by countless unrelated sites.
const MinPageSize = 64

// A defaultPage is a stock page, recognised by a marker in its title or
// body (lower case).
type defaultPage struct {
	name    string
	title   []string // any of these in the title
	body    []string // or any of these in the body
	sources string
}

// DefaultPages are the stock pages of web servers, control panels and
// CMSes: every fresh install serves the same page, so two sites sharing
// it share nothing but their software. The markers and their sources:
var DefaultPages = []defaultPage{
	{"nginx welcome page", []string{"welcome to nginx"}, nil,
		"nginx html/index.html (nginx.org source tree); Debian nginx-common /usr/share/nginx/html/index-debian.html"},
	{"OpenResty/Tengine welcome page", []string{"welcome to openresty", "welcome to tengine"}, nil,
		"openresty.org default nginx/html/index.html; Tengine html/index.html"},
	{"Apache default page", []string{"apache2 debian default page", "apache2 ubuntu default page", "test page for the apache http server", "test page for the http server", "http server test page", "apache http server test page"}, []string{"<h1>it works!</h1>"},
		"Apache httpd docs/docroot/index.html (\"It works!\"); Debian apache2 /var/www/html/index.html; Fedora/RHEL httpd welcome.conf noindex page"},
	{"IIS default page", []string{"iis windows server", "iis windows", "iis7", "iis8", "internet information services"}, []string{"iisstart.png", "iis-85.png"},
		"Microsoft IIS iisstart.htm (C:\\inetpub\\wwwroot)"},
	{"Caddy default page", []string{"caddy works!"}, nil, "Caddy's default index.html (caddyserver.com)"},
	{"LiteSpeed default page", []string{"litespeed web server"}, nil, "LiteSpeed/OpenLiteSpeed default Example/html/index.html"},
	{"Apache Tomcat default page", []string{"apache tomcat/"}, nil, "Apache Tomcat webapps/ROOT/index.jsp"},
	{"cPanel default page", []string{"default web site page"}, []string{"future home of something quite cool"},
		"cPanel defaultwebpage.cgi (the page of a cPanel account without content)"},
	{"cPanel suspended page", []string{"account suspended"}, []string{"this account has been suspended"}, "cPanel suspendedpage.cgi"},
	{"Plesk default page", []string{"domain default page", "web server's default page"}, nil,
		"Plesk default-website skeleton (/var/www/vhosts/default/htdocs/index.html)"},
	{"WordPress fresh install", nil, []string{"just another wordpress site", "welcome to wordpress. this is your first post"},
		"WordPress default tagline and first post (wp-admin/includes/upgrade.php, wp_install_defaults)"},
	{"directory listing", []string{"index of /"}, nil, "Apache mod_autoindex, nginx autoindex"},
	{"parked or placeholder page", []string{"domain is for sale", "this domain is parked", "coming soon", "under construction"}, nil,
		"registrar parking and placeholder pages (Sedo, Bodis, registrar defaults)"},
}

// DefaultPage names the stock page a page is (by its title and body), ""
// when it is none of DefaultPages.
func DefaultPage(title string, body []byte) string {
	t := strings.ToLower(title)
	var lb []byte
	for _, d := range DefaultPages {
		for _, m := range d.title {
			if strings.Contains(t, m) {
				return d.name
			}
		}
		if len(d.body) > 0 && lb == nil {
			lb = bytes.ToLower(body)
		}
		for _, m := range d.body {
			if bytes.Contains(lb, []byte(m)) {
				return d.name
			}
		}
	}
	return ""
}
