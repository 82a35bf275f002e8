package diff

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// site describes a hand-built domain scan.
type site struct {
	name      string
	ips       []string
	registrar string
	expires   string
	cert      string
	sans      []string
	listed    map[string]string // subject in zen → listed|clean|unknown
	level     recon.Level
	rules     []string // assessment rule ids (red)
	dnsErr    map[string]string
	whoisErr  string
	headers   *recon.HeadersFacts
	// privacy: "" the record held no registrant data (a thin registry
	// record), else "yes" or "no" as read from the registrar's record.
	privacy string
}

func (d site) report() *recon.Report {
	r := &recon.Report{Target: recon.Target{Kind: recon.KindDomain, Value: d.name}, Modules: map[string]*recon.ModuleResult{}, Started: t0}
	mod := func(id string, facts any, pivots ...recon.Pivot) *recon.ModuleResult {
		m := &recon.ModuleResult{Module: id, Status: recon.StatusOK, Facts: facts, Pivots: pivots}
		r.Modules[id] = m
		return m
	}
	var piv []recon.Pivot
	for _, ip := range d.ips {
		piv = append(piv, recon.Pivot{Kind: recon.PivotIP, Value: ip, Relation: recon.RelA})
	}
	mod("dns", &recon.DNSFacts{Name: d.name, A: d.ips, NS: []string{"dns1.registrar-servers.com"}, Errors: d.dnsErr}, piv...)
	exp, _ := time.Parse(time.DateOnly, d.expires)
	w := mod("whois", &recon.WhoisFacts{Domain: d.name, Registered: true, Registrar: d.registrar, Expires: &exp, Raw: "raw"},
		recon.Pivot{Kind: recon.PivotRegistrar, Value: d.registrar, Relation: recon.RelRegistrar})
	if wf := w.Facts.(*recon.WhoisFacts); d.privacy != "" {
		wf.RegistrantRead, wf.Privacy = true, d.privacy == "yes"
	}
	if d.whoisErr != "" {
		w.Status, w.Err, w.Facts, w.Pivots = recon.StatusError, d.whoisErr, &recon.WhoisFacts{}, nil
	}
	var sp []recon.Pivot
	for _, s := range d.sans {
		sp = append(sp, recon.Pivot{Kind: recon.PivotDomain, Value: s, Relation: recon.RelSAN})
	}
	if d.cert != "" {
		mod("ssl", &recon.SSLFacts{Certs: []recon.CertFacts{{SHA256: d.cert, SANs: append([]string{d.name}, d.sans...),
			NotAfter: t0.AddDate(0, 2, 0), DaysLeft: 60, PEM: "pem"}}}, sp...)
	}
	th := &recon.ThreatFacts{}
	for subj, res := range d.listed {
		th.Checks = append(th.Checks, recon.DNSBLCheck{Subject: subj, Zone: "zen.spamhaus.org", Result: res})
	}
	mod("threat", th)
	if d.headers != nil {
		h := *d.headers
		mod("headers", &h)
	}
	r.Assessment.Level = d.level
	for _, rule := range d.rules {
		r.Assessment.Signals = append(r.Assessment.Signals, recon.Signal{Level: recon.LevelRed, Rule: rule, Text: rule + " text", Module: "whois"})
	}
	return r
}

var (
	parcels = site{name: "nova-parcels.com", ips: []string{"185.220.101.47"}, registrar: "NameCheap, Inc.", expires: "2025-11-10",
		headers: &recon.HeadersFacts{StatusCode: 200, Server: "nginx", PageHash: "kit1", Title: "Track your parcel",
			Analytics: []recon.AnalyticsID{{Service: "google-analytics", ID: "G-NV7QX2KD9P", Key: "G-NV7QX2KD9P"}},
			Favicon:   &recon.FaviconFacts{SHA256: "fav1"}},
		cert: "aa11", sans: []string{"nova-tracking.net", "nova-returns.co"}, level: recon.LevelRed, rules: []string{"young-domain"},
		listed: map[string]string{"185.220.101.47": recon.DNSBLListed}}
	tracking = site{name: "nova-tracking.net", ips: []string{"185.220.101.47"}, registrar: "NameCheap, Inc.", expires: "2025-11-11",
		cert: "aa11", sans: []string{"nova-parcels.com", "nova-returns.co"}, level: recon.LevelRed}
)

// with returns d changed by f.
func (d site) with(f func(*site)) site {
	d.ips = append([]string(nil), d.ips...)
	d.sans = append([]string(nil), d.sans...)
	f(&d)
	return d
}

// session scans root, then each of children under it, at time at.
func session(at time.Time, root site, children ...site) *pivot.Session {
	s := pivot.NewSession(at)
	n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: root.name})
	s.Attach(n.ID, root.report(), at)
	for _, c := range children {
		for _, id := range s.Node(n.ID).Children {
			if s.Node(id).Value == c.name {
				s.Attach(id, c.report(), at)
			}
		}
	}
	return s
}

func fieldChange(r *Result, entity, module, field string) *Change {
	for i, c := range r.Changed {
		if c.Entity == entity && c.Module == module && c.Field == field {
			return &r.Changed[i]
		}
	}
	return nil
}

func values(es []Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Relation+" "+e.Value+" from "+e.Parent)
	}
	return out
}

var movedParcels = parcels.with(func(d *site) {
	d.ips = []string{"193.0.2.10"}
	d.sans = append(d.sans, "nova-refunds.org")
	d.listed = map[string]string{"193.0.2.10": recon.DNSBLClean}
})

func TestCompareMovedDomain(t *testing.T) {
	old := session(t0, parcels, tracking)
	new := session(t0.Add(time.Hour), movedParcels, tracking)
	r := Compare(old, new)

	if got, want := values(r.Added), []string{"A 193.0.2.10 from nova-parcels.com", "SAN nova-refunds.org from nova-parcels.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("added %q, want %q", got, want)
	}
	// nova-tracking.net still resolves to the old address: it is not gone.
	if len(r.Removed) != 0 {
		t.Errorf("removed %q", values(r.Removed))
	}
	alone := Compare(session(t0, parcels), session(t0, movedParcels))
	if got, want := values(alone.Removed), []string{"A 185.220.101.47 from nova-parcels.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("removed %q, want %q", got, want)
	}
	a := fieldChange(r, "nova-parcels.com", "dns", "A")
	if a == nil || !reflect.DeepEqual(a.Old, []string{"185.220.101.47"}) || !reflect.DeepEqual(a.New, []string{"193.0.2.10"}) ||
		!reflect.DeepEqual(a.Added, []string{"193.0.2.10"}) || !reflect.DeepEqual(a.Removed, []string{"185.220.101.47"}) {
		t.Errorf("A change: %+v", a)
	}
	sans := fieldChange(r, "nova-parcels.com", "ssl", "SANs")
	if sans == nil || !reflect.DeepEqual(sans.Added, []string{"nova-refunds.org"}) || sans.Removed != nil {
		t.Errorf("SANs change: %+v", sans)
	}
	listed := fieldChange(r, "nova-parcels.com", "threat", "listed")
	if listed == nil || !reflect.DeepEqual(listed.Removed, []string{"185.220.101.47 in zen.spamhaus.org"}) {
		t.Errorf("listed change: %+v", listed)
	}
	// Nothing else changed: the registrar, the expiry, nova-tracking.net.
	for _, c := range r.Changed {
		if c.Entity != "nova-parcels.com" || c.Module == "whois" {
			t.Errorf("unexpected change %+v", c)
		}
	}
	if len(r.Unchecked) != 0 || len(r.Verdicts) != 0 {
		t.Errorf("unchecked %+v verdicts %+v", r.Unchecked, r.Verdicts)
	}
	if r.Empty() {
		t.Error("Empty")
	}

	same := Compare(old, session(t0.Add(time.Hour), parcels, tracking))
	if !same.Empty() || len(same.Unchecked) != 0 {
		t.Errorf("identical states differ: %s\n%+v", same.Summary(), same)
	}
}

// TestComparePrivacyUnread: a rescan that read only the registry's record
// (no registrant data: port 43 to the registrar blocked, say) could not
// tell whether the owner hides behind a privacy service; that is not a
// change from "privacy true", only a fact it could not compare.
func TestComparePrivacyUnread(t *testing.T) {
	tests := []struct {
		name, old, new string
		changed        bool
		unchecked      string
	}{
		{"read on both sides, same", "yes", "yes", false, ""},
		{"read on both sides, changed", "yes", "no", true, ""},
		{"unread in the new state", "yes", "", false, "new"},
		{"unread in the old state", "", "no", false, "old"},
		{"unread on both sides", "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := parcels.with(func(d *site) { d.privacy = tt.old })
			new := parcels.with(func(d *site) { d.privacy = tt.new })
			r := Compare(session(t0, old), session(t0, new))
			if got := fieldChange(r, "nova-parcels.com", "whois", "privacy") != nil; got != tt.changed {
				t.Errorf("privacy changed %v, want %v (%+v)", got, tt.changed, r.Changed)
			}
			side := ""
			for _, u := range r.Unchecked {
				if u.Module == "whois" && u.Field == "privacy" {
					side = u.Side
				}
			}
			if side != tt.unchecked {
				t.Errorf("privacy unchecked on side %q, want %q (%+v)", side, tt.unchecked, r.Unchecked)
			}
		})
	}
}

func TestCompareFacts(t *testing.T) {
	tests := []struct {
		name          string
		new           site
		changed       []string // module/field
		unchecked     []string // module/field/side
		verdictChange string   // "old>new: why" or ""
	}{
		{"same", parcels, nil, nil, ""},
		{"registrar and expiry", parcels.with(func(d *site) { d.registrar = "Tucows"; d.expires = "2026-11-10" }),
			[]string{"whois/registrar", "whois/expires"}, nil, ""},
		{"whois failed is not a change", parcels.with(func(d *site) { d.registrar = ""; d.whoisErr = "timeout" }),
			nil, []string{"whois/status/new"}, ""},
		{"A unreadable is not a change", parcels.with(func(d *site) { d.ips = nil; d.dnsErr = map[string]string{"A": "SERVFAIL"} }),
			nil, []string{"dns/A/new"}, ""},
		{"a listed IP that the list did not answer for", parcels.with(func(d *site) {
			d.listed = map[string]string{"185.220.101.47": recon.DNSBLUnknown}
		}), nil, []string{"threat/listed/new"}, ""},
		{"delisted", parcels.with(func(d *site) { d.listed = map[string]string{"185.220.101.47": recon.DNSBLClean} }),
			[]string{"threat/listed"}, nil, ""},
		{"certificate reissued", parcels.with(func(d *site) { d.cert = "bb22" }),
			[]string{"ssl/fingerprint"}, nil, ""},
		{"page kit and analytics", parcels.with(func(d *site) {
			h := *d.headers
			h.PageHash, h.Analytics = "kit2", nil
			d.headers = &h
		}), []string{"headers/page hash", "headers/analytics"}, nil, ""},
		{"favicon unread is not a change", parcels.with(func(d *site) {
			h := *d.headers
			h.Favicon, h.FaviconError = nil, "timeout reading /favicon.ico"
			d.headers = &h
		}), nil, []string{"headers/favicon/new"}, ""},
		{"verdict", parcels.with(func(d *site) { d.level = recon.LevelGreen; d.rules = nil }),
			nil, nil, "red>green: − young-domain (red): young-domain text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare(session(t0, parcels), session(t0, tt.new))
			var changed, unchecked []string
			for _, c := range r.Changed {
				if c.Entity == "nova-parcels.com" {
					changed = append(changed, c.Module+"/"+c.Field)
				}
			}
			for _, u := range r.Unchecked {
				unchecked = append(unchecked, u.Module+"/"+u.Field+"/"+u.Side)
			}
			if !reflect.DeepEqual(changed, tt.changed) {
				t.Errorf("changed %q, want %q", changed, tt.changed)
			}
			if !reflect.DeepEqual(unchecked, tt.unchecked) {
				t.Errorf("unchecked %q, want %q", unchecked, tt.unchecked)
			}
			v := ""
			if len(r.Verdicts) == 1 {
				x := r.Verdicts[0]
				v = string(x.Old) + ">" + string(x.New) + ": " + x.Why
			}
			if v != tt.verdictChange {
				t.Errorf("verdict %q, want %q", v, tt.verdictChange)
			}
		})
	}
}

func clusterOf(members ...string) pivot.Cluster {
	return pivot.Cluster{Members: members, Shared: []string{"ip:185.220.101.47"}, Score: 2}
}

func TestCompareClusters(t *testing.T) {
	abc := clusterOf("a.com", "b.com", "c.com")
	ab := clusterOf("a.com", "b.com")
	tests := []struct {
		name     string
		old, new []pivot.Cluster
		want     string // kind:members per change
	}{
		{"same", []pivot.Cluster{abc}, []pivot.Cluster{abc}, ""},
		{"formed", nil, []pivot.Cluster{ab}, "formed:a.com,b.com"},
		{"gone", []pivot.Cluster{ab}, nil, "gone:a.com,b.com"},
		{"grown", []pivot.Cluster{ab}, []pivot.Cluster{abc}, "grown:a.com,b.com,c.com+c.com"},
		{"shrunk", []pivot.Cluster{abc}, []pivot.Cluster{ab}, "shrunk:a.com,b.com-c.com"},
		{"split", []pivot.Cluster{clusterOf("a.com", "b.com", "c.com", "d.com")}, []pivot.Cluster{ab, clusterOf("c.com", "d.com")},
			"split:a.com,b.com|c.com,d.com"},
		{"merged", []pivot.Cluster{ab, clusterOf("c.com", "d.com")}, []pivot.Cluster{clusterOf("a.com", "b.com", "c.com", "d.com")},
			"merged:a.com,b.com|c.com,d.com"},
		{"shares more", []pivot.Cluster{ab}, []pivot.Cluster{{Members: []string{"a.com", "b.com"}, Shared: []string{"cert:aa", "ip:185.220.101.47"}, Score: 5}},
			"changed:a.com,b.com shares+cert:aa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compareClusters(tt.old, tt.new)
			var got []string
			j := func(r ClusterRef) string { return strings.Join(r.Members, ",") }
			for _, r := range c.Formed {
				got = append(got, "formed:"+j(r))
			}
			for _, r := range c.Gone {
				got = append(got, "gone:"+j(r))
			}
			for _, m := range c.Grown {
				got = append(got, "grown:"+j(m.New)+"+"+strings.Join(m.Joined, ","))
			}
			for _, m := range c.Shrunk {
				got = append(got, "shrunk:"+j(m.New)+"-"+strings.Join(m.Left, ","))
			}
			for _, m := range c.Changed {
				got = append(got, "changed:"+j(m.New)+" shares+"+strings.Join(m.SharedAdded, ","))
			}
			for _, s := range c.Split {
				var parts []string
				for _, r := range s.New {
					parts = append(parts, j(r))
				}
				got = append(got, "split:"+strings.Join(parts, "|"))
			}
			for _, s := range c.Merged {
				var parts []string
				for _, r := range s.Old {
					parts = append(parts, j(r))
				}
				got = append(got, "merged:"+strings.Join(parts, "|"))
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tt.want)
			}
		})
	}
}

// A session's own history gives the same diff as two files.
func TestCompareSinceHistory(t *testing.T) {
	s := session(t0, parcels, tracking)
	root := s.Roots()[0]
	s.Attach(root, movedParcels.report(), t0.Add(24*time.Hour))
	a := Compare(s.AsOf(t0.Add(time.Hour)), s)
	b := Compare(session(t0, parcels, tracking), session(t0, movedParcels, tracking))
	a.Old, a.New, b.Old, b.New = Side{}, Side{}, Side{}, Side{}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("since-history diff differs from the two-file diff:\n%s\n%s", ja, jb)
	}
	if Compare(s.AsOf(t0.Add(25*time.Hour)), s).Count() != 0 {
		t.Error("changes after the last scan")
	}
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Compare(session(t0, parcels), session(t0, movedParcels))); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"old", "new", "added", "removed", "changed", "unchecked", "verdicts", "clusters"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, buf.Bytes())
		}
	}
	var changed []map[string]any
	_ = json.Unmarshal(m["changed"], &changed)
	for _, k := range []string{"entity", "module", "field", "old", "new"} {
		if len(changed) == 0 || changed[0][k] == nil {
			t.Errorf("changed[0] lacks %q: %v", k, changed)
		}
	}
	// Empty lists are [] (never null), so scripts can iterate.
	var empty bytes.Buffer
	_ = WriteJSON(&empty, Compare(session(t0, parcels), session(t0, parcels)))
	if bytes.Contains(empty.Bytes(), []byte("null")) {
		t.Errorf("null in an empty diff:\n%s", empty.Bytes())
	}
}

func TestMarkdownEscapesSessionStrings(t *testing.T) {
	evil := "evil|<script>alert(1)</script>\n# heading\x1b]0;title\x07*[x](http://y)"
	old := session(t0, parcels)
	new := session(t0, parcels.with(func(d *site) { d.registrar = evil; d.sans = append(d.sans, evil+".com") }))
	r := Compare(old, new)
	r.Old.Source, r.New.Source = "old.json", "new|\nfile.json"
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "\x1b", "\x07", "\n# heading"} {
		if strings.Contains(out, bad) {
			t.Errorf("report contains %q:\n%s", bad, out)
		}
	}
	if regexp.MustCompile(`[^\\]\]\(`).MatchString(out) || regexp.MustCompile(`[^\\]\[x`).MatchString(out) {
		t.Errorf("report has a live link:\n%s", out)
	}
	// Every table row has as many unescaped pipes as its header.
	for _, block := range strings.Split(out, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if !strings.HasPrefix(lines[0], "| ") {
			continue
		}
		want := pipes(lines[0])
		for _, l := range lines {
			if pipes(l) != want {
				t.Errorf("row %q has %d cells, header %d", l, pipes(l), want)
			}
		}
	}
	for _, want := range []string{"## Facts changed", "registrar", "evil\\|&lt;script&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func pipes(l string) int { return strings.Count(l, "|") - strings.Count(l, `\|`) }

func TestMarkdownNoChanges(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, Compare(session(t0, parcels), session(t0, parcels))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "**no changes.**") || strings.Contains(buf.String(), "## ") {
		t.Errorf("report:\n%s", buf.String())
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"7d", now.AddDate(0, 0, -7), true},
		{"2w", now.AddDate(0, 0, -14), true},
		{"1mo", now.AddDate(0, -1, 0), true},
		{"36h", now.Add(-36 * time.Hour), true},
		{"90m", now.Add(-90 * time.Minute), true},
		{"2026-11-20", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), true},
		{"2026-11-20T08:30:00+01:00", time.Date(2026, 11, 20, 7, 30, 0, 0, time.UTC), true},
		{"", time.Time{}, false},
		{"-3d", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"99999999d", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseSince(tt.in, now)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
