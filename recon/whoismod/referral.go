// referral.go reads the next server an answer refers to (IANA's "refer:",
// a registry's "whois server:") and normalises it to host:port.

package whoismod

import (
	"net"
	"regexp"
	"strconv"
	"strings"
)

// isIANA reports whether text is an answer of IANA's WHOIS server.
func isIANA(text string) bool {
	return strings.Contains(text, "% IANA WHOIS server") || ianaSourceRe.MatchString(text)
}

var ianaSourceRe = regexp.MustCompile(`(?mi)^source:\s*IANA\s*$`)

// findReferral returns the server named by the first line whose key is one
// of keys (in order of preference), normalised to "host:port".
func findReferral(text string, keys ...string) string {
	vals := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, seen := vals[k]; seen {
			continue
		}
		vals[k] = strings.TrimSpace(v)
	}
	for _, k := range keys {
		if s := normServer(vals[k]); s != "" {
			return s
		}
	}
	return ""
}

var hostRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// normServer turns a referral value ("whois.x.com", "whois://whois.x.com:43/",
// "https://whois.x.com") into "host:port", or "" when it names no server.
func normServer(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0]
	} else {
		return ""
	}
	for _, p := range []string{"whois://", "rwhois://", "http://", "https://"} {
		v = strings.TrimPrefix(v, p)
	}
	if i := strings.IndexByte(v, '/'); i >= 0 {
		v = v[:i]
	}
	host, port := v, "43"
	if h, p, err := net.SplitHostPort(v); err == nil {
		if n, err := strconv.Atoi(p); err != nil || n <= 0 || n > 65535 {
			return ""
		}
		host, port = h, p
	}
	host = strings.TrimSuffix(host, ".")
	if net.ParseIP(host) == nil && !hostRe.MatchString(host) {
		return ""
	}
	return net.JoinHostPort(host, port)
}
