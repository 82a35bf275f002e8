package detail

import (
	"fmt"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// LevelLabel is the verdict as shown: RED, YELLOW, GREEN, NO VERDICT; a
// level outside the enum (a session file can hold anything) is shown
// escaped as "UNKNOWN (…)", never as a verdict.
func LevelLabel(lvl recon.Level) string {
	switch {
	case lvl == recon.LevelNone:
		return "NO VERDICT"
	case lvl.Valid():
		return strings.ToUpper(string(lvl))
	}
	return "UNKNOWN (" + l(string(lvl)) + ")"
}

func signal(w *writer, e *pivot.Entity, s recon.Signal, withModule bool) {
	st := w.st
	mod := ""
	if withModule && s.Module != "" {
		mod = st.Dim.Render("  · " + l(s.Module))
	}
	if why, ok := e.FalsePositive(s); ok {
		w.line("  ", st.Dim.Render("○ "), st.Strike.Render(l(s.Text)), mod)
		w.line("    ", st.Note.Render("false positive: "+l(why)))
		return
	}
	lv := s.Level
	if _, ok := st.Level[lv]; !ok {
		lv = recon.LevelNone
	}
	w.line("  ", st.Dot[lv], " ", st.Level[lv].Render(l(s.Text)), mod)
}

// notices shows what the scan found about the analyst's own network (a
// resolver that refuses or rewrites, TLS interception, refused blocklists)
// before the verdict, since they change how it reads.
func notices(w *writer, ns []recon.Notice) {
	if len(ns) == 0 {
		return
	}
	st := w.st
	w.line(st.H2.Render("Your network"))
	for _, n := range ns {
		w.line("  ", st.Level[recon.LevelYellow].Render("! "), l(n.Text))
	}
	w.blank()
}

func assessment(w *writer, e *pivot.Entity, now time.Time) {
	st := w.st
	lvl := e.Verdict()
	label := LevelLabel(lvl)
	vs, ok := st.Verdict[lvl]
	if !ok {
		vs = st.Verdict[recon.LevelNone]
	}
	sigs := e.Scan.Assessment.Signals
	counts := map[recon.Level]int{}
	for _, s := range sigs {
		if _, fp := e.FalsePositive(s); !fp {
			counts[s.Level]++
		}
	}
	w.line(st.H2.Render("Overall Assessment"))
	w.line("  ", vs.Render(label), "  ", st.Dim.Render(fmt.Sprintf("%d red · %d yellow · %d green", counts[recon.LevelRed], counts[recon.LevelYellow], counts[recon.LevelGreen])))
	if !e.ScannedAt.IsZero() {
		w.line("  ", st.Dim.Render("scanned "+age(now, e.ScannedAt)))
	}
	if a := e.Scan.Assessment; a.Why != "" && len(e.FalsePositives) == 0 {
		w.line("  ", st.Dim.Render("why: "), l(a.Why))
	}
	if len(sigs) == 0 {
		w.line("  ", st.Dim.Render("no signals"))
	}
	for _, s := range sigs {
		signal(w, e, s, true)
	}
	if a := e.Scan.Assessment; len(a.WouldChange) > 0 && len(e.FalsePositives) == 0 {
		for _, x := range a.WouldChange {
			w.line("  ", st.Dim.Render("would change: "), l(x))
		}
	}
	w.blank()
}
