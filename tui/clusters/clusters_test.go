package clusters

import (
	"fmt"
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

// TestViewShowsEveryCluster reads the whole list (a pane tall enough for
// every line) and checks what each cluster shows: its header with the
// member count and score, every shared key with its weight and why, the
// marks, and every member with its verdict.
func TestViewShowsEveryCluster(t *testing.T) {
	s, cs := session(t)
	m := New(styles.Default())
	m.SetSize(300, 300, 80)
	m.SetClusters(cs, s)
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
		t.Fatalf("%q not found at or after line %d:\n%s", what, at, view)
		return -1
	}
	for i, c := range cs {
		find(fmt.Sprintf("◆%d  %d members  score %.2f", i+1, len(c.Members), c.Score))
		for j, sh := range c.Shared {
			kind, val, _ := strings.Cut(sh, ":")
			e := c.Evidence[j]
			if e.Key != sh {
				t.Fatalf("evidence %d of cluster %d is for %q, not %q", j, i+1, e.Key, sh)
			}
			l := lines[find(fmt.Sprintf("%-10s%s", kind, val))]
			if w := fmt.Sprintf("weight %.2g — %s", e.Weight, e.Why); !strings.Contains(l, w) {
				t.Errorf("line of %s lacks %q:\n%s", sh, w, l)
			}
		}
		for _, mem := range c.Members {
			e := s.Entity(pivot.KeyOf(recon.PivotDomain, mem))
			dot := e.Verdict().Mark()
			if dot == "" {
				dot = " "
			}
			find(dot + " " + mem)
		}
	}
	// The marks: a kind mark beside the link it drops, one whose link is
	// gone below the links, and no line for the domain kept out.
	if !strings.Contains(view, "namecheap, inc.") || !strings.Contains(view, "○ false positive for nova-returns.co") {
		t.Errorf("the registrar mark of nova-returns.co is not beside the registrar link:\n%s", view)
	}
	if !strings.Contains(view, "○ harbor-sync.net: window not counted — renewed, not registered, that week") {
		t.Errorf("the window mark of harbor-sync.net is not shown:\n%s", view)
	}
	if strings.Contains(view, "harbor-sync.org") {
		t.Errorf("harbor-sync.org is kept out of every cluster but shown:\n%s", view)
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
