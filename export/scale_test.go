package export

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/internal/sessiongen"
	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// TestMarkdownOfABigCaseIsBounded: 300 domains at one registrar, sharing
// certificates of 190 SANs in groups of 50. The report lists a shared
// value once with a count, cuts every long part with a count of the rest,
// and stays small enough to read (issue 12 item 6, issue 17).
func TestMarkdownOfABigCaseIsBounded(t *testing.T) {
	s := sessiongen.Build(sessiongen.DefaultOptions(300 * 196))
	out := render(t, "md", s)
	if err := checkMarkdown(out); err != nil {
		t.Fatal(err)
	}
	if len(out) > 400<<10 {
		t.Errorf("report of %d bytes; a bounded one stays under 400 KiB", len(out))
	}
	text := string(out)
	for _, want := range []string{
		`shares the registrar \(weight [^)]*\) with (d\d+\.example, ){4}d\d+\.example and 29\d other domains`, // a count, not 298 names
		`(?m)^… and 2\d\d more domains \(`, `(?m)^… and 2\d\d more scanned entities' evidence \(`,
		`(?m)^### The other scanned entities$`, `more not listed`, `(?m)^… the tree goes on: \d+ more nodes`,
	} {
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("report lacks %s", want)
		}
	}
	// A domain's name appears a bounded number of times, not once per pair.
	if n := strings.Count(text, "d000299.example"); n > 10 {
		t.Errorf("d000299.example named %d times", n)
	}
}

// TestCSVFirstSeen: first_seen is the entity's stable first-seen time: a
// root added an hour into the case shows its own scan's start, not the
// session's; a rescan moves nothing (issue 16 item 10).
func TestCSVFirstSeen(t *testing.T) {
	s := pivot.NewSession(t0)
	a := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "nova-parcels.com"})
	rep := domainReport(nova("nova-parcels.com", "2024-11-10T09:12:00Z"))
	s.Attach(a.ID, rep, t0.Add(time.Minute))
	late := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: "example-bank.com"})
	lr := domainReport(domSpec{name: "example-bank.com", registrar: "MarkMonitor Inc.", created: "1995-08-14T04:00:00Z",
		ips: []string{"93.184.216.34"}, ns: []string{"a.iana-servers.net"}})
	lr.Started = t0.Add(time.Hour)
	s.Attach(late.ID, lr, t0.Add(time.Hour+time.Minute))
	again := domainReport(nova("nova-parcels.com", "2024-11-10T09:12:00Z"))
	again.Started = t0.Add(48 * time.Hour)
	s.Attach(a.ID, again, t0.Add(48*time.Hour+time.Minute))

	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", s))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	for _, r := range rows[1:] {
		first[r[1]] = r[2]
	}
	for value, want := range map[string]string{
		"nova-parcels.com": stamp(t0),                              // its first scan's start, not the rescan's
		novaIP:             stamp(t0.Add(time.Minute)),             // found by the first scan
		"example-bank.com": stamp(t0.Add(time.Hour)),               // not the session's start
		"93.184.216.34":    stamp(t0.Add(time.Hour + time.Minute)), // found by the late root's scan
	} {
		if first[value] != want {
			t.Errorf("%s first_seen %q, want %q", value, first[value], want)
		}
	}
}
