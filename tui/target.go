package tui

import (
	"net"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/netspecter/netspecter-tui/recon"
)

// openTargetPrompt asks for a target to investigate, in a centred box
// that suggests the lab world's domains; the answer is checked before the
// box closes.
func (a *App) openTargetPrompt(errText string) {
	p := a.newPrompt("target", "Investigate a domain, IP or e-mail address", "nova-parcels.com", "")
	p.Boxed = true
	p.Hint = "enter to scan · esc to close"
	p.Err = errText
	if doms := a.labDomains(); len(doms) > 0 {
		p.Lines = []string{a.st.Label.Render("in the " + sanitizeLine(a.o.Lab) + ":")}
		for i, d := range doms {
			if i == 8 {
				p.Lines = append(p.Lines, a.st.Dim.Render("  … and "+itoa(len(doms)-8)+" more"))
				break
			}
			p.Lines = append(p.Lines, "  "+sanitizeLine(d))
		}
	}
	p.Validate(func(v string) string {
		if v == "" {
			return "type a domain (example.com), an IP (192.0.2.1) or an e-mail address"
		}
		t, err := recon.ParseTarget(v)
		if err != nil {
			return sanitizeLine(err.Error())
		}
		return a.outsideLab(t)
	}).OnDone(func(v string) tea.Cmd {
		a.addTarget(v)
		return a.pump()
	})
	a.open(p)
}

// labDomains are the lab world's domains (none in real mode).
func (a *App) labDomains() []string {
	var out []string
	for _, t := range a.o.LabTargets {
		if net.ParseIP(t) == nil {
			out = append(out, t)
		}
	}
	return out
}

// outsideLab says why a target is not in the lab world ("" when it is, or
// in real mode): the lab answers NXDOMAIN for anything else, which would
// read as "not registered".
func (a *App) outsideLab(t recon.Target) string {
	if len(a.o.LabTargets) == 0 {
		return ""
	}
	v := strings.ToLower(t.Value)
	if t.Kind == recon.KindEmail {
		v = t.Domain()
	}
	for _, w := range a.o.LabTargets {
		w = strings.ToLower(w)
		if v == w || strings.HasSuffix(v, "."+w) {
			return ""
		}
	}
	try := a.labDomains()
	if len(try) > 3 {
		try = try[:3]
	}
	return sanitizeLine(t.Value) + " is not in the " + sanitizeLine(a.o.Lab) + "; try " + sanitizeLine(strings.Join(try, ", ")) + " …"
}
