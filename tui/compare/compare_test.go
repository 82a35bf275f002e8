package compare

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/internal/demotest"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func tp(t time.Time) *time.Time { return &t }

func TestProfileOf(t *testing.T) {
	created := time.Date(2024, 11, 4, 8, 0, 0, 0, time.FixedZone("X", 3600))
	first := time.Date(2024, 11, 7, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		mods map[string]*recon.ModuleResult
		want Profile
	}{
		{"empty report", nil, Profile{}},
		{"all facts", map[string]*recon.ModuleResult{
			"dns":        {Facts: &recon.DNSFacts{A: []string{"185.220.101.47", "185.220.101.47", "bogus"}, AAAA: []string{"2001:db8::1"}, NS: []string{"NS2.Nova-DNS.net.", "ns1.nova-dns.net"}}},
			"geoip":      {Facts: &recon.GeoFacts{IPs: []recon.IPGeo{{IP: "185.220.101.47", ASN: 205100, ASOrg: "BLUEHAVEN"}, {IP: "x", ASN: 0}}}},
			"whois":      {Facts: &recon.WhoisFacts{Registrar: "  NameCheap,   Inc. ", Created: &created, NameServers: []string{"ignored.example"}}},
			"ssl":        {Facts: &recon.SSLFacts{Certs: []recon.CertFacts{{SHA256: "ABCDEF"}, {SHA256: "abcdef"}}}},
			"email":      {Facts: &recon.EmailFacts{Posture: "spf:none   dmarc:none"}},
			"subdomains": {Facts: &recon.SubdomainFacts{FirstIssuance: &first}},
		}, Profile{
			IPs: []string{"185.220.101.47", "2001:db8::1"}, Nets: []string{"185.220.101.0/24", "2001:db8::/48"},
			ASNs: []string{"AS205100"}, ASOrgs: map[string]string{"AS205100": "BLUEHAVEN"}, Registrar: "NameCheap, Inc.",
			NS: []string{"ns1.nova-dns.net", "ns2.nova-dns.net"}, Certs: []string{"abcdef"}, Created: tp(created.UTC()),
			FirstIssuance: tp(first), Posture: "spf:none dmarc:none",
		}},
		{"name servers from whois when dns has none", map[string]*recon.ModuleResult{
			"whois": {Facts: &recon.WhoisFacts{NameServers: []string{"B.example.", "a.example"}}},
		}, Profile{NS: []string{"a.example", "b.example"}}},
		{"facts of the wrong type are ignored", map[string]*recon.ModuleResult{
			"dns": {Facts: map[string]any{"a": []any{"1.2.3.4"}}},
		}, Profile{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ProfileOf(&recon.Report{Modules: tt.mods})
			if !profEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func profEqual(a, b Profile) bool {
	eqT := func(x, y *time.Time) bool {
		return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) && x.Location() == y.Location()
	}
	return slices.Equal(a.IPs, b.IPs) && slices.Equal(a.Nets, b.Nets) && slices.Equal(a.ASNs, b.ASNs) && len(a.ASOrgs) == len(b.ASOrgs) &&
		a.ASOrgs["AS205100"] == b.ASOrgs["AS205100"] && a.Registrar == b.Registrar && slices.Equal(a.NS, b.NS) && slices.Equal(a.Certs, b.Certs) &&
		eqT(a.Created, b.Created) && eqT(a.FirstIssuance, b.FirstIssuance) && a.Posture == b.Posture
}

func TestProfilesOneRowPerDomain(t *testing.T) {
	s := pivot.NewSession(demotest.Now)
	d := demotest.Domains()[0]
	n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.Name})
	s.Attach(n.ID, demotest.Report(d), demotest.Now)
	// An e-mail address of the same domain stands for it: no second row.
	e := s.AddRoot(recon.Target{Kind: recon.KindEmail, Value: "ops@" + d.Name})
	s.Attach(e.ID, demotest.Report(d), demotest.Now)
	// An unscanned domain and a scanned IP are no rows.
	s.AddChild(n.ID, recon.Pivot{Kind: recon.PivotDomain, Value: "unscanned.example", Relation: recon.RelSAN})
	ps := Profiles(s)
	if len(ps) != 1 || ps[0].Domain != d.Name || ps[0].Entity != n.Entity.Key || ps[0].Verdict == recon.LevelNone {
		t.Fatalf("profiles %+v", ps)
	}
}

// glyphs renders a column as "domain=glyph" for comparison.
func glyphs(tb *Table, col Column) string {
	var out []string
	for i, p := range tb.Profiles {
		var g []string
		for _, c := range tb.Cells[i][col] {
			g = append(g, GlyphText(c.Glyph))
		}
		out = append(out, p.Domain+"="+strings.Join(g, ""))
	}
	return strings.Join(out, " ")
}

func TestGlyphAssignment(t *testing.T) {
	day := 24 * time.Hour
	base := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	ps := []Profile{
		{Domain: "a", IPs: []string{"192.0.2.1", "104.21.32.118"}, Registrar: "NameCheap", Created: tp(base), Posture: "spf:none"},
		{Domain: "b", IPs: []string{"198.51.100.7"}, Registrar: "namecheap", Created: tp(base.Add(6 * day)), Posture: "spf:none"},
		{Domain: "c", IPs: []string{"198.51.100.7", "192.0.2.1", "104.21.32.118"}, Registrar: "MarkMonitor", Created: tp(base.Add(8 * day))},
		{Domain: "d", IPs: []string{"203.0.113.9"}, Created: tp(base.AddDate(-17, 0, 0)), Posture: "spf:-all"},
	}
	tb := Build(ps, 7*day)
	tests := []struct {
		col  Column
		want string
	}{
		// First shared value met in row order gets A; a CDN edge shared by
		// two says nothing (~); values of one row are blank.
		{ColIP, "a=A~ b=B c=BA~ d= "},
		// Case-insensitive registrar; empty cells have no glyph.
		{ColRegistrar, "a=A b=A c=  d="},
		// a and b lie within 7 days; c is 8 days after a: its own.
		{ColRegistered, "a=A b=A c=  d= "},
		{ColEmail, "a=A b=A c= d= "},
	}
	for _, tt := range tests {
		if got := glyphs(tb, tt.col); got != tt.want {
			t.Errorf("%s: got %q, want %q", Titles[tt.col], got, tt.want)
		}
	}
	if !slices.Equal(tb.Groups[0], []int{0, 1}) || len(tb.Groups) != 1 {
		t.Errorf("groups %v", tb.Groups)
	}
	// Sorting never changes glyphs: they are per value, not per position.
	order := tb.Order(ColRegistered, false)
	if !slices.Equal(order, []int{3, 0, 1, 2}) {
		t.Errorf("order by date %v", order)
	}
	if o := tb.Order(ColRegistrar, true); !slices.Equal(o, []int{0, 1, 2, 3}) {
		t.Errorf("order by registrar desc %v (empty last)", o)
	}
	if o := tb.Order(ColIP, false); !slices.Equal(o, []int{0, 1, 2, 3}) {
		t.Errorf("order by IP %v", o)
	}
	// What marked rows share.
	var got []string
	for _, s := range tb.Shared([]int{0, 2}) {
		got = append(got, Titles[s.Col]+"="+s.Cell.Key)
	}
	if want := []string{"IP=192.0.2.1", "IP=104.21.32.118"}; !slices.Equal(got, want) {
		t.Errorf("shared %v, want %v", got, want)
	}
	if sh := tb.Shared([]int{0, 3}); len(sh) != 0 {
		t.Errorf("a and d share %v", sh)
	}
	if sh := tb.Shared([]int{0}); sh != nil {
		t.Error("one row shares nothing")
	}
}

func TestGlyphText(t *testing.T) {
	for g, want := range map[int]string{SaysNothing: "~", Unique: " ", 1: "A", 26: "Z", 27: "a", 52: "z", 53: "*"} {
		if got := GlyphText(g); got != want {
			t.Errorf("GlyphText(%d) = %q, want %q", g, got, want)
		}
	}
}

func TestDemoMatrix(t *testing.T) {
	s := demotest.Session()
	tb := Build(Profiles(s), s.Window)
	want := map[Column]string{
		ColIP:         "nova-parcels.com=A nova-tracking.net=A nova-returns.co=A meridian-freight.com=  parcelpoint-status.com=  ",
		ColRegistrar:  "nova-parcels.com=A nova-tracking.net=A nova-returns.co=A meridian-freight.com=  parcelpoint-status.com= ",
		ColCert:       "nova-parcels.com=A nova-tracking.net=A nova-returns.co=A meridian-freight.com=  parcelpoint-status.com= ",
		ColRegistered: "nova-parcels.com=A nova-tracking.net=A nova-returns.co=A meridian-freight.com=  parcelpoint-status.com= ",
		// no SPF and no DMARC: about 4 in 10 domains, says nothing
		ColEmail: "nova-parcels.com=~ nova-tracking.net=~ nova-returns.co=~ meridian-freight.com=  parcelpoint-status.com= ",
	}
	for col, w := range want {
		if got := glyphs(tb, col); got != w {
			t.Errorf("%s: got %q\nwant %q", Titles[col], got, w)
		}
	}
}

func TestAxis(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		dates    []time.Time
		width    int
		segments int
	}{
		{"one date", []time.Time{d(2024, 11, 4)}, 60, 1},
		{"close dates stay linear", []time.Time{d(2024, 11, 4), d(2024, 11, 6), d(2024, 11, 30)}, 60, 1},
		{"17 years against 2 days breaks", []time.Time{d(2007, 11, 20), d(2022, 11, 20), d(2024, 11, 4), d(2024, 11, 6)}, 80, 3},
		{"too narrow to break", []time.Time{d(2007, 11, 20), d(2024, 11, 4), d(2024, 11, 6)}, 20, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAxis(tt.dates, tt.width)
			if len(a.Segments) != tt.segments {
				t.Fatalf("segments %+v, want %d", a.Segments, tt.segments)
			}
			prev := -1
			for _, x := range tt.dates {
				c := a.ColOf(x)
				if c < 0 || c >= tt.width {
					t.Fatalf("%v at column %d outside 0..%d", x, c, tt.width)
				}
				if c < prev {
					t.Errorf("%v at %d before the previous date's %d", x, c, prev)
				}
				prev = c
			}
			if tt.segments > 1 {
				// The close pair is at least two columns apart, the old date far left.
				n := len(tt.dates)
				if a.ColOf(tt.dates[n-1])-a.ColOf(tt.dates[n-2]) < 2 {
					t.Error("the two close dates collide")
				}
				if a.ColOf(tt.dates[0]) > tt.width/3 {
					t.Errorf("the old date is not on the left: %d", a.ColOf(tt.dates[0]))
				}
			}
		})
	}
	if a := NewAxis(nil, 40); len(a.Segments) != 0 || a.ColOf(time.Now()) != -1 {
		t.Error("an empty axis has no columns")
	}
}

func TestWindowClustersAndTimeline(t *testing.T) {
	s := demotest.Session()
	ps := Profiles(s)
	cs := s.Clusters()
	ws := WindowClusters(cs, ps)
	if len(ws) != 1 || !slices.Equal(ws[0].Members, []string{"nova-parcels.com", "nova-tracking.net", "nova-returns.co"}) {
		t.Fatalf("window clusters %+v (clusters %+v)", ws, cs)
	}
	tl := NewTimeline(styles.Default())
	tl.SetSize(120, 30)
	tl.Set(ps, cs)
	out := tl.View()
	lines := strings.Split(out, "\n")
	col := func(domain string) int {
		for _, l := range lines {
			if strings.Contains(l, domain) {
				return strings.Index(l[strings.Index(l, domain)+len(domain):], GlyphRegistered)
			}
		}
		t.Fatalf("no row for %s in\n%s", domain, out)
		return 0
	}
	if !(col("meridian-freight.com") < col("parcelpoint-status.com") && col("parcelpoint-status.com") < col("nova-parcels.com") && col("nova-parcels.com") < col("nova-returns.co")) {
		t.Errorf("markers out of date order:\n%s", out)
	}
	for _, want := range []string{"◆1 3 registered within 2 days", "≈", "earliest: meridian-freight.com", "17.0 years before the latest"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// TestTimelineSameDay: domains registered the same day are not "one day
// before" each other.
func TestTimelineSameDay(t *testing.T) {
	s := pivot.NewSession(demotest.Now)
	day := demotest.Now.AddDate(-15, 0, 0)
	for _, name := range []string{"api.example-freight.com", "www.example-freight.com", "example-freight.com"} {
		d := demotest.Domains()[3]
		d.Name, d.Created = name, day.Add(time.Duration(len(name))*time.Minute)
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: name})
		s.Attach(n.ID, demotest.Report(d), demotest.Now)
	}
	tl := NewTimeline(styles.Default())
	tl.SetSize(120, 30)
	tl.Set(Profiles(s), s.Clusters())
	out := tl.View()
	if strings.Contains(out, "before the latest") || !strings.Contains(out, "all registered the same day, "+Day(day)) {
		t.Errorf("same-day summary wrong:\n%s", out)
	}
}

// TestLongNamesUseTheRoom: the matrix and the timeline cut a long domain
// name at 26 cells on a narrow screen, and show it whole on a wide one.
func TestLongNamesUseTheRoom(t *testing.T) {
	s := demotest.Session()
	d := demotest.Domains()[4]
	d.Name = "very-long-parcel-tracking-status-portal.com" // 43 cells
	n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.Name})
	s.Attach(n.ID, demotest.Report(d), demotest.Now)
	ps := Profiles(s)
	for _, tc := range []struct {
		width int
		whole bool
	}{{100, false}, {220, true}} {
		mat := NewMatrix(styles.Default())
		mat.SetSize(tc.width, 30)
		mat.Set(Build(ps, s.Window))
		tl := NewTimeline(styles.Default())
		tl.SetSize(tc.width, 30)
		tl.Set(ps, s.Clusters())
		for name, out := range map[string]string{"matrix": mat.View(), "timeline": tl.View()} {
			if got := strings.Contains(out, d.Name); got != tc.whole {
				t.Errorf("%s at %d: name whole = %v, want %v:\n%s", name, tc.width, got, tc.whole, out)
			}
		}
	}
}

// TestTimelineMoves: the timeline moves like the tree — a page is the
// rows shown, home and G/end the ends — and g still goes to the node.
func TestTimelineMoves(t *testing.T) {
	s := demotest.Session()
	ps := Profiles(s)
	key := func(k string) tea.KeyMsg {
		switch k {
		case "pgdown":
			return tea.KeyMsg{Type: tea.KeyPgDown}
		case "pgup":
			return tea.KeyMsg{Type: tea.KeyPgUp}
		case "home":
			return tea.KeyMsg{Type: tea.KeyHome}
		case "end":
			return tea.KeyMsg{Type: tea.KeyEnd}
		case "ctrl+d":
			return tea.KeyMsg{Type: tea.KeyCtrlD}
		}
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	base := NewTimeline(styles.Default())
	base.SetSize(120, 30)
	base.Set(ps, s.Clusters())
	n := len(base.rows)
	for h := 1; base.rowsHeight() != 2 && h < 30; h++ {
		base.SetSize(120, h) // two rows shown
	}
	if h := base.rowsHeight(); h != 2 || n < 5 {
		t.Fatalf("rows shown %d of %d, want 2 of at least 5", h, n)
	}
	tests := []struct {
		keys []string
		want int // row the cursor is on
	}{
		{[]string{"pgdown"}, 2},
		{[]string{"ctrl+d", "ctrl+d"}, 4},
		{[]string{"end"}, n - 1},
		{[]string{"G"}, n - 1},
		{[]string{"G", "pgup"}, n - 3},
		{[]string{"G", "home"}, 0},
		{[]string{"j", "g"}, 1}, // g goes to the node: no move
	}
	for _, tt := range tests {
		tl := base
		for _, k := range tt.keys {
			tl, _ = tl.Update(key(k))
		}
		_, jump := tl.Update(key("enter"))
		if want := tl.rows[tt.want].Entity; jump != want {
			t.Errorf("%v: on %q, want row %d %q", tt.keys, jump, tt.want, want)
		}
		if tt.keys[len(tt.keys)-1] == "g" {
			if _, j := tl.Update(key("g")); j == "" {
				t.Errorf("g did not go to the node")
			}
		}
		if d := tl.rows[tt.want].Domain; !strings.Contains(tl.View(), d) {
			t.Errorf("%v: the cursor's row %s is not shown:\n%s", tt.keys, d, tl.View())
		}
	}
}

// TestMatrixMoves: the matrix moves like the other lists — a page is the
// rows shown, home and G/end the ends — and g still goes to the node.
func TestMatrixMoves(t *testing.T) {
	s := demotest.Session()
	base := NewMatrix(styles.Default())
	base.Set(Build(Profiles(s), s.Window))
	base.SetSize(120, 8) // 1 row shown over the first row's panel, 3 over the last's
	n := len(base.order)
	if n < 5 {
		t.Fatalf("%d rows, want at least 5", n)
	}
	key := func(k string) tea.KeyMsg {
		switch k {
		case "pgdown":
			return tea.KeyMsg{Type: tea.KeyPgDown}
		case "pgup":
			return tea.KeyMsg{Type: tea.KeyPgUp}
		case "home":
			return tea.KeyMsg{Type: tea.KeyHome}
		case "end":
			return tea.KeyMsg{Type: tea.KeyEnd}
		}
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	// The panel under the rows describes the cursor's row, so how many
	// rows are shown depends on it: a page is the rows shown when the key
	// is pressed (page: -1 or 1 rows shown before the last key, added).
	tests := []struct {
		keys []string
		want int // row, in display order
		page int
		jump bool
	}{
		{[]string{"pgdown"}, 0, 1, false},
		{[]string{"pgdown", "pgdown", "pgdown", "pgdown", "pgdown"}, n - 1, 0, false},
		{[]string{"end"}, n - 1, 0, false},
		{[]string{"G"}, n - 1, 0, false},
		{[]string{"G", "pgup"}, n - 1, -1, false},
		{[]string{"G", "home"}, 0, 0, false},
		{[]string{"j", "g"}, 1, 0, true},
	}
	for _, tt := range tests {
		m := base
		var jump pivot.EntityKey
		want := tt.want
		for i, k := range tt.keys {
			if i == len(tt.keys)-1 {
				want += tt.page * m.rowsHeight()
			}
			m, jump = m.Update(key(k))
		}
		if tt.page != 0 && (want <= 0 || want >= n-1) {
			t.Fatalf("%v: a page of %d rows reaches an end: the case says nothing", tt.keys, m.rowsHeight())
		}
		d := m.t.Profiles[m.order[want]].Domain
		if m.CursorDomain() != d || (jump != "") != tt.jump {
			t.Errorf("%v: on %q (jump %q), want row %d %q (jump %v)", tt.keys, m.CursorDomain(), jump, want, d, tt.jump)
		}
		if !strings.Contains(m.View(), d) {
			t.Errorf("%v: the cursor's row %s is not shown:\n%s", tt.keys, d, m.View())
		}
	}
}
