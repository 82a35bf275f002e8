package pivot

import (
	"maps"
	"slices"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// How Clusters stays up to date as scans land.
//
// A build needs, for every scanned registrable domain, its Profile and its
// cluster keys, and the session evidence the weights read (WeightContext).
// Deriving those from the reports was most of a build (ReportProfile and
// counting the registrable domains of every certificate's SANs: 0.15 s of
// 0.18 s on the 92k-node bench300 session), and walking the 92,000
// entities to find the 300 scanned ones was most of the rest. So the cache
// keeps:
//
//   - the list of entities that have a report, in Entities() order;
//     Attach adds an entity to it when its first report lands (attached),
//     as it does for Sharing's index;
//   - per entity, what its report gives (derivation): the profile, the
//     registrable-domain count of each certificate, and the cluster keys
//     with the false positives they were built with. It is re-derived only
//     when the entity's report or false positives are not those it was
//     built from.
//
// A report changed in any other way (Changed, Load) drops all of it and
// the next build starts from the session again.
//
// The linking itself (buildClusters) runs over the members, not the
// nodes: a few hundred domains in a 92,000-node session. Its cost was the
// pairs of members sharing light values (45,000 pairs per value every one
// of 300 members shares); a member whose light values cannot add up to a
// link with anyone makes no pairs (see "candidates" in buildClusters), so
// it is linear in the members when, as is usual, nothing light links.
// The result is the full computation's, by construction and by test
// (TestClustersIncrementalEqualsFull).

// clusterCache is the last Clusters(). It is never changed once built (a
// Snapshot shares it); inc, what the next build starts from, belongs to
// the session that built it.
type clusterCache struct {
	rev    uint64
	window time.Duration
	list   []Cluster
	of     map[EntityKey][]int
	inc    *clusterInc
}

// clusterInc is what a build of owner's clusters starts from. Only owner
// (on the goroutine that changes it) reads or writes it: a snapshot that
// shares the cache starts its own.
type clusterInc struct {
	owner *Session
	// scans is the Session.scans that scanned follows; Attach moves both.
	scans uint64
	// scanned are the entities that have a report, in Entities() order.
	// They are kept by key, and derived by key too: after a Snapshot the
	// session replaces an entity it changes by a copy (copy-on-write).
	scanned []EntityKey
	derived map[EntityKey]*derivation
	// leaves memoises countRegistrable by certificate SHA-256: a
	// certificate shared by hundreds of scanned domains (hundreds of SANs
	// each looked up in the public suffix list) is counted once. An entry
	// is used only when its SANs are those asked about.
	leaves map[string]leafCount
}

// leafCount is countRegistrable(sans).
type leafCount struct {
	sans []string
	n    int
}

// countLeaf is countRegistrable(l.SANs), from the memo when l's
// certificate was counted before with the same SANs.
func (c *clusterInc) countLeaf(l *recon.CertFacts) int {
	if l.SHA256 == "" {
		return countRegistrable(l.SANs)
	}
	if m, ok := c.leaves[l.SHA256]; ok && slices.Equal(m.sans, l.SANs) {
		return m.n
	}
	n := countRegistrable(l.SANs)
	if c.leaves == nil {
		c.leaves = map[string]leafCount{}
	}
	c.leaves[l.SHA256] = leafCount{sans: l.SANs, n: n}
	return n
}

// incOf returns s's incremental cluster state when it is up to date with
// every report of s, else nil.
func (s *Session) incOf() *clusterInc {
	if c := s.clusters; c != nil && c.inc != nil && c.inc.owner == s && c.inc.scans == s.scans {
		return c.inc
	}
	return nil
}

// derivation is what one entity's report gives clusters, valid while the
// entity holds that report.
type derivation struct {
	scan *recon.Report
	prof Profile // ReportProfile(scan)
	// leafDomains[i] is countRegistrable(prof.Leaves[i].SANs).
	leafDomains []int
	// core is memberOf the profile (keys left out) built with the false
	// positives fp; nil until the entity first supplies a member.
	core *clusterMember
	fp   map[string]string
}

func (s *Session) window() time.Duration {
	if s.Window <= 0 {
		return DefaultWindow
	}
	return s.Window
}

// attached notes that e's report was replaced by Attach (the cache was up
// to date before): e joins the scanned list; its derivation is redone when
// next needed.
func (c *clusterInc) attached(e *Entity) {
	i, found := slices.BinarySearchFunc(c.scanned, e.seq, func(k EntityKey, seq int) int { return c.owner.entities[k].seq - seq })
	if !found {
		c.scanned = slices.Insert(c.scanned, i, e.Key)
	}
}

func (s *Session) clusterState() *clusterCache {
	w := s.window()
	if c := s.clusters; c != nil && c.rev == s.rev && c.window == w {
		return c
	}
	inc := s.incOf()
	if inc == nil {
		inc = &clusterInc{owner: s, scans: s.scans, derived: map[EntityKey]*derivation{}}
		for _, e := range s.scannedEntities() {
			inc.scanned = append(inc.scanned, e.Key)
		}
	}
	members, ctx := inc.members(s)
	list, idx := buildClusters(members, w, ctx)
	c := &clusterCache{rev: s.rev, window: w, list: list, of: map[EntityKey][]int{}, inc: inc}
	for ci, m := range idx {
		for _, mi := range m {
			for _, k := range members[mi].keys {
				c.of[k] = append(c.of[k], ci)
			}
			// an e-mail address stands for its domain, scanned or not
			if k := KeyOf(recon.PivotDomain, members[mi].domain); c.of[k] == nil {
				c.of[k] = []int{ci}
			}
		}
	}
	s.clusters = c
	return c
}

// scannedEntities is Entities() filtered to the entities that have a
// report.
func (s *Session) scannedEntities() []*Entity {
	var out []*Entity
	for _, e := range s.Entities() {
		if e.Scan != nil {
			out = append(out, e)
		}
	}
	return out
}

// Clusters returns the groups of scanned domains that share infrastructure,
// best score first (the rules: "How clusters are built" in cluster.go). The result is
// cached until the session changes; do not modify it.
func (s *Session) Clusters() []Cluster { return s.clusterState().list }

// ClusterOf returns the indexes into Clusters() of the clusters that contain
// entity k (an e-mail address is in its domain's clusters).
func (s *Session) ClusterOf(k EntityKey) []int {
	return slices.Clone(s.clusterState().of[k])
}

// ClusterIndex returns, for every entity of the session in a cluster, the
// indexes into Clusters() of its clusters (what ClusterOf gives for each,
// without a walk over every entity).
func (s *Session) ClusterIndex() map[EntityKey][]int {
	of := s.clusterState().of
	out := make(map[EntityKey][]int, len(of))
	for k, idx := range of {
		if s.entities[k] != nil {
			out[k] = slices.Clone(idx)
		}
	}
	return out
}

// Profile is ProfileOf(e), without reading e's report again when Clusters
// already derived its profile from the report e holds now (a report of
// hundreds of SANs is most of the time of both). The lists of the result
// may be shared with that cache: do not modify them.
func (s *Session) Profile(e *Entity) Profile {
	if inc := s.incOf(); inc != nil && e.Scan != nil {
		if d := inc.derived[e.Key]; d != nil && d.scan == e.Scan {
			return entityProfile(e, d.prof)
		}
	}
	return ProfileOf(e)
}

// derive returns e's derivation, redoing it if e's report changed.
func (c *clusterInc) derive(e *Entity) *derivation {
	d := c.derived[e.Key]
	if d != nil && d.scan == e.Scan {
		return d
	}
	d = &derivation{scan: e.Scan, prof: ReportProfile(e.Scan)}
	d.leafDomains = make([]int, len(d.prof.Leaves))
	for i := range d.prof.Leaves {
		d.leafDomains[i] = c.countLeaf(&d.prof.Leaves[i])
	}
	c.derived[e.Key] = d
	return d
}

// members extracts the keys of every scanned registrable domain, one
// member per domain value (the first entity in session order supplies the
// facts), and the session evidence the weights read: what profiles and
// clusterMembers gave over the whole session, from the derivations. An
// entity marked with the false positive FPCluster stays out.
func (c *clusterInc) members(s *Session) ([]*clusterMember, *WeightContext) {
	var (
		ps      []Profile
		leaves  [][]int
		firsts  []*Entity
		ipScans []*recon.Report
		at      = map[string]int{}
	)
	for _, k := range c.scanned {
		e := s.entities[k]
		if e.Kind == recon.PivotIP {
			ipScans = append(ipScans, e.Scan)
		}
		if !profileKind(e.Kind) {
			continue
		}
		d := profileDomain(e)
		if d == "" {
			continue
		}
		if _, ok := e.FalsePositives[FPCluster]; ok {
			continue
		}
		// Host names and subdomains (www.x.com, ns1.x.net) share their
		// organisation's infrastructure by design: a cluster of an
		// operator's own names says nothing. Clusters are of registrable
		// domains.
		if !recon.IsRegisteredDomain(d) {
			continue
		}
		if i, ok := at[d]; ok {
			ps[i].Keys = append(ps[i].Keys, e.Key)
			continue
		}
		at[d] = len(ps)
		dv := c.derive(e)
		p := dv.prof
		p.Domain, p.Entity, p.Keys, p.ScannedAt = d, e.Key, []EntityKey{e.Key}, e.ScannedAt
		ps = append(ps, p)
		leaves = append(leaves, dv.leafDomains)
		firsts = append(firsts, e)
	}
	ctx := newWeightContext(ps, leaves, ipScans, int(s.window()/(24*time.Hour)))
	out := make([]*clusterMember, len(ps))
	for i := range ps {
		e := firsts[i]
		dv := c.derived[e.Key]
		if dv.core == nil || !maps.Equal(dv.fp, e.FalsePositives) {
			dv.core, dv.fp = memberOf(&ps[i], e.FalsePositives), maps.Clone(e.FalsePositives)
		}
		m := *dv.core
		m.keys = ps[i].Keys
		out[i] = &m
	}
	return out, ctx
}
