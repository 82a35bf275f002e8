package whoismod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// BootstrapTTL is how long a parsed IANA RDAP bootstrap file is reused.
const BootstrapTTL = 12 * time.Hour

// Bootstrap maps a TLD (lower-case, ASCII) to its RDAP base URLs, as listed
// in IANA's dns.json.
type Bootstrap map[string][]string

// ParseBootstrap reads IANA's RDAP bootstrap file for domains (dns.json).
func ParseBootstrap(body []byte) (Bootstrap, error) {
	var doc struct {
		Services [][][]string `json:"services"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the RDAP bootstrap file is not valid JSON: %w", err)
	}
	b := Bootstrap{}
	for _, svc := range doc.Services {
		if len(svc) < 2 {
			continue
		}
		for _, tld := range svc[0] {
			tld = strings.Trim(strings.ToLower(tld), ".")
			if tld != "" {
				b[tld] = append(b[tld], svc[1]...)
			}
		}
	}
	if len(b) == 0 {
		return nil, errors.New("the RDAP bootstrap file lists no services")
	}
	return b, nil
}

// Base returns the RDAP base URL for domain (longest matching suffix, an
// https URL preferred), ending in "/", or "".
func (b Bootstrap) Base(domain string) string {
	labels := strings.Split(strings.Trim(strings.ToLower(domain), "."), ".")
	for i := 1; i < len(labels)+1; i++ {
		urls := b[strings.Join(labels[i-1:], ".")]
		if i == 1 && len(labels) > 1 {
			// The domain itself is never its own registry.
			urls = nil
		}
		if len(urls) == 0 {
			continue
		}
		best := ""
		for _, u := range urls {
			if strings.HasPrefix(u, "https://") {
				best = u
				break
			}
			if best == "" && strings.HasPrefix(u, "http://") {
				best = u
			}
		}
		if best == "" {
			continue
		}
		if !strings.HasSuffix(best, "/") {
			best += "/"
		}
		return best
	}
	return ""
}

type bootEntry struct {
	b       Bootstrap
	expires time.Time
}

var bootCache = struct {
	sync.Mutex
	m map[string]bootEntry
}{m: map[string]bootEntry{}}

// loadBootstrap returns the bootstrap at u, from the process cache while fresh.
func loadBootstrap(ctx context.Context, env *recon.Env, u string) (Bootstrap, error) {
	bootCache.Lock()
	e, ok := bootCache.m[u]
	bootCache.Unlock()
	if ok && time.Now().Before(e.expires) {
		return e.b, nil
	}
	body, status, err := getRDAP(ctx, env, u)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("the RDAP bootstrap %s answered HTTP %d; try again later", u, status)
	}
	b, err := ParseBootstrap(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	bootCache.Lock()
	bootCache.m[u] = bootEntry{b: b, expires: time.Now().Add(BootstrapTTL)}
	bootCache.Unlock()
	return b, nil
}

// errRDAPLimited marks an HTTP 429 answer.
var errRDAPLimited = errors.New("rate-limited")

// getRDAP fetches u with the RDAP media type through env.HTTP, reading at
// most MaxBody bytes.
func getRDAP(ctx context.Context, env *recon.Env, u string) ([]byte, int, error) {
	if env.HTTP == nil {
		return nil, 0, errors.New("no HTTP client configured for RDAP (this is a setup bug: Env.HTTP is nil)")
	}
	if err := env.Sources.Wait(ctx, "rdap"); err != nil {
		return nil, 0, fmt.Errorf("waited for the RDAP rate limit until the scan's time ran out (raise --timeout): %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		env.Sources.Done("rdap", err, false)
		return nil, 0, fmt.Errorf("bad RDAP URL %q: %w", u, err)
	}
	req.Header.Set("Accept", "application/rdap+json, application/json")
	resp, err := env.HTTP.Do(req)
	if err != nil {
		env.Sources.Done("rdap", err, false)
		return nil, 0, fmt.Errorf("RDAP request to %s failed (%v); try again later", host(u), err)
	}
	defer resp.Body.Close()
	limit := env.Limits.MaxBody
	if limit <= 0 {
		limit = recon.DefaultLimits().MaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err == nil && int64(len(body)) > limit {
		err = fmt.Errorf("RDAP answer from %s is larger than %d bytes; not read", host(u), limit)
	}
	limited := resp.StatusCode == http.StatusTooManyRequests
	if limited {
		if d := recon.RetryAfter(resp.Header.Get("Retry-After"), time.Now()); d > 0 {
			env.Sources.Backoff("rdap", time.Now().Add(d))
		}
	}
	env.Sources.Done("rdap", err, limited)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	return body, resp.StatusCode, nil
}

func host(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}

// lookupRDAP finds the domain's RDAP server through the bootstrap, fetches
// the domain, and follows a "related" link to the registrar's RDAP once.
func lookupRDAP(ctx context.Context, env *recon.Env, domain string) (recon.WhoisFacts, AnswerKind, string, error) {
	var f recon.WhoisFacts
	if env.RDAPBootstrapURL == "" {
		return f, AnswerUnparsed, "", errors.New("no RDAP bootstrap URL is configured")
	}
	bu := env.RDAPBootstrapURL
	if !strings.HasSuffix(bu, "/") {
		bu += "/"
	}
	b, err := loadBootstrap(ctx, env, bu+"dns.json")
	if err != nil {
		return f, AnswerUnparsed, "", err
	}
	base := b.Base(domain)
	if base == "" {
		return f, AnswerUnparsed, "", fmt.Errorf("IANA's RDAP bootstrap lists no RDAP server for %s", domain)
	}
	du := base + "domain/" + url.PathEscape(domain)
	body, status, err := getRDAP(ctx, env, du)
	f.Servers = []string{du}
	if err != nil {
		return f, AnswerUnparsed, "", err
	}
	switch {
	case status == http.StatusNotFound:
		f.Source = "rdap"
		f.Raw = clip(string(body), maxRaw(env))
		return f, AnswerNotFound, "", nil
	case status == http.StatusTooManyRequests:
		return f, AnswerRateLimited, fmt.Sprintf("RDAP server %s answered HTTP 429 (too many requests); wait a few minutes before scanning again", host(du)), nil
	case status != http.StatusOK:
		return f, AnswerUnparsed, "", fmt.Errorf("RDAP server %s answered HTTP %d for %s; try again later", host(du), status, domain)
	}
	rf, related, err := ParseRDAP(body)
	if err != nil {
		return f, AnswerUnparsed, "", fmt.Errorf("RDAP server %s: %w", host(du), err)
	}
	rf.Servers = f.Servers
	raw := "# " + du + "\n" + string(body) + "\n"
	if related != "" && related != du {
		if rb, rs, err := getRDAP(ctx, env, related); err == nil && rs == http.StatusOK {
			if gf, _, err := ParseRDAP(rb); err == nil {
				// The registrar's record wins field by field.
				servers := append(rf.Servers, related)
				fillFrom(&gf, rf)
				rf = gf
				rf.Servers = servers
				raw += "# " + related + "\n" + string(rb) + "\n"
			}
		}
	}
	rf.Registered = true
	rf.Source = "rdap"
	rf.Raw = clip(raw, maxRaw(env))
	return rf, AnswerFound, "", nil
}

type rdapLink struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
	Type string `json:"type"`
}

type rdapEntity struct {
	Handle    string          `json:"handle"`
	Roles     []string        `json:"roles"`
	VCard     json.RawMessage `json:"vcardArray"`
	PublicIDs []struct {
		Type       string `json:"type"`
		Identifier string `json:"identifier"`
	} `json:"publicIds"`
	Links   []rdapLink   `json:"links"`
	Remarks []rdapRemark `json:"remarks"`
}

type rdapRemark struct {
	Title       string   `json:"title"`
	Description []string `json:"description"`
}

type rdapDomain struct {
	ObjectClassName string   `json:"objectClassName"`
	LDHName         string   `json:"ldhName"`
	ErrorCode       int      `json:"errorCode"`
	Status          []string `json:"status"`
	Events          []struct {
		Action string `json:"eventAction"`
		Date   string `json:"eventDate"`
	} `json:"events"`
	Nameservers []struct {
		LDHName string `json:"ldhName"`
	} `json:"nameservers"`
	Entities []rdapEntity `json:"entities"`
	Links    []rdapLink   `json:"links"`
	Remarks  []rdapRemark `json:"remarks"`
}

// vcard is the few vCard (jCard) properties the module reads.
type vcard struct {
	fn, org, url, country string
}

// parseVCard reads a jCard ["vcard", [[name, params, type, value], ...]].
// Malformed parts are skipped.
func parseVCard(raw json.RawMessage) vcard {
	var v vcard
	var top []json.RawMessage
	if json.Unmarshal(raw, &top) != nil || len(top) < 2 {
		return v
	}
	var props [][]json.RawMessage
	if json.Unmarshal(top[1], &props) != nil {
		return v
	}
	for _, p := range props {
		if len(p) < 4 {
			continue
		}
		var name string
		if json.Unmarshal(p[0], &name) != nil {
			continue
		}
		var s string
		_ = json.Unmarshal(p[3], &s)
		switch strings.ToLower(name) {
		case "fn":
			v.fn = s
		case "org":
			if s == "" {
				var parts []string
				if json.Unmarshal(p[3], &parts) == nil && len(parts) > 0 {
					s = parts[0]
				}
			}
			v.org = s
		case "url":
			v.url = s
		case "adr":
			var params map[string]json.RawMessage
			if json.Unmarshal(p[1], &params) == nil {
				var cc string
				if json.Unmarshal(params["cc"], &cc) == nil && cc != "" {
					v.country = cc
					continue
				}
			}
			var parts []json.RawMessage
			if json.Unmarshal(p[3], &parts) == nil && len(parts) >= 7 {
				var c string
				if json.Unmarshal(parts[6], &c) == nil {
					v.country = c
				}
			}
		}
	}
	return v
}

func hasRole(e rdapEntity, role string) bool {
	for _, r := range e.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// ParseRDAP reads an RDAP domain object: events (registration, last
// changed, expiration), status, name servers, the registrar entity (vCard
// fn, IANA Registrar ID) and the registrant's organisation and country. It
// returns the "related" link (the registrar's RDAP for this domain), if any.
func ParseRDAP(body []byte) (f recon.WhoisFacts, related string, err error) {
	var d rdapDomain
	if err := json.Unmarshal(body, &d); err != nil {
		return f, "", fmt.Errorf("the RDAP answer is not valid JSON (%v)", err)
	}
	if d.ErrorCode != 0 {
		return f, "", fmt.Errorf("the RDAP answer is an error (code %d)", d.ErrorCode)
	}
	if d.ObjectClassName != "" && !strings.EqualFold(d.ObjectClassName, "domain") {
		return f, "", fmt.Errorf("the RDAP answer is a %q object, not a domain", d.ObjectClassName)
	}
	f.Domain = strings.ToLower(d.LDHName)
	for _, e := range d.Events {
		t, ok := ParseDate(e.Date)
		if !ok {
			continue
		}
		switch strings.ToLower(e.Action) {
		case "registration":
			f.Created = &t
		case "last changed":
			f.Updated = &t
		case "expiration":
			f.Expires = &t
		}
	}
	f.Status = d.Status
	var ns []string
	for _, n := range d.Nameservers {
		ns = append(ns, n.LDHName)
	}
	f.NameServers = normNS(ns)
	var evidence []string
	for _, e := range d.Entities {
		v := parseVCard(e.VCard)
		switch {
		case hasRole(e, "registrar"):
			f.Registrar = strings.TrimSpace(v.fn)
			if f.Registrar == "" {
				f.Registrar = strings.TrimSpace(v.org)
			}
			if f.Registrar == "" {
				f.Registrar = strings.TrimSpace(e.Handle)
			}
			for _, id := range e.PublicIDs {
				if strings.EqualFold(id.Type, "IANA Registrar ID") && isDigits(strings.TrimSpace(id.Identifier)) {
					f.RegistrarIANAID = strings.TrimSpace(id.Identifier)
				}
			}
			f.RegistrarURL = v.url
		case hasRole(e, "registrant"):
			f.RegistrantRead = true
			org := v.org
			if org == "" {
				org = v.fn
			}
			if org != "" && !isRedacted(org) {
				f.RegistrantOrg = org
			}
			if v.country != "" && !isRedacted(v.country) {
				f.RegistrantCountry = v.country
			}
		}
		evidence = append(evidence, v.fn, v.org)
		for _, r := range e.Remarks {
			evidence = append(evidence, r.Title)
		}
	}
	for _, ev := range evidence {
		lv := strings.ToLower(ev)
		for _, p := range privacyPhrases {
			if strings.Contains(lv, p) {
				f.Privacy, f.PrivacyEvidence, f.RegistrantRead = true, clip(ev, 200), true
				break
			}
		}
		if f.Privacy {
			break
		}
	}
	for _, l := range d.Links {
		if strings.EqualFold(l.Rel, "related") && (l.Type == "" || strings.Contains(l.Type, "rdap+json")) &&
			(strings.HasPrefix(l.Href, "https://") || strings.HasPrefix(l.Href, "http://")) &&
			strings.Contains(strings.ToLower(l.Href), "/domain/") {
			related = l.Href
			break
		}
	}
	return f, related, nil
}
