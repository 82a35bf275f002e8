package pivot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// Cluster is a group of scanned domains that share infrastructure.
type Cluster struct {
	ID      string   `json:"id"`      // "c1", "c2", ... in the order of Clusters (score first)
	Members []string `json:"members"` // domain values, sorted
	// Shared lists what at least two members share, sorted. Every string
	// starts with the Prefix of a KeyKinds row — ip:, net:, asn:,
	// registrar:, ns:, cert:, window:, email: (a contract); a reused public
	// key is "cert:pubkey:<sha256>", an SOA contact "ns:soa:<rname>", a
	// DMARC report mailbox "email:rua:<mailbox>" and an SPF include
	// "email:spf-include:<domain>"; the operator fingerprints are
	// "analytics:<key>", "verify:<service>:<token>", "favicon:<Shodan hash>"
	// and "page:<sha256>" (fingerprints.go). Case-insensitive values are
	// lower-case.
	// Values that say nothing at all (weight 0: a CDN edge, a privacy
	// service) are left out.
	Shared []string `json:"shared"`
	Score  float64  `json:"score"`
	// Evidence gives each Shared string its weight and why, in the order
	// of Shared.
	Evidence []Evidence `json:"evidence"`
}

// How clusters are built ("build the picture", step 7 of the seed workflow).
//
// Every scanned registrable domain (its Profile: entities of kind domain,
// subdomain or email — an e-mail address stands for its domain — with a
// Scan) yields values of each key kind of KeyKinds (weights.go), and each
// value gets a weight from how rare it is (base rates in baserates.go,
// evidence of the session in WeightContext: the host names InternetDB sees
// on an address, reverse names, how many domains a certificate covers).
//
// Linking: two domains are linked when the values they share weigh
// LinkThreshold (3) or more together, counting in each dimension
// (hosting, dns, tls, mail, registration, time) only the heaviest shared
// value. So one private name-server set, one certificate, one private
// DMARC mailbox or a dedicated address links by itself; an address of
// unknown use needs one more clue; values shared by millions (a big
// registrar, Google Workspace's posture, a registration week, a
// shared-hosting or website-builder address) never add up to a link.
// Links are transitive. A certificate that CT shows spanning several
// registrable domains is a "cert:" value of each of them.
//
// Score: the sum over Shared of weight × (holders−1)/(members−1), so a key
// every member shares counts fully and one shared by a pair inside a big
// cluster counts little; rounded to two decimals. A pubkey shared by exactly
// the members that share a certificate with that key is not listed again.
//
// False positives: an entity with a false positive "cluster" is left out of
// clusters; "cluster:<kind>" (e.g. "cluster:registrar") or
// "cluster:<shared string>" (e.g. "cluster:ip:185.220.101.47") drops those
// keys of that entity (the kinds are those of KeyKinds: "cluster:soa",
// "cluster:rua", "cluster:spf-include"; "cluster:email" is the posture
// only). ClusterFalsePositive builds the latter.

// SharedKind returns the key kind of a Shared string (the Kind of the
// KeyKinds row with the longest matching Prefix, e.g. "pubkey" for
// "cert:pubkey:…", "soa" for "ns:soa:…"); for a prefix no row has, the text
// before the first colon; "" when there is no colon.
func SharedKind(shared string) string {
	best, kind := 0, ""
	for _, k := range KeyKinds {
		if len(k.Prefix) > best && strings.HasPrefix(shared, k.Prefix) {
			best, kind = len(k.Prefix), k.Kind
		}
	}
	if kind != "" {
		return kind
	}
	k, _, ok := strings.Cut(shared, ":")
	if !ok {
		return ""
	}
	return k
}

// FPCluster is the false-positive rule id that keeps an entity out of
// clusters; "cluster:<kind>" and "cluster:<shared>" drop single keys.
const FPCluster = "cluster"

// ClusterFalsePositive returns the false-positive rule id that drops one
// Shared key (e.g. "ip:185.220.101.47") of an entity from clustering.
func ClusterFalsePositive(shared string) string { return FPCluster + ":" + shared }

type feature struct{ kind, value string }

// shared renders a key in the Shared contract form.
func (f feature) shared() string {
	if k, ok := kindByName(f.kind); ok {
		return k.Prefix + f.value
	}
	return f.kind + ":" + f.value
}

// weighed is a feature's weight, reason and dimension.
type weighed struct {
	w   float64
	why string
	dim string
}

type clusterMember struct {
	domain  string
	keys    []EntityKey
	feats   []feature
	created time.Time // zero: unknown or dropped
	certPub map[string]string
}

// memberOf turns a profile into cluster keys, dropping empty ones and
// those the entity's false positives fp name.
func memberOf(p *Profile, fp map[string]string) *clusterMember {
	m := &clusterMember{domain: p.Domain, keys: p.Keys, certPub: map[string]string{}}
	seen := map[feature]bool{}
	for _, k := range KeyKinds {
		if k.Values == nil {
			continue
		}
		if _, ok := fp[FPCluster+":"+k.Kind]; ok {
			continue
		}
		for _, v := range k.Values(p) {
			f := feature{k.Kind, v}
			if seen[f] || unknownValues[strings.ToLower(strings.TrimSpace(v))] {
				continue
			}
			if _, ok := fp[FPCluster+":"+f.shared()]; ok {
				continue
			}
			seen[f] = true
			m.feats = append(m.feats, f)
		}
	}
	if p.Created != nil {
		if _, ok := fp[FPCluster+":window"]; !ok {
			m.created = *p.Created
		}
	}
	for _, c := range p.CertKeys {
		if c.SHA256 != "" && c.Pubkey != "" {
			m.certPub[c.SHA256] = c.Pubkey
		}
	}
	for _, c := range p.CoIssued {
		if c.PubkeySHA256 != "" {
			m.certPub[c.SHA256] = c.PubkeySHA256
		}
	}
	return m
}

// unionFind links member indexes.
type unionFind []int

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if ra < rb {
		u[rb] = ra
	} else {
		u[ra] = rb
	}
}

// maxPairHolders caps the holders of one light value whose pairs are
// counted: a value that more domains of one session share is common by
// that fact alone.
const maxPairHolders = 400

// dimensions of the link score, one slot each.
var dimensions = [...]string{"hosting", "dns", "tls", "mail", "registration", "time", "content", "accounts", "other"}

func dimIndex(d string) int {
	for i, x := range dimensions {
		if x == d {
			return i
		}
	}
	return len(dimensions) - 1
}

// weigher caches the weight of each feature of one build.
type weigher struct {
	ctx   *WeightContext
	cache map[feature]weighed
}

func (w *weigher) of(f feature) weighed {
	if x, ok := w.cache[f]; ok {
		return x
	}
	k, _ := kindByName(f.kind)
	wt, why := Weigh(f.kind, f.value, w.ctx)
	x := weighed{wt, why, k.Dimension}
	w.cache[f] = x
	return x
}

// buildClusters links members and describes each group of two or more. It
// returns the clusters in order and, per cluster, the member indexes.
func buildClusters(members []*clusterMember, window time.Duration, ctx *WeightContext) ([]Cluster, [][]int) {
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
	// Candidates: a pair is linked by light values when their heaviest
	// shared value per dimension adds up to LinkThreshold. That sum is at
	// most bound[i], the same sum over all of i's light values (and the
	// window), added in the same order; a member whose bound falls short
	// cannot be linked that way with anyone, so it makes no pairs. (Every
	// one of bench300's 300 domains shares a registrar, an AS and a
	// platform certificate: 45,000 pairs each, none of them a link.)
	ww, _ := Weigh("window", "", ctx)
	td := dimIndex("time")
	bound := make([]pairScore, len(members))
	for f, hs := range holders {
		if len(hs) < 2 || len(hs) > maxPairHolders {
			continue
		}
		if x := wt.of(f); x.w > 0 && x.w < LinkThreshold {
			d := dimIndex(x.dim)
			for _, i := range hs {
				bound[i][d] = max(bound[i][d], x.w)
			}
		}
	}
	candidate := make([]bool, len(members))
	for i, m := range members {
		if !m.created.IsZero() {
			bound[i][td] = max(bound[i][td], ww)
		}
		sum := 0.0
		for _, w := range bound[i] {
			sum += w
		}
		candidate[i] = sum >= LinkThreshold-1e-9
	}
	var hc []int
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
			hc = hc[:0]
			for _, i := range hs {
				if candidate[i] {
					hc = append(hc, i)
				}
			}
			for a := 0; a < len(hc); a++ {
				for b := a + 1; b < len(hc); b++ {
					add(hc[a], hc[b], d, x.w)
				}
			}
		}
	}
	// Registration window: pairs created within window of each other.
	var dated []int
	for i, m := range members {
		if !m.created.IsZero() {
			dated = append(dated, i)
		}
	}
	slices.SortStableFunc(dated, func(x, y int) int { return members[x].created.Compare(members[y].created) })
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

func pairKey(a, b int) [2]int {
	if a > b {
		a, b = b, a
	}
	return [2]int{a, b}
}

// describe lists what the members of one group share, with the weight and
// why of each value, and scores it.
func describe(members []*clusterMember, g []int, window time.Duration, wt *weigher) Cluster {
	holders := map[feature]int{}
	pubOfCert := map[string]string{}
	var c Cluster
	for _, i := range g {
		m := members[i]
		c.Members = append(c.Members, m.domain)
		for _, f := range m.feats {
			holders[f]++
		}
		for sha, pub := range m.certPub {
			pubOfCert[sha] = pub
		}
	}
	slices.Sort(c.Members)
	n := float64(len(g) - 1)
	ev := map[string]Evidence{}
	held := map[string]int{}
	note := func(key string, h int, x weighed) {
		why := x.why
		if h < len(g) {
			why += fmt.Sprintf(" (shared by %d of the %d members)", h, len(g))
		}
		c.Shared = append(c.Shared, key)
		ev[key] = Evidence{Key: key, Weight: x.w, Why: why}
		held[key] = h
	}
	for f, h := range holders {
		if h < 2 {
			continue
		}
		if f.kind == "pubkey" && redundantPubkey(f.value, h, holders, pubOfCert) {
			continue
		}
		x := wt.of(f)
		if x.w <= 0 {
			continue
		}
		note(f.shared(), h, x)
	}
	if from, to, h := bestWindow(members, g, window); h >= 2 {
		w, why := Weigh("window", "", wt.ctx)
		note("window:"+from.Format(time.DateOnly)+".."+to.Format(time.DateOnly), h, weighed{w, why, "time"})
	}
	slices.Sort(c.Shared)
	c.Evidence = make([]Evidence, len(c.Shared))
	score := 0.0
	for i, k := range c.Shared {
		c.Evidence[i] = ev[k]
		// summed in Shared order: in map order, a score on a rounding
		// edge came out 0.01 apart from one computation to the next
		score += ev[k].Weight * float64(held[k]-1) / n
	}
	c.Score = math.Round(score*100) / 100
	return c
}

// redundantPubkey reports whether a shared public key only repeats a shared
// certificate (same key, same holders).
func redundantPubkey(pub string, h int, holders map[feature]int, pubOfCert map[string]string) bool {
	for sha, p := range pubOfCert {
		if p == pub && holders[feature{"cert", sha}] == h {
			return true
		}
	}
	return false
}

// bestWindow finds the largest run of members whose creation dates lie
// within window of each other (the earliest such run on ties).
func bestWindow(members []*clusterMember, g []int, window time.Duration) (from, to time.Time, n int) {
	var dates []time.Time
	for _, i := range g {
		if !members[i].created.IsZero() {
			dates = append(dates, members[i].created)
		}
	}
	slices.SortFunc(dates, time.Time.Compare)
	lo := 0
	for hi := range dates {
		for dates[hi].Sub(dates[lo]) > window {
			lo++
		}
		if hi-lo+1 > n {
			n, from, to = hi-lo+1, dates[lo], dates[hi]
		}
	}
	return from, to, n
}

type sharingCache struct {
	rev uint64 // Session.scans when built
	idx map[EntityKey][]EntityKey
}

// add puts the pivots of e's report into the index, each list kept in
// Entities() order (Entity.seq), as a rebuild would have it.
func (c *sharingCache) add(s *Session, e *Entity) {
	for _, p := range e.Scan.Pivots() {
		k := KeyOf(p.Kind, p.Value)
		if k == e.Key {
			continue
		}
		l := c.idx[k]
		i, _ := slices.BinarySearchFunc(l, e.seq, func(o EntityKey, seq int) int {
			return cmp.Compare(s.entities[o].seq, seq)
		})
		if i > 0 && l[i-1] == e.Key || i < len(l) && l[i] == e.Key {
			continue
		}
		c.idx[k] = slices.Insert(l, i, e.Key)
	}
}

// Sharing returns every entity whose scan has the pivot (kind, value), and
// the entity (kind, value) itself first when the session has it: pressing
// enter on an ASN, a registrar or a name server lists who shares it.
func (s *Session) Sharing(kind recon.PivotKind, value string) []EntityKey {
	if c := s.sharing; c == nil || c.rev != s.scans {
		c := &sharingCache{rev: s.scans, idx: map[EntityKey][]EntityKey{}}
		for _, e := range s.scannedEntities() {
			for _, p := range e.Scan.Pivots() {
				k := KeyOf(p.Kind, p.Value)
				if l := c.idx[k]; k != e.Key && (len(l) == 0 || l[len(l)-1] != e.Key) {
					c.idx[k] = append(l, e.Key)
				}
			}
		}
		s.sharing = c
	}
	k := KeyOf(kind, value)
	var out []EntityKey
	if s.entities[k] != nil {
		out = append(out, k)
	}
	for _, o := range s.sharing.idx[k] {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
