package pivot

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// referenceClusters is Clusters computed as it was before the cache and
// the candidate pruning (clustercache.go): every profile from the session,
// the evidence counted afresh, every pair of holders of a light value
// scored. The incremental Clusters must always equal it.
func referenceClusters(s *Session) ([]Cluster, map[EntityKey][]int) {
	ps := s.profiles(func(e *Entity, d string) bool {
		if _, ok := e.FalsePositives[FPCluster]; ok {
			return false
		}
		return recon.IsRegisteredDomain(d)
	})
	var ipScans []*recon.Report
	for _, e := range s.Entities() {
		if e.Kind == recon.PivotIP && e.Scan != nil {
			ipScans = append(ipScans, e.Scan)
		}
	}
	ctx := newWeightContext(ps, nil, ipScans, int(s.window()/(24*time.Hour)))
	members := make([]*clusterMember, len(ps))
	for i := range ps {
		members[i] = memberOf(&ps[i], s.entities[ps[i].Entity].FalsePositives)
	}
	list, idx := buildClustersRef(members, s.window(), ctx)
	of := map[EntityKey][]int{}
	for ci, m := range idx {
		for _, mi := range m {
			for _, k := range members[mi].keys {
				of[k] = append(of[k], ci)
			}
			if k := KeyOf(recon.PivotDomain, members[mi].domain); of[k] == nil {
				of[k] = []int{ci}
			}
		}
	}
	return list, of
}

// buildClustersRef is buildClusters before the candidate pruning: it links members and describes each group of two or more. It
// returns the clusters in order and, per cluster, the member indexes.
func buildClustersRef(members []*clusterMember, window time.Duration, ctx *WeightContext) ([]Cluster, [][]int) {
	wt := &weigher{ctx: ctx, cache: map[feature]weighed{}}
	uf := make(unionFind, len(members))
	for i := range uf {
		uf[i] = i
	}
	holders := map[feature][]int{}
	for i, m := range members {
		for _, f := range m.feats {
			holders[f] = append(holders[f], i)
		}
	}
	type pairScore [len(dimensions)]float64
	pairs := map[[2]int]*pairScore{}
	add := func(a, b int, dim int, w float64) {
		if a > b {
			a, b = b, a
		}
		p := pairs[[2]int{a, b}]
		if p == nil {
			p = new(pairScore)
			pairs[[2]int{a, b}] = p
		}
		p[dim] = max(p[dim], w)
	}
	for f, hs := range holders {
		if len(hs) < 2 {
			continue
		}
		x := wt.of(f)
		switch {
		case x.w <= 0:
		case x.w >= LinkThreshold:
			for _, i := range hs[1:] {
				uf.union(hs[0], i)
			}
		case len(hs) <= maxPairHolders:
			d := dimIndex(x.dim)
			for a := 0; a < len(hs); a++ {
				for b := a + 1; b < len(hs); b++ {
					add(hs[a], hs[b], d, x.w)
				}
			}
		}
	}
	// Registration window: pairs created within window of each other.
	ww, _ := Weigh("window", "", ctx)
	var dated []int
	for i, m := range members {
		if !m.created.IsZero() {
			dated = append(dated, i)
		}
	}
	slices.SortStableFunc(dated, func(x, y int) int { return members[x].created.Compare(members[y].created) })
	td := dimIndex("time")
	for a := range dated {
		for b := a + 1; b < len(dated) && b-a <= maxPairHolders; b++ {
			if members[dated[b]].created.Sub(members[dated[a]].created) > window {
				break
			}
			if _, ok := pairs[pairKey(dated[a], dated[b])]; ok { // only pairs that share something else
				add(dated[a], dated[b], td, ww)
			}
		}
	}
	for k, p := range pairs {
		sum := 0.0
		for _, w := range p {
			sum += w
		}
		if sum >= LinkThreshold-1e-9 {
			uf.union(k[0], k[1])
		}
	}

	groups := map[int][]int{}
	for i := range members {
		r := uf.find(i)
		groups[r] = append(groups[r], i)
	}
	type built struct {
		c   Cluster
		idx []int
	}
	var all []built
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		all = append(all, built{describe(members, g, window, wt), g})
	}
	slices.SortFunc(all, func(a, b built) int {
		if c := cmp.Compare(b.c.Score, a.c.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.c.Members), len(a.c.Members)); c != 0 {
			return c
		}
		return cmp.Compare(a.c.Members[0], b.c.Members[0])
	})
	list := make([]Cluster, len(all))
	idx := make([][]int, len(all))
	for i, b := range all {
		b.c.ID = fmt.Sprintf("c%d", i+1)
		list[i] = b.c
		idx[i] = b.idx
	}
	return list, idx
}

// randWorld is a random small investigation: domains drawing their addresses,
// name servers, certificates, registrars, dates and mail set-up from small
// pools, so that some share heavy values, some only light ones.
type randWorld struct {
	rng   *rand.Rand
	names []string
}

func newRandWorld(seed uint64, n int) *randWorld {
	w := &randWorld{rng: rand.New(rand.NewPCG(seed, 7))}
	for i := range n {
		w.names = append(w.names, fmt.Sprintf("site%02d.example", i))
	}
	return w
}

func (w *randWorld) pick(list ...string) string { return list[w.rng.IntN(len(list))] }

// report is a random report of domain name.
func (w *randWorld) report(name string) *recon.Report {
	r := w.rng
	d := dom{name: name, asn: []uint32{64000 + 1, 200001, 200002, 13335, 24940}[r.IntN(5)]}
	for range 1 + r.IntN(2) {
		d.ips = append(d.ips, fmt.Sprintf("185.10.%d.%d", r.IntN(3), r.IntN(6)))
	}
	d.ns = []string{w.pick("ns1.opa-dns.example", "ns1.opb-dns.example", "ns1.sitely-dns.com", "dns1.registrar-servers.com")}
	d.registrar = w.pick("NameCheap, Inc.", "Tucows Domains Inc.", "Small Registrar Ltd", "", "Domains By Proxy, LLC")
	if r.IntN(4) > 0 {
		d.created = fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(2), 1+r.IntN(28))
	}
	if r.IntN(3) > 0 {
		c := r.IntN(6)
		d.cert, d.pub = fmt.Sprintf("%064x", c), fmt.Sprintf("%064x", 100+c%3)
		for range r.IntN(4) {
			d.sans = append(d.sans, w.pick(w.names...))
		}
		d.mismatch = r.IntN(8) == 0
	}
	d.posture = w.pick("spf:none dmarc:none", "spf:softfail dmarc:none", "spf:fail dmarc:reject", "")
	if r.IntN(4) == 0 {
		d.soa = w.pick("hostmaster.opa.example", "admin.opb.example")
	}
	if r.IntN(4) == 0 {
		d.rua = []string{w.pick("mailto:dmarc@opa.example", "mailto:reports@opb.example")}
	}
	if r.IntN(4) == 0 {
		d.spf = []string{w.pick("_spf.opa.example", "spf.protection.outlook.com")}
	}
	if r.IntN(4) == 0 {
		d.hostnames = []string{w.pick("shop.one.example", "two.example", "host-185-10-0-1.sitely.example")}
	}
	if r.IntN(6) == 0 {
		d.coIssued = fmt.Sprintf("%064x", 50+r.IntN(2))
	}
	d.asOrg = w.pick("Example AS", "SITELY-HOSTING", "OPA Networks")
	if r.IntN(5) == 0 {
		d.ptr = w.pick("static.1.10.185.clients.your-server.de", "mail.opa.example")
	}
	return d.report()
}

// ipReport is a report of an address with a reverse name and host names.
func (w *randWorld) ipReport(ip string) *recon.Report {
	return &recon.Report{
		Target: recon.Target{Kind: recon.KindIP, Value: ip},
		Modules: map[string]*recon.ModuleResult{
			"dns": {Module: "dns", Status: recon.StatusOK, Facts: &recon.DNSFacts{Name: ip, PTR: []string{w.pick("vps1.opa.example", "ip-185-10-0-1.hoster.example")}}},
			"ports": {Module: "ports", Status: recon.StatusOK, Facts: &recon.PortsFacts{Hosts: []recon.HostPorts{{IP: ip, Ports: []int{80},
				Hostnames: []string{w.pick("a.example", "b.example", "c.example"), w.pick("d.example", "e.example")}}}}},
		},
		Started: t0,
	}
}

// checkClusters fails t unless the incremental Clusters and ClusterOf
// equal the reference computation, Profile equals ProfileOf,
// scannedEntities is Entities() filtered and Entities is the nodes' order.
func checkClusters(t *testing.T, s *Session, step string) {
	t.Helper()
	got := s.Clusters()
	want, wantOf := referenceClusters(s)
	if len(got) == 0 && len(want) == 0 {
		got, want = nil, nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: incremental clusters differ from a full computation: %s", step, clusterDiff(got, want))
	}
	var wantScanned []*Entity
	for _, e := range s.Entities() {
		g, w := s.ClusterOf(e.Key), wantOf[e.Key]
		if len(g) != 0 || len(w) != 0 {
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("%s: ClusterOf(%s) = %v, want %v", step, e.Key, g, w)
			}
		}
		if e.Scan != nil {
			wantScanned = append(wantScanned, e)
			if g, w := s.Profile(e), ProfileOf(e); !reflect.DeepEqual(g, w) {
				t.Fatalf("%s: Profile(%s) = %+v, want ProfileOf's %+v", step, e.Key, g, w)
			}
		}
	}
	if got := s.scannedEntities(); !slices.Equal(got, wantScanned) {
		t.Fatalf("%s: scannedEntities() = %d entities, want the %d scanned of Entities() in order", step, len(got), len(wantScanned))
	}
	checkEntities(t, s, step)
}

// TestClustersIncrementalEqualsFull: random sequences of landed scans
// (first scans of roots and of pivots, rescans replacing a report, scans
// of addresses), false-positive marks, direct changes and window changes,
// on generated worlds; after each step Clusters equals a full computation.
func TestClustersIncrementalEqualsFull(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			w := newRandWorld(seed, 24)
			r := w.rng
			s := NewSession(t0)
			at := t0
			linked := 0
			for step := range 120 {
				at = at.Add(time.Minute)
				ids := s.NodeIDs()
				what := ""
				switch k := r.IntN(21); {
				case k < 6 || len(ids) == 0: // a new root, scanned
					name := w.pick(w.names...)
					n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: name})
					s.Attach(n.ID, w.report(name), at)
					what = "scan of root " + name
				case k < 12: // a scan of any domain node (a pivot, or a rescan)
					id := ids[r.IntN(len(ids))]
					n := s.Node(id)
					switch n.Kind {
					case recon.PivotDomain, recon.PivotSubdomain:
						s.Attach(id, w.report(n.Value), at)
					case recon.PivotIP:
						s.Attach(id, w.ipReport(n.Value), at)
					default:
						continue
					}
					what = "scan of " + n.Value
				case k < 14: // rescan of a scanned entity, the same report object again
					id := ids[r.IntN(len(ids))]
					if e := s.Node(id).Entity; e.Scan != nil {
						s.Attach(id, e.Scan, at)
					}
					what = "same report again"
				case k < 16: // a false positive on a link, or on the whole domain
					id := ids[r.IntN(len(ids))]
					rule := w.pick(FPCluster, "cluster:registrar", "cluster:ip", "cluster:window", "cluster:ip:185.10.0.1", "cluster:ns")
					if r.IntN(3) == 0 {
						s.UnmarkFalsePositive(id, rule, at)
					} else {
						s.MarkFalsePositive(id, rule, "test", at)
					}
					what = "mark " + rule
				case k < 17: // a report changed in place
					id := ids[r.IntN(len(ids))]
					if e := s.Node(id).Entity; e.Scan != nil && e.Kind == recon.PivotDomain {
						*e.Scan = *w.report(e.Value)
						s.Changed()
					}
					what = "changed in place"
				case k < 18:
					s.Window = time.Duration(1+r.IntN(30)) * 24 * time.Hour
					what = "window"
				case k < 19: // a save: the session is copied on write from then on
					_ = s.Snapshot()
					what = "snapshot"
				default: // a note: not a cluster change
					s.AddNote(ids[r.IntN(len(ids))], "n", at)
					what = "note"
				}
				checkClusters(t, s, fmt.Sprintf("step %d (%s)", step, what))
				linked = max(linked, len(s.Clusters()))
			}
			if linked == 0 {
				t.Fatal("no cluster ever formed: the randWorld does not test linking")
			}
		})
	}
}

// TestClustersRescanReplaces: a rescan that replaces a domain's report
// with one sharing nothing takes it out of its cluster, and the next
// rescan puts it back, without a full rebuild in between.
func TestClustersRescanReplaces(t *testing.T) {
	s := NewSession(t0)
	mk := func(name, cert string) *recon.Report {
		return dom{name: name, ips: []string{"185.10.0.1"}, cert: cert, pub: cert, registrar: "Small Registrar Ltd"}.report()
	}
	var ids []string
	for _, n := range []string{"a.example", "b.example", "c.example"} {
		r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: n})
		s.Attach(r.ID, mk(n, fmt.Sprintf("%064x", 1)), t0)
		ids = append(ids, r.ID)
		checkClusters(t, s, "scan of "+n)
	}
	if c := s.Clusters(); len(c) != 1 || len(c[0].Members) != 3 {
		t.Fatalf("clusters %+v, want one of three", c)
	}
	inc := s.clusters.inc
	s.Attach(ids[2], dom{name: "c.example", ips: []string{"192.0.2.9"}}.report(), t0.Add(time.Hour))
	checkClusters(t, s, "rescan of c sharing nothing")
	if c := s.Clusters(); len(c) != 1 || !slices.Equal(c[0].Members, []string{"a.example", "b.example"}) {
		t.Fatalf("after the rescan: %+v", c)
	}
	s.Attach(ids[2], mk("c.example", fmt.Sprintf("%064x", 1)), t0.Add(2*time.Hour))
	checkClusters(t, s, "rescan of c sharing again")
	if c := s.Clusters(); len(c) != 1 || len(c[0].Members) != 3 {
		t.Fatalf("after the second rescan: %+v", c)
	}
	if s.clusters.inc != inc {
		t.Fatal("the incremental state was rebuilt: rescans should update it in place")
	}
}

// clusterDiff says where two cluster lists first differ.
func clusterDiff(got, want []Cluster) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d clusters, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		switch {
		case !reflect.DeepEqual(g.Members, w.Members):
			return fmt.Sprintf("cluster %d members %v, want %v", i, g.Members, w.Members)
		case !reflect.DeepEqual(g.Shared, w.Shared):
			return fmt.Sprintf("cluster %d shared %v, want %v", i, g.Shared, w.Shared)
		case g.Score != w.Score:
			return fmt.Sprintf("cluster %d score %v, want %v", i, g.Score, w.Score)
		}
		for j := range g.Evidence {
			if g.Evidence[j] != w.Evidence[j] {
				return fmt.Sprintf("cluster %d evidence %+v, want %+v", i, g.Evidence[j], w.Evidence[j])
			}
		}
	}
	return "ids"
}

// TestClustersSnapshotShares: a snapshot shares the clusters while the
// owner goes on attaching scans and updating its clusters (run with
// -race); scans attached to the snapshot update its clusters, not the
// owner's.
func TestClustersSnapshotShares(t *testing.T) {
	w := newRandWorld(3, 12)
	s := NewSession(t0)
	var ids []string
	for _, n := range w.names[:6] {
		r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: n})
		s.Attach(r.ID, w.report(n), t0)
		ids = append(ids, r.ID)
	}
	_ = s.Clusters()
	snap := s.Snapshot()
	want, _ := referenceClusters(snap)
	done := make(chan []Cluster)
	go func() { done <- snap.Clusters() }()
	for _, n := range w.names[6:] {
		r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: n})
		s.Attach(r.ID, w.report(n), t0)
		_ = s.Clusters()
	}
	got := <-done
	if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
		t.Fatalf("the snapshot's clusters: %s", clusterDiff(got, want))
	}
	checkClusters(t, s, "owner after the snapshot")
	snap.Attach(ids[0], w.report(w.names[0]), t0.Add(time.Hour))
	checkClusters(t, snap, "snapshot after its own scan")
	checkClusters(t, s, "owner after the snapshot's scan")
}

// TestProfileReusesClusters: once Clusters has run, Profile gives what
// ProfileOf gives without reading the report again (its lists are the
// cached derivation's); after a rescan it gives the new report's profile,
// and an entity Clusters did not derive (a subdomain) is read directly.
func TestProfileReusesClusters(t *testing.T) {
	s := NewSession(t0)
	mk := func(name string, ips ...string) *recon.Report {
		return dom{name: name, ips: ips, cert: fmt.Sprintf("%064x", 1), pub: fmt.Sprintf("%064x", 2),
			sans: []string{"a.example", "b.example", "a.example"}, registrar: "Small Registrar Ltd"}.report()
	}
	var nodes []*Node
	for _, n := range []string{"a.example", "b.example", "www.a.example"} {
		r := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: n})
		s.Attach(r.ID, mk(n, "185.10.0.1"), t0)
		nodes = append(nodes, r)
	}
	_ = s.Clusters()
	for _, tc := range []struct {
		node   *Node
		cached bool
	}{{nodes[0], true}, {nodes[1], true}, {nodes[2], false}} {
		e := tc.node.Entity
		got := s.Profile(e)
		if want := ProfileOf(e); !reflect.DeepEqual(got, want) {
			t.Fatalf("Profile(%s) = %+v, want %+v", e.Key, got, want)
		}
		d := s.clusters.inc.derived[e.Key]
		if cached := d != nil && &got.SANs[0] == &d.prof.SANs[0]; cached != tc.cached {
			t.Errorf("Profile(%s) from the clusters' cache: %v, want %v", e.Key, cached, tc.cached)
		}
		if u := slices.Compact(slices.Sorted(slices.Values(got.SANs))); len(u) != len(got.SANs) || !slices.Contains(u, "b.example") {
			t.Errorf("Profile(%s).SANs = %v, want each SAN once", e.Key, got.SANs)
		}
	}
	s.Attach(nodes[0].ID, mk("a.example", "192.0.2.9"), t0.Add(time.Hour))
	if got := s.Profile(nodes[0].Entity); !slices.Equal(got.IPs, []string{"192.0.2.9"}) {
		t.Errorf("after a rescan Profile gives IPs %v, want the new report's", got.IPs)
	}
}

// TestCountLeafMemo: a certificate's registrable-domain count is
// remembered by its SHA-256, but only for the SANs it was counted with (a
// session file may give one fingerprint different names).
func TestCountLeafMemo(t *testing.T) {
	var c clusterInc
	for _, tc := range []struct {
		sha  string
		sans []string
		want int
	}{
		{"aa", []string{"a.example", "www.a.example", "b.example"}, 2},
		{"aa", []string{"a.example", "www.a.example", "b.example"}, 2},
		{"aa", []string{"a.example", "c.example", "d.example", "*.e.example"}, 4},
		{"", []string{"a.example"}, 1},
		{"", []string{"a.example", "b.example"}, 2},
		{"aa", []string{"a.example", "www.a.example", "b.example"}, 2},
	} {
		if got := c.countLeaf(&recon.CertFacts{SHA256: tc.sha, SANs: tc.sans}); got != tc.want {
			t.Errorf("countLeaf(%q, %v) = %d, want %d", tc.sha, tc.sans, got, tc.want)
		}
	}
}

// checkEntities fails t unless Entities (placed by seq) is what a walk over
// the nodes gives: each entity once, in the order of its first node.
func checkEntities(t *testing.T, s *Session, step string) {
	t.Helper()
	if got, want := s.Entities(), s.entitiesByNodes(); !slices.Equal(got, want) {
		t.Fatalf("%s: Entities() = %d entities, the nodes give %d (or another order)", step, len(got), len(want))
	}
}

// TestEntitiesInNodeOrder: Entities gives the nodes' order for a session
// built by hand, its snapshot after a change (copy-on-write), a past state
// (AsOf) and the session saved and loaded again; when the seqs are not
// 0..n-1 (a session put together another way) it falls back to the nodes.
func TestEntitiesInNodeOrder(t *testing.T) {
	w := newRandWorld(3, 12)
	s := NewSession(t0)
	at := t0
	for i := range 40 {
		at = at.Add(time.Minute)
		ids := s.NodeIDs()
		if i%3 == 0 || len(ids) == 0 {
			n := s.AddRoot(recon.Target{Kind: recon.KindDomain, Value: w.pick(w.names...)})
			s.Attach(n.ID, w.report(n.Value), at)
			continue
		}
		id := ids[w.rng.IntN(len(ids))]
		s.AddChild(id, recon.Pivot{Kind: recon.PivotDomain, Value: w.pick(w.names...), Relation: recon.RelSAN})
		if i%5 == 0 {
			_ = s.Snapshot()
			s.AddNote(id, "n", at) // copies the entity
		}
	}
	checkEntities(t, s, "built")
	checkEntities(t, s.AsOf(t0.Add(20*time.Minute)), "AsOf")
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	checkEntities(t, back, "loaded")
	if len(back.Entities()) != len(s.Entities()) {
		t.Fatalf("loaded %d entities, want %d", len(back.Entities()), len(s.Entities()))
	}
	for _, e := range back.entities {
		e.seq = 0 // not 0..n-1 any more
	}
	checkEntities(t, back, "seqs broken")
}
