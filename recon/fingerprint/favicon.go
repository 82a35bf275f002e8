package fingerprint

import "encoding/base64"

// mimeLine is the line length of Python's base64.encodebytes (RFC 2045's
// 76 characters).
const mimeLine = 76

// EncodeBytes is Python's base64.encodebytes: standard base64 with '='
// padding, a "\n" after every 76 characters and after the last line
// (empty input gives empty output).
func EncodeBytes(b []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(b)
	out := make([]byte, 0, len(enc)+len(enc)/mimeLine+1)
	for len(enc) > mimeLine {
		out = append(out, enc[:mimeLine]...)
		out = append(out, '\n')
		enc = enc[mimeLine:]
	}
	if len(enc) > 0 {
		out = append(out, enc...)
		out = append(out, '\n')
	}
	return out
}

// ShodanHash is Shodan's http.favicon.hash of the icon's bytes: the signed
// 32-bit MurmurHash3 (seed 0) of EncodeBytes(icon), as Shodan computes it
// with mmh3.hash(codecs.encode(data, "base64")).
func ShodanHash(icon []byte) int32 { return int32(Murmur3(EncodeBytes(icon), 0)) }

// DefaultFavicons maps the Shodan hash of a stock icon — served by every
// install of a web server, control panel, CMS, framework or appliance —
// to its product: two sites sharing one says nothing about their
// operator. Sources:
//   - [deb] computed here from the file in the Debian 12 package named
//     (tomcat10-admin 10.1.60, phpmyadmin 5.2.1, zabbix-frontend-php
//     6.0.14, cacti 1.2.24, nagios4-cgi 4.4.6, roundcube-core 1.6.5,
//     wordpress 6.1.9); the
//     Tomcat, phpMyAdmin and Zabbix values match the published ones below;
//   - [ff] the fingerprint table of FavFreak (github.com/devanshbatham/FavFreak,
//     favfreak.py), Shodan favicon hashes collected by its author;
//   - [ww] WhatWeb plugins (github.com/urbanadventurer/WhatWeb, plugins/zabbix.rb).
var DefaultFavicons = map[int32]string{
	-297069493:  "Apache Tomcat",       // [deb] manager/images/favicon.ico, [ff]
	-476231906:  "phpMyAdmin",          // [deb] /usr/share/phpmyadmin/favicon.ico, [ff]
	-1010568750: "phpMyAdmin",          // [ff]
	892542951:   "Zabbix",              // [deb] /usr/share/zabbix/favicon.ico, [ff], [ww]
	1198047028:  "WordPress",           // [deb] wordpress 6.1.9 wp-includes/images/w-logo-blue-white-bg.png, where do_favicon() sends /favicon.ico of a site without its own icon
	-1797138069: "Cacti",               // [deb] site/images/favicon.ico
	-885999798:  "Nagios",              // [deb] htdocs/images/favicon.ico
	-1754690812: "Roundcube",           // [deb] skins/elastic/images/favicon.ico
	-976235259:  "Roundcube",           // [ff]
	116323821:   "Spring Boot",         // [ff]
	81586312:    "Jenkins",             // [ff]
	1278323681:  "GitLab",              // [ff]
	516963061:   "GitLab",              // [ff]; also Shodan's own example in "Deep Dive: http.favicon" (blog.shodan.io)
	-1255347784: "Angular",             // [ff]
	-2009722838: "React",               // [ff]
	-1275226814: "XAMPP",               // [ff]
	-1437701105: "XAMPP",               // [ff]
	-1607644090: "Bitnami",             // [ff]
	1772087922:  "ASP.NET",             // [ff]
	-629047854:  "Jetty",               // [ff]
	-1298108480: "Yii framework",       // [ff]
	980692677:   "CakePHP",             // [ff]
	-167656799:  "Drupal",              // [ff]
	1627330242:  "Joomla",              // [ff]
	-1950415971: "Joomla",              // [ff]
	-38580010:   "Magento",             // [ff]
	-438482901:  "Moodle",              // [ff]
	-1015932800: "Ghost",               // [ff]
	129457226:   "Liferay",             // [ff]
	-617743584:  "Odoo",                // [ff]
	603314:      "Redmine",             // [ff]
	1993518473:  "cPanel",              // [ff]
	1544230796:  "cPanel",              // [ff]
	1244636413:  "cPanel",              // [ff]
	-649378830:  "cPanel WHM",          // [ff]
	-134375033:  "Plesk",               // [ff]
	-1050786453: "Plesk",               // [ff]
	-981606721:  "Plesk",               // [ff]
	-652508439:  "Plesk",               // [ff]
	-519765377:  "Plesk",               // [ff]
	-771764544:  "Plesk",               // [ff]
	1453890729:  "Webmin",              // [ff]
	-1038557304: "Webmin",              // [ff]
	1280907310:  "Webmin",              // [ff]
	479413330:   "Webmin",              // [ff]
	1954835352:  "Vesta control panel", // [ff]
	-986678507:  "ISPmanager",          // [ff]
	-1119613926: "Bluehost",            // [ff]
	1734609466:  "JustHost",            // [ff]
	-972810761:  "HostMonster",         // [ff]
	-632070065:  "Apache Haus",         // [ff]
	708578229:   "Google",              // [ff]; also favicon-hash.kmsec.uk's example for www.google.com/favicon.ico
}

// DefaultFavicon names the product whose stock icon has Shodan hash h, ""
// when it is not in DefaultFavicons.
func DefaultFavicon(h int32) string { return DefaultFavicons[h] }
