package tui

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
	"github.com/netspecter/netspecter-tui/tui/dialog"
)

type copiedMsg struct {
	what    string // what was copied: the display form
	changed int    // characters of the value shown escaped (0: copied as stored)
	err     error
}

// copyCmd puts the display form of v on the clipboard (OSC 52): every
// control, bidi and invisible character escaped as the panes show it
// (\x1b, \u202e), so a value pasted into a shell or an editor cannot end
// a bracketed paste, run a command or hide text. When the display form
// differs from the stored value, the toast says so.
func (a *App) copyCmd(v string) tea.Cmd {
	cp := a.seam.copy
	shown := sanitizeLine(v)
	changed := CopyChanges(v)
	return func() tea.Msg { return copiedMsg{what: shown, changed: changed, err: cp(shown)} }
}

// CopyChanges counts the characters of v that y does not copy as they are
// (controls, bidi and invisible characters, invalid bytes, combining marks
// over the cap): 0 means the clipboard gets v unchanged.
func CopyChanges(v string) int {
	if sanitize.Safe(v) {
		return 0
	}
	n := 0
	marks := 0
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size <= 1, sanitize.Bad(r):
			n++
			marks = 0
		case unicode.Is(unicode.M, r):
			if marks++; marks > sanitize.MaxMarks {
				n++
			}
		default:
			marks = 0
		}
		i += size
	}
	return n
}

// QuickLinks returns the look-up pages for a value of kind k.
func QuickLinks(k recon.PivotKind, v string) []string {
	q := url.QueryEscape(v)
	p := url.PathEscape(v)
	switch k {
	case recon.PivotDomain, recon.PivotSubdomain, recon.PivotNS, recon.PivotMX:
		return []string{
			"https://web.archive.org/web/*/" + p,
			"https://www.virustotal.com/gui/domain/" + p,
			"https://crt.sh/?q=" + q,
			"https://rdap.org/domain/" + p,
			"https://mxtoolbox.com/SuperTool.aspx?action=mx%3a" + q,
		}
	case recon.PivotEmail:
		d := v
		if i := strings.LastIndexByte(v, '@'); i >= 0 {
			d = v[i+1:]
		}
		return QuickLinks(recon.PivotDomain, d)
	case recon.PivotIP:
		return []string{
			"https://www.virustotal.com/gui/ip-address/" + p,
			"https://rdap.org/ip/" + p,
			"https://mxtoolbox.com/SuperTool.aspx?action=blacklist%3a" + q,
			"https://internetdb.shodan.io/" + p,
		}
	case recon.PivotASN:
		n := strings.TrimPrefix(strings.ToUpper(v), "AS")
		return []string{"https://rdap.org/autnum/" + url.PathEscape(n), "https://bgp.he.net/AS" + url.PathEscape(n)}
	case recon.PivotCert:
		return []string{"https://crt.sh/?sha256=" + q}
	case recon.PivotNetwork:
		return []string{"https://rdap.org/ip/" + p, "https://bgp.he.net/net/" + p}
	case recon.PivotFavicon:
		return []string{"https://www.shodan.io/search?query=" + url.QueryEscape("http.favicon.hash:"+v)}
	case recon.PivotAnalytics:
		id := v[strings.LastIndexByte(v, ':')+1:] // "fb:123" is searched as 123
		return []string{"https://www.shodan.io/search?query=" + url.QueryEscape(`http.html:"`+id+`"`), "https://publicwww.com/websites/" + url.PathEscape(`"`+id+`"`) + "/"}
	}
	return []string{"https://www.virustotal.com/gui/search/" + p}
}

func (a *App) openLinks() tea.Cmd {
	n := a.tree.Selected()
	links := QuickLinks(n.Kind, n.Value)
	items := make([]string, len(links))
	for i, l := range links {
		items[i] = sanitizeLine(l)
	}
	copyLink := func(i int) tea.Cmd { return a.copyCmd(links[i]) }
	p := dialog.NewPicker(a.st, "links", "Look up "+sanitizeLine(n.Value), items).OnPick(copyLink).OnKey(a.keys.Copy, copyLink)
	p.Hint = "enter or y copies the link (OSC 52) · esc closes"
	a.open(p)
	return nil
}
