package detail

import (
	"strings"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/render"
)

func sharing(w *writer, s *pivot.Session, n *pivot.Node) {
	keys := s.Sharing(n.Kind, n.Value)
	var others []pivot.EntityKey
	for _, k := range keys {
		if k != n.Entity.Key {
			others = append(others, k)
		}
	}
	if !pivot.Scannable(n.Kind) {
		w.line(w.st.H2.Render("Shared by"), w.st.Dim.Render("  "+render.Count(len(others), "entity")+" of this session"))
		if len(others) == 0 {
			w.line(w.st.Dim.Render("  nothing else in this session shares it yet; scan more nodes to find out"))
		}
	} else if len(others) > 0 {
		head := "Also seen with"
		if n.Kind == recon.PivotNS || n.Kind == recon.PivotMX {
			head = "Used by"
		}
		w.line(w.st.H2.Render(head), w.st.Dim.Render("  "+render.Count(len(others), "entity")))
	} else {
		return
	}
	for _, k := range others {
		e := s.Entity(k)
		if e == nil {
			w.line("  ", l(string(k)))
			continue
		}
		lvl := e.Verdict()
		dot := w.st.Dot[lvl]
		w.link(k, "  ", dot, " ", w.st.KindStyle(e.Kind).Render(strings.TrimSpace(tagOf(e.Kind))), " ", l(e.Value))
	}
	w.blank()
}

func tagOf(k recon.PivotKind) string {
	switch k {
	case recon.PivotDomain:
		return "DOM"
	case recon.PivotSubdomain:
		return "SUB"
	case recon.PivotIP:
		return "IP"
	case recon.PivotEmail:
		return "@"
	}
	return l(strings.ToUpper(string(k)))
}
