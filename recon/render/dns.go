package render

import (
	"fmt"
	"sort"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/fingerprint"
)

// DNS describes DNS facts: NXDOMAIN and a rewriting resolver first (as
// yellow rows), then one row per record value in the order A, AAAA,
// CNAME, MX, NS, TXT, verify, SOA, CAA, PTR, then the questions that
// failed (Err rows, by question name). No record at all (and no
// NXDOMAIN) is the remark "no records" ("in the answers that came back"
// when a question failed). Values are stored strings: the
// caller sanitises them.
func DNS(f *recon.DNSFacts) []recon.Row {
	if f == nil {
		return nil
	}
	var out []recon.Row
	add := func(label string, vals ...string) {
		for _, v := range vals {
			out = append(out, recon.Row{Label: label, Value: v})
		}
	}
	if f.NXDomain {
		out = append(out, recon.Row{Label: "NXDOMAIN", Value: "the name does not exist", Level: recon.LevelYellow})
	}
	if len(f.Rewritten) > 0 {
		out = append(out, recon.Row{Label: "rewritten", Level: recon.LevelYellow,
			Value: "the resolver answered " + list(f.Rewritten, 4) + " anyway (NXDOMAIN rewriting): not scanned as an address of the name"})
	}
	add("A", f.A...)
	add("AAAA", f.AAAA...)
	add("CNAME", f.CNAME...)
	for _, m := range f.MX {
		add("MX", fmt.Sprintf("%d %s", m.Pref, m.Host))
	}
	add("NS", f.NS...)
	add("TXT", f.TXT...)
	for _, v := range f.Verifications {
		add("verify", fingerprint.VerifyLine(v))
	}
	if f.SOA != nil {
		add("SOA", fmt.Sprintf("%s %s serial %d", f.SOA.NS, f.SOA.Mbox, f.SOA.Serial))
	}
	for _, c := range f.CAA {
		add("CAA", fmt.Sprintf("%d %s %q", c.Flag, c.Tag, c.Value))
	}
	add("PTR", f.PTR...)
	if len(out) == 0 {
		// Before the failed questions: what was answered came back empty
		// (said so, as the failed questions may hold records).
		v := "no records"
		if len(f.Errors) > 0 {
			v = "no records in the answers that came back"
		}
		out = append(out, info("", v))
	}
	keys := make([]string, 0, len(f.Errors))
	for k := range f.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, recon.Row{Label: k, Value: f.Errors[k], Err: true})
	}
	return out
}
