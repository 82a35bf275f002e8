package diff

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// Result is what changed between two states of an investigation. Its JSON
// form is a contract (README "diff --format json").
type Result struct {
	Old Side `json:"old"`
	New Side `json:"new"`
	// Added are entities the new state reaches and the old did not; Removed
	// the reverse (a rescan no longer finds them), each with the relation
	// and the value that found it.
	Added   []Entity `json:"added"`
	Removed []Entity `json:"removed"`
	// Changed lists facts that differ, per entity, module and field; both
	// sides were read.
	Changed []Change `json:"changed"`
	// Unchecked lists facts one side could not read (a module error, a
	// failed DNS question, a DNSBL that did not answer): absence of an
	// answer is not a change, so these never count as one.
	Unchecked []Unchecked `json:"unchecked"`
	// Verdicts lists entities whose Overall Assessment level moved, with
	// the rules that appeared or went.
	Verdicts []Verdict `json:"verdicts"`
	// Clusters says which clusters formed, grew, shrank, split, merged,
	// changed what they share, or went.
	Clusters Clusters `json:"clusters"`
}

// Side describes one of the two states compared.
type Side struct {
	// Source is the session file, with "as of <time>" for a past state.
	Source string `json:"source"`
	// At is the time of the state: the file's last update, or the as-of time.
	At       time.Time `json:"at"`
	Entities int       `json:"entities"`
	Scanned  int       `json:"scanned"`
}

// Entity is an added or removed value of the investigation.
type Entity struct {
	Kind  recon.PivotKind `json:"kind"`
	Value string          `json:"value"`
	// Relation is how it was found (A, SAN, NS, ...); "" for a root.
	Relation string `json:"relation"`
	// Parent is the value whose scan found it; "" for a root.
	Parent string `json:"parent,omitempty"`
	// Verdict is its assessment level, when it was scanned.
	Verdict recon.Level `json:"verdict,omitempty"`
}

// Change is one fact that differs. Old and New are a string (or null) for a
// single-valued field and a sorted array of strings for a set-valued one,
// whose Added and Removed members are listed too.
type Change struct {
	Entity  string          `json:"entity"`
	Kind    recon.PivotKind `json:"kind"`
	Module  string          `json:"module"`
	Field   string          `json:"field"`
	Old     any             `json:"old"`
	New     any             `json:"new"`
	Added   []string        `json:"added,omitempty"`
	Removed []string        `json:"removed,omitempty"`
}

// Unchecked is a fact that could not be compared and why.
type Unchecked struct {
	Entity string          `json:"entity"`
	Kind   recon.PivotKind `json:"kind"`
	Module string          `json:"module"`
	Field  string          `json:"field"`
	// Side is "old", "new" or "both": where the fact could not be read.
	Side string `json:"side"`
	Why  string `json:"why"`
}

// Verdict is a changed assessment level.
type Verdict struct {
	Entity string          `json:"entity"`
	Kind   recon.PivotKind `json:"kind"`
	Old    recon.Level     `json:"old"`
	New    recon.Level     `json:"new"`
	// Why names the rules that changed, in words.
	Why   string       `json:"why"`
	Rules []RuleChange `json:"rules"`
}

// RuleChange is one assessment signal that appeared or went.
type RuleChange struct {
	Change string      `json:"change"` // "added" or "removed"
	Rule   string      `json:"rule"`
	Level  recon.Level `json:"level"`
	Text   string      `json:"text"`
}

// Count returns the number of changes (Unchecked not counted).
func (r *Result) Count() int {
	c := r.Clusters
	return len(r.Added) + len(r.Removed) + len(r.Changed) + len(r.Verdicts) +
		len(c.Formed) + len(c.Gone) + len(c.Grown) + len(c.Shrunk) + len(c.Split) + len(c.Merged) + len(c.Changed)
}

// Empty reports whether nothing changed.
func (r *Result) Empty() bool { return r.Count() == 0 }

// Compare returns what changed from old to new. Each session is compared as
// it stands (Session.Current: what its current reports reach, so a value a
// rescan no longer finds is removed even though the tree keeps its node);
// pass Session.AsOf(t) for a past state. Neither session is modified; the
// caller holds their read locks when scans may be running.
func Compare(old, new *pivot.Session) *Result {
	o, n := old.Current(), new.Current()
	r := &Result{Old: side(o), New: side(n),
		Added: []Entity{}, Removed: []Entity{}, Changed: []Change{}, Unchecked: []Unchecked{}, Verdicts: []Verdict{}}
	oe, ne := entities(o), entities(n)
	for _, e := range ne.list {
		if oe.byKey[e.Key] == nil {
			r.Added = append(r.Added, ne.describe(e))
		}
	}
	for _, e := range oe.list {
		if ne.byKey[e.Key] == nil {
			r.Removed = append(r.Removed, oe.describe(e))
		}
	}
	for _, e := range ne.list {
		before := oe.byKey[e.Key]
		if before == nil {
			continue
		}
		r.compareEntity(before, e)
	}
	r.Clusters = compareClusters(o.Clusters(), n.Clusters())
	return r
}

func side(s *pivot.Session) Side {
	sd := Side{At: s.Updated}
	for _, e := range s.Entities() {
		sd.Entities++
		if e.Scan != nil {
			sd.Scanned++
		}
	}
	return sd
}

// view indexes a session's entities with the node that first shows each.
type view struct {
	s     *pivot.Session
	list  []*pivot.Entity
	byKey map[pivot.EntityKey]*pivot.Entity
	first map[pivot.EntityKey]*pivot.Node
}

func entities(s *pivot.Session) view {
	v := view{s: s, list: s.Entities(), byKey: map[pivot.EntityKey]*pivot.Entity{}, first: map[pivot.EntityKey]*pivot.Node{}}
	for _, e := range v.list {
		v.byKey[e.Key] = e
	}
	for _, id := range s.NodeIDs() {
		n := s.Node(id)
		if v.first[n.Entity.Key] == nil {
			v.first[n.Entity.Key] = n
		}
	}
	return v
}

func (v view) describe(e *pivot.Entity) Entity {
	out := Entity{Kind: e.Kind, Value: e.Value, Verdict: e.Verdict()}
	if n := v.first[e.Key]; n != nil {
		out.Relation = n.Relation
		if p := v.s.Node(n.Parent); p != nil {
			out.Parent = p.Value
		}
	}
	return out
}

func (r *Result) compareEntity(old, new *pivot.Entity) {
	name := new.Value
	switch {
	case old.Scan == nil && new.Scan == nil:
		return
	case old.Scan == nil:
		r.Unchecked = append(r.Unchecked, Unchecked{Entity: name, Kind: new.Kind, Module: "", Field: "scan", Side: "old", Why: "not scanned in the old state"})
		return
	case new.Scan == nil:
		why := "not scanned in the new state"
		if new.Err != "" {
			why = "the new scan failed: " + new.Err
		}
		r.Unchecked = append(r.Unchecked, Unchecked{Entity: name, Kind: new.Kind, Module: "", Field: "scan", Side: "new", Why: why})
		return
	}
	for _, id := range recon.ModuleIDs {
		r.compareModule(name, new.Kind, id, old.Scan.Module(id), new.Scan.Module(id))
	}
	r.compareVerdict(old, new)
}

// compareModule compares the typed facts of one module. A module that did
// not run or did not finish on one side is reported as unchecked, never as
// facts that went away.
func (r *Result) compareModule(entity string, kind recon.PivotKind, id string, om, nm *recon.ModuleResult) {
	okO, okN := om != nil && om.Status == recon.StatusOK, nm != nil && nm.Status == recon.StatusOK
	if !okO || !okN {
		if om == nil && nm == nil || !okO && !okN {
			return
		}
		sd, m := "new", nm
		if !okO {
			sd, m = "old", om
		}
		why := "did not run"
		if m != nil {
			why = string(m.Status)
			if m.Err != "" {
				why += ": " + m.Err
			}
		}
		r.Unchecked = append(r.Unchecked, Unchecked{Entity: entity, Kind: kind, Module: id, Field: "status", Side: sd, Why: why})
		return
	}
	of, nf := fieldsOf(om.Facts), fieldsOf(nm.Facts)
	if id == recon.ModuleThreat {
		o, n := settleUnknown(&of, &nf)
		for _, v := range o {
			r.Unchecked = append(r.Unchecked, Unchecked{Entity: entity, Kind: kind, Module: id, Field: "listed", Side: "old", Why: v + ": the list did not answer"})
		}
		for _, v := range n {
			r.Unchecked = append(r.Unchecked, Unchecked{Entity: entity, Kind: kind, Module: id, Field: "listed", Side: "new", Why: v + ": the list did not answer (it was listed)"})
		}
	}
	for _, name := range fieldNames(of, nf) {
		a, okA := of.by[name]
		b, okB := nf.by[name]
		if !okA && !okB {
			continue // an internal field (unknownListed)
		}
		if !okA {
			a.set = b.set
		} else if !okB {
			b.set = a.set
		}
		switch {
		case a.why != "" || b.why != "":
			if a.why != "" && b.why != "" {
				continue // unreadable on both sides: nothing to say
			}
			sd, why := "new", b.why
			if a.why != "" {
				sd, why = "old", a.why
			}
			r.Unchecked = append(r.Unchecked, Unchecked{Entity: entity, Kind: kind, Module: id, Field: name, Side: sd, Why: why})
		case !slices.Equal(a.vals, b.vals):
			c := Change{Entity: entity, Kind: kind, Module: id, Field: name, Old: a.value(), New: b.value()}
			if a.set || b.set {
				c.Added, c.Removed = setDiff(a.vals, b.vals)
			}
			r.Changed = append(r.Changed, c)
		}
	}
}

// fieldNames returns the names of both field sets in declaration order.
func fieldNames(a, b fields) []string {
	var out []string
	seen := map[string]bool{}
	for _, fs := range []fields{a, b} {
		for _, n := range fs.order() {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// setDiff returns what b has that a lacks, and the reverse; both sorted.
func setDiff(a, b []string) (added, removed []string) {
	in := func(s []string, v string) bool { _, ok := slices.BinarySearch(s, v); return ok }
	for _, v := range b {
		if !in(a, v) {
			added = append(added, v)
		}
	}
	for _, v := range a {
		if !in(b, v) {
			removed = append(removed, v)
		}
	}
	return added, removed
}

func (r *Result) compareVerdict(old, new *pivot.Entity) {
	ol, nl := old.Verdict(), new.Verdict()
	if ol == nl {
		return
	}
	key := func(s recon.Signal) string { return cmp.Or(s.Rule, s.Module+":"+s.Text) }
	index := func(e *pivot.Entity) map[string]recon.Signal {
		m := map[string]recon.Signal{}
		for _, s := range e.Scan.Assessment.Signals {
			if _, fp := e.FalsePositives[s.Rule]; fp && s.Rule != "" {
				continue
			}
			m[key(s)] = s
		}
		return m
	}
	os, ns := index(old), index(new)
	v := Verdict{Entity: new.Value, Kind: new.Kind, Old: ol, New: nl, Rules: []RuleChange{}}
	for _, s := range new.Scan.Assessment.Signals {
		if _, ok := ns[key(s)]; ok {
			if _, was := os[key(s)]; !was {
				v.Rules = append(v.Rules, RuleChange{Change: "added", Rule: s.Rule, Level: s.Level, Text: s.Text})
			}
		}
	}
	for _, s := range old.Scan.Assessment.Signals {
		if _, ok := os[key(s)]; ok {
			if _, still := ns[key(s)]; !still {
				v.Rules = append(v.Rules, RuleChange{Change: "removed", Rule: s.Rule, Level: s.Level, Text: s.Text})
			}
		}
	}
	slices.SortStableFunc(v.Rules, func(a, b RuleChange) int { return b.Level.Rank() - a.Level.Rank() })
	var why []string
	for _, rc := range v.Rules {
		sign := "+"
		if rc.Change == "removed" {
			sign = "−"
		}
		why = append(why, sign+" "+cmp.Or(rc.Rule, "signal")+" ("+string(rc.Level)+"): "+rc.Text)
	}
	v.Why = strings.Join(why, "; ")
	if v.Why == "" {
		v.Why = "the same signals weigh differently"
	}
	r.Verdicts = append(r.Verdicts, v)
}
