package clusters

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/tui/internal/demotest"
	"github.com/netspecter/netspecter-tui/tui/styles"
)

// The goldens are written with the ASCII profile (what NO_COLOR gives)
// unless a test sets another; go test ./tui/clusters -update rewrites them.
func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// session is the demo investigation plus two small operations, so that the
// pane shows three clusters: the nova trio (private NS, one certificate,
// one address), the harbor trio (private NS, one address; harbor-sync.org
// is kept out by a mark) and the kestrel pair (private NS only). Two
// link marks show beside and below the links.
func session(t *testing.T) (*pivot.Session, []pivot.Cluster) {
	t.Helper()
	now := demotest.Now
	day := 24 * time.Hour
	harborNS := []string{"ns1.harbor-dns.org", "ns2.harbor-dns.org"}
	kestrelNS := []string{"ns1.kestrel-dns.net", "ns2.kestrel-dns.net"}
	doms := append(demotest.Domains(),
		demotest.Domain{Name: "harbor-sync.com", IPs: []string{"45.137.21.9"}, ASN: 9009, ASOrg: "M247", NS: harborNS, Registrar: "Tucows Domains Inc.",
			Created: now.Add(-40 * day), FirstCT: now.Add(-38 * day), CertSHA: strings.Repeat("c0ffee11", 8), Posture: "spf:~all dmarc:none"},
		demotest.Domain{Name: "harbor-sync.net", IPs: []string{"45.137.21.9"}, ASN: 9009, ASOrg: "M247", NS: harborNS, Registrar: "Tucows Domains Inc.",
			Created: now.Add(-39 * day), FirstCT: now.Add(-38 * day), CertSHA: strings.Repeat("d00dfeed", 8), Posture: "spf:~all dmarc:none"},
		demotest.Domain{Name: "harbor-sync.org", IPs: []string{"45.137.21.9"}, ASN: 9009, ASOrg: "M247", NS: harborNS, Registrar: "Tucows Domains Inc.",
			Created: now.Add(-39 * day), FirstCT: now.Add(-38 * day), CertSHA: strings.Repeat("0badf00d", 8), Posture: "spf:~all dmarc:none"},
		demotest.Domain{Name: "kestrel-pay.com", IPs: []string{"5.9.120.7"}, ASN: 24940, ASOrg: "HETZNER-AS", NS: kestrelNS, Registrar: "Gandi SAS",
			Created: now.AddDate(-3, 0, 0), FirstCT: now.AddDate(-3, 0, 0), CertSHA: strings.Repeat("4e5f6a7b", 8), Posture: "spf:-all dmarc:reject"},
		demotest.Domain{Name: "kestrel-pay.org", IPs: []string{"51.158.3.3"}, ASN: 12876, ASOrg: "Scaleway S.a.s.", NS: kestrelNS, Registrar: "OVH sas",
			Created: now.AddDate(-1, 0, 0), FirstCT: now.AddDate(-1, 0, 0), CertSHA: strings.Repeat("8c9d0e1f", 8), Posture: "spf:-all dmarc:reject"},
	)
	s := pivot.NewSession(now)
	ids := map[string]string{}
	for _, d := range doms {
		n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: d.Name})
		s.Attach(n.ID, demotest.Report(d), now)
		ids[d.Name] = n.ID
	}
	s.MarkFalsePositive(ids["nova-returns.co"], pivot.FPCluster+":registrar", "bought through a reseller", now)
	s.MarkFalsePositive(ids["harbor-sync.net"], pivot.FPCluster+":window", "renewed, not registered, that week", now)
	s.MarkFalsePositive(ids["harbor-sync.org"], pivot.FPCluster, "a parked look-alike, not theirs", now)
	return s, s.Clusters()
}

// pane renders the clusters pane as the workbench lays it out on a
// termW×termH terminal (tui/app.go layout: the tree takes two fifths, at
// least 30 cells; the pane the rest but a separator; two lines for the
// status bar and the footer).
func pane(s *pivot.Session, cs []pivot.Cluster, termW, termH int) Model {
	treeW := min(max(termW*2/5, 30), 110)
	if treeW > termW-20 {
		treeW = max(termW/2, 1)
	}
	m := New(styles.Default())
	m.SetSize(max(termW-treeW-1, 1), termW, max(termH-2, 1))
	m.SetFocused(true)
	m.SetClusters(cs, s)
	return m
}

func TestSessionHasThreeClusters(t *testing.T) {
	_, cs := session(t)
	want := [][]string{
		{"nova-parcels.com", "nova-returns.co", "nova-tracking.net"},
		{"harbor-sync.com", "harbor-sync.net"},
		{"kestrel-pay.com", "kestrel-pay.org"},
	}
	if len(cs) != len(want) {
		t.Fatalf("%d clusters, want %d: %+v", len(cs), len(want), cs)
	}
	for i, c := range cs {
		if strings.Join(c.Members, " ") != strings.Join(want[i], " ") {
			t.Errorf("cluster %d: members %v, want %v", i+1, c.Members, want[i])
		}
	}
}

// flat joins the lines of a view without their blanks, so that wrapped
// text reads as one (compare it with unblank(text)).
func flat(view string) string { return unblank(ansi.Strip(view)) }

func unblank(s string) string { return strings.Join(strings.Fields(s), "") }

// keyLine is how a shared key's line starts: weight, kind, value.
func keyLine(e pivot.Evidence) string {
	kind, val, _ := strings.Cut(e.Key, ":")
	return fmt.Sprintf("%4.2f  %-9s %s", e.Weight, kind, val)
}

// TestViewShowsEveryCluster reads the whole list (a pane tall enough for
// every line) with the cursor in each cluster in turn and checks what each
// cluster shows: its header with the member count and score, every member
// with its verdict, every shared key, the heaviest first, with its weight
// and, for the cursor's cluster, its why in full on the lines under it
// (the other clusters: on the key line, cut at the width), and the marks.
func TestViewShowsEveryCluster(t *testing.T) {
	s, cs := session(t)
	m := New(styles.Default())
	m.SetSize(300, 300, 80)
	m.SetClusters(cs, s)
	for open := range cs {
		view := m.View()
		if strings.Contains(view, "\x1b[") {
			t.Fatalf("ASCII profile: the view has escape sequences:\n%q", view)
		}
		lines := strings.Split(view, "\n")
		at := 1 // below the tab line
		find := func(what string) int {
			t.Helper()
			for i := at; i < len(lines); i++ {
				if strings.Contains(lines[i], what) {
					at = i + 1
					return i
				}
			}
			t.Fatalf("cursor in cluster %d: %q not found at or after line %d:\n%s", open+1, what, at, view)
			return -1
		}
		for i, c := range cs {
			find(fmt.Sprintf("◆%d  %d members  score %.2f", i+1, len(c.Members), c.Score))
			for _, mem := range c.Members {
				e := s.Entity(pivot.KeyOf(recon.PivotDomain, mem))
				dot := e.Verdict().Mark()
				if dot == "" {
					dot = " "
				}
				find(dot + " " + mem)
			}
			if len(c.Evidence) != len(c.Shared) {
				t.Fatalf("cluster %d: %d keys, %d weighed", i+1, len(c.Shared), len(c.Evidence))
			}
			ev := slices.Clone(c.Evidence)
			slices.SortStableFunc(ev, func(a, b pivot.Evidence) int { return cmp.Compare(b.Weight, a.Weight) })
			for _, e := range ev {
				l := find(keyLine(e))
				if i != open {
					if !strings.Contains(lines[l], " — "+e.Why) {
						t.Errorf("cluster %d (cursor in %d): line of %s lacks its why:\n%s", i+1, open+1, e.Key, lines[l])
					}
					continue
				}
				end := l + 1
				for end < len(lines) && strings.HasPrefix(lines[end], strings.Repeat(" ", 10)) {
					end++
				}
				if under := flat(strings.Join(lines[l+1:end], "\n")); !strings.Contains(under, unblank(e.Why)) {
					t.Errorf("cluster %d: the why of %s is not under it in full: %q", i+1, e.Key, under)
				}
			}
		}
		// The marks: a kind mark under the link it drops (with its why
		// when the cluster is open), one whose link is gone below the
		// links, and no line for the domain kept out.
		fp := "○ false positive for nova-returns.co"
		if open == 0 {
			fp += " — bought through a reseller"
		}
		if !strings.Contains(view, "namecheap, inc.") || !strings.Contains(view, fp) {
			t.Errorf("the registrar mark of nova-returns.co is not beside the registrar link:\n%s", view)
		}
		if !strings.Contains(view, "○ harbor-sync.net: window not counted — renewed, not registered, that week") {
			t.Errorf("the window mark of harbor-sync.net is not shown:\n%s", view)
		}
		if strings.Contains(view, "harbor-sync.org") {
			t.Errorf("harbor-sync.org is kept out of every cluster but shown:\n%s", view)
		}
		for range cs[open].Members {
			m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
		}
	}
}

// TestNarrowShowsEveryWeight: on an 80x24 terminal (a pane 47 cells
// wide) every shared key of every cluster shows its weight and both ends
// of its value, and the cursor's cluster every why in full: the cursor
// goes to each cluster's first member, and the page keys read the rest.
func TestNarrowShowsEveryWeight(t *testing.T) {
	s, cs := session(t)
	m := pane(s, cs, 80, 24)
	pgdn := tea.KeyMsg{Type: tea.KeyPgDown}
	for i, c := range cs {
		// What the cluster shows, page after page, from the cursor's frame.
		var frames []string
		f := m
		for range 5 {
			_, body, _ := strings.Cut(ansi.Strip(f.View()), "\n") // below the tab line
			frames = append(frames, body)
			f, _, _ = f.Update(pgdn)
		}
		if sel := selectedLine(frames[0]); !strings.Contains(sel, c.Members[0]) {
			t.Fatalf("cluster %d: the cursor is not on %s: %q", i+1, c.Members[0], sel)
		}
		if !strings.Contains(frames[0], fmt.Sprintf("◆%d  %d members", i+1, len(c.Members))) {
			t.Errorf("cluster %d: its header is not shown with the cursor on its first member:\n%s", i+1, frames[0])
		}
		all := strings.Join(frames, "\n")
		for _, e := range c.Evidence {
			kind, val, _ := strings.Cut(e.Key, ":")
			start, end := val, val
			if len(val) > 12 {
				start, end = val[:12], val[len(val)-12:]
			}
			found := false
			for _, l := range strings.Split(all, "\n") {
				if strings.Contains(l, fmt.Sprintf("%4.2f  %-9s %s", e.Weight, kind, start)) && strings.Contains(l, end) {
					found = true
				}
			}
			if !found {
				t.Errorf("cluster %d: no line with the weight %.2f, %s and both ends of %q:\n%s", i+1, e.Weight, kind, val, all)
			}
			if !strings.Contains(flat(all), unblank(e.Why)) {
				t.Errorf("cluster %d: the why of %s is not shown in full: %q", i+1, e.Key, e.Why)
			}
		}
		if i < len(cs)-1 {
			for range c.Members {
				m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
			}
		}
	}
}

// TestMiddle: a long value keeps its start and its end.
func TestMiddle(t *testing.T) {
	fp := "bb31b5958152d3a3a60455576bdf14ef7a4b3b7165025ff7aa11aa11aa11aa11"
	tests := []struct {
		s    string
		w    int
		want string
	}{
		{"AS205100", 26, "AS205100"},
		{fp, 26, "bb31b5958152d…aa11aa11aa11"},
		{fp, 64, fp},
		{fp, 9, "bb31…aa11"},
		{fp, 3, "bb…"},
	}
	for _, tt := range tests {
		if got := middle(tt.s, tt.w); got != tt.want || ansi.StringWidth(got) > tt.w {
			t.Errorf("middle(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

// TestWrap: text breaks at blanks, never inside a host name at a hyphen;
// a word longer than the line is cut.
func TestWrap(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want []string
	}{
		{"private name servers (ns1.nova-dns.net): deliberate", 20, []string{"private name servers", "(ns1.nova-dns.net):", "deliberate"}},
		{"(ns1.harbor-dns.org,ns2.harbor-dns.org): operators", 24, []string{"(ns1.harbor-dns.org,", "ns2.harbor-dns.org):", "operators"}},
		{"a,b c", 10, []string{"a,b c"}},
		{"abcdefghij xy", 4, []string{"abcd", "efgh", "ij", "xy"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		if got := wrap(tt.s, tt.w); !slices.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

// TestGoldens renders the pane as the workbench does: at 150x40 in colour
// (256 colours, dark background) and in ASCII (NO_COLOR), and on an 80x24
// terminal. Every frame is exactly the pane's size; the colour frame is
// the ASCII one plus styling.
func TestGoldens(t *testing.T) {
	s, cs := session(t)
	ascii := pane(s, cs, 150, 40).View()
	tests := []struct {
		name         string
		profile      termenv.Profile
		termW, termH int
		w, h         int // the pane's size (tui/app.go layout)
		short        bool
	}{
		{"150x40_colour", termenv.ANSI256, 150, 40, 89, 38, false},
		{"150x40_ascii", termenv.Ascii, 150, 40, 89, 38, false},
		{"80x24_ascii", termenv.Ascii, 80, 24, 47, 22, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dark := lipgloss.HasDarkBackground()
			lipgloss.SetColorProfile(tt.profile)
			lipgloss.SetHasDarkBackground(true)
			t.Cleanup(func() {
				lipgloss.SetColorProfile(termenv.Ascii)
				lipgloss.SetHasDarkBackground(dark)
			})
			view := pane(s, cs, tt.termW, tt.termH).View()
			lines := strings.Split(view, "\n")
			if len(lines) != tt.h {
				t.Errorf("%d lines, want %d", len(lines), tt.h)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != tt.w {
					t.Errorf("line %d is %d cells wide, want %d: %q", i, w, tt.w, ansi.Strip(l))
				}
			}
			colour := strings.Contains(view, "\x1b[")
			if colour != (tt.profile != termenv.Ascii) {
				t.Errorf("escape sequences: %v with profile %v", colour, tt.profile)
			}
			if colour && ansi.Strip(view) != ascii {
				t.Errorf("the colour frame is not the ASCII frame styled:\n%s\n---\n%s", ansi.Strip(view), ascii)
			}
			tabs := []string{"» CLUSTERS 3 ", " MATRIX 10 ", " TIMELINE 10 ", " CHANGES 0 "}
			if tt.short {
				tabs = []string{"» CLUS 3 ", " MATRIX 10 ", " TIME 10 ", " CHG 0 "}
			}
			for _, tab := range tabs {
				if !strings.Contains(ansi.Strip(lines[0]), tab) {
					t.Errorf("tab line lacks %q: %q", tab, ansi.Strip(lines[0]))
				}
			}
			// The first cluster's header and its first member, selected.
			plain := ansi.Strip(view)
			if !strings.Contains(plain, fmt.Sprintf("◆1  3 members  score %.2f", cs[0].Score)) {
				t.Errorf("no header of the first cluster:\n%s", plain)
			}
			if !strings.Contains(plain, "›   ■ nova-parcels.com") {
				t.Errorf("the first member is not selected:\n%s", plain)
			}
			golden.RequireEqualEscape(t, []byte(view), colour)
		})
	}
}

// TestNarrowScrollsToEveryMember walks the cursor down the 80x24 pane:
// every member comes into view selected, and enter asks to jump to it.
func TestNarrowScrollsToEveryMember(t *testing.T) {
	s, cs := session(t)
	m := pane(s, cs, 80, 24)
	var members []string
	for _, c := range cs {
		members = append(members, c.Members...)
	}
	down := tea.KeyMsg{Type: tea.KeyDown}
	for i, mem := range members {
		if i > 0 {
			m, _, _ = m.Update(down)
		}
		if !strings.Contains(m.View(), "› ") || !strings.Contains(selectedLine(m.View()), mem) {
			t.Fatalf("member %d (%s) is not the selected line:\n%s", i, mem, m.View())
		}
		_, res, _ := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		if want := pivot.KeyOf(recon.PivotDomain, mem); res.Jump != want {
			t.Fatalf("enter on %s jumps to %q, want %q", mem, res.Jump, want)
		}
	}
	m, _, _ = m.Update(down) // past the last member: stays
	if !strings.Contains(selectedLine(m.View()), members[len(members)-1]) {
		t.Errorf("down past the last member moved the cursor:\n%s", m.View())
	}
	if _, res, _ := m.Update(tea.KeyMsg{Type: tea.KeyEsc}); !res.Close {
		t.Error("esc does not close the pane")
	}
}

func selectedLine(view string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "›") {
			return l
		}
	}
	return ""
}

// TestNoClusters: an empty session says how clusters form.
func TestNoClusters(t *testing.T) {
	m := New(styles.Default())
	m.SetSize(80, 80, 10)
	m.SetClusters(nil, pivot.NewSession(demotest.Now))
	view := m.View()
	for _, want := range []string{"CLUSTERS 0", "No clusters yet.", "weighs 3 or more", "Scan more nodes (a)."} {
		if !strings.Contains(view, want) {
			t.Errorf("empty pane lacks %q:\n%s", want, view)
		}
	}
	if _, res, _ := m.Update(tea.KeyMsg{Type: tea.KeyEnter}); res.Jump != "" {
		t.Errorf("enter with no member jumps to %q", res.Jump)
	}
}

// TestPageKeys: pgdn scrolls the lines and leaves the cursor (enter still
// jumps to its member); pgup scrolls back; the next move shows the
// cursor's cluster from its header again.
func TestPageKeys(t *testing.T) {
	s, cs := session(t)
	m := pane(s, cs, 80, 24)
	first := m.View()
	m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	paged := m.View()
	if paged == first || selectedLine(paged) != "" {
		t.Fatalf("pgdn did not scroll the cursor's line out of view:\n%s", paged)
	}
	if _, res, _ := m.Update(tea.KeyMsg{Type: tea.KeyEnter}); res.Jump != pivot.KeyOf(recon.PivotDomain, cs[0].Members[0]) {
		t.Errorf("enter after pgdn jumps to %q", res.Jump)
	}
	if m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyPgUp}); m.View() != first {
		t.Errorf("pgup did not scroll back:\n%s", m.View())
	}
	m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
	v := m.View()
	if !strings.Contains(selectedLine(v), cs[0].Members[1]) || !strings.Contains(strings.Split(v, "\n")[1], "◆1") {
		t.Errorf("down after pgdn: the cursor's cluster is not shown from its header:\n%s", v)
	}
}

// TestTabKeys: 1-4 (and t) pick a view, v cycles through them.
func TestTabKeys(t *testing.T) {
	m := New(styles.Default())
	m.SetSize(80, 80, 10)
	tests := []struct {
		key  string
		want Tab
	}{{"2", TabMatrix}, {"3", TabTimeline}, {"4", TabChanges}, {"1", TabClusters}, {"t", TabTimeline}, {"v", TabChanges}, {"v", TabClusters}, {"v", TabMatrix}}
	for _, tt := range tests {
		m, _, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(tt.key)})
		if m.Tab() != tt.want {
			t.Errorf("after %q: view %d, want %d", tt.key, m.Tab(), tt.want)
		}
	}
}

// TestTopBottomKeys: G/end go to the last member, home back to the first;
// g is no move in the pane (it goes to the node in the other views).
func TestTopBottomKeys(t *testing.T) {
	s, cs := session(t)
	last := cs[len(cs)-1].Members
	first := pivot.KeyOf(recon.PivotDomain, cs[0].Members[0])
	end := pivot.KeyOf(recon.PivotDomain, last[len(last)-1])
	tests := []struct {
		keys []tea.KeyMsg
		want pivot.EntityKey
	}{
		{[]tea.KeyMsg{{Type: tea.KeyEnd}}, end},
		{[]tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("G")}}, end},
		{[]tea.KeyMsg{{Type: tea.KeyEnd}, {Type: tea.KeyHome}}, first},
		{[]tea.KeyMsg{{Type: tea.KeyDown}, {Type: tea.KeyRunes, Runes: []rune("g")}}, pivot.KeyOf(recon.PivotDomain, cs[0].Members[1])},
	}
	for i, tt := range tests {
		m := pane(s, cs, 80, 24)
		for _, k := range tt.keys {
			m, _, _ = m.Update(k)
		}
		if got := m.Selected(); got != tt.want {
			t.Errorf("%d: on %q, want %q", i, got, tt.want)
		}
		if key := string(tt.want); !strings.Contains(selectedLine(m.View()), key[strings.Index(key, ":")+1:]) {
			t.Errorf("%d: the cursor's line is not shown:\n%s", i, m.View())
		}
	}
}
