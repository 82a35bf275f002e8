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
	// starts with one of ip:, net:, asn:, registrar:, ns:, cert:, window:,
	// email: (a contract); a reused public key is "cert:pubkey:<sha256>",
	// an SOA contact "ns:soa:<rname>", a DMARC report mailbox
	// "email:rua:<mailbox>" and an SPF include "email:spf-include:<domain>".
	// Case-insensitive values are lower-case.
	Shared []string `json:"shared"`
	Score  float64  `json:"score"`
}

// How clusters are built ("build the picture", step 7 of the seed workflow).
//
// Every scanned registrable domain (its Profile: entities of kind domain,
// subdomain or email — an e-mail address stands for its domain — with a
// Scan) yields keys from its typed facts:
//
//	key          from                                     strength  weight
//	cert         SSLFacts.Certs[].SHA256                  strong    3
//	pubkey       SSLFacts.Certs[].PubkeySHA256            strong    3
//	ns           DNSFacts.NS (else WhoisFacts.NameServers), the whole set  strong 3
//	rua          EmailFacts.DMARC.RUA mailboxes           strong    3
//	ip           DNSFacts.A/AAAA and GeoFacts.IPs[].IP    strong    2
//	soa          DNSFacts.SOA.Mbox (the RNAME)            strong    2
//	net          the /24 (IPv4) or /48 (IPv6) of an ip    weak      1
//	asn          GeoFacts.IPs[].ASN                       weak      1
//	window       WhoisFacts.Created within Session.Window weak      1
//	spf-include  EmailFacts.SPF include: domains          weak      1
//	registrar    WhoisFacts.Registrar                     weak      0.5
//	email        EmailFacts.Posture                       weak      0.5
//
// Shared strings: "cert:pubkey:<sha256>" for pubkey, "ns:soa:<rname>" for
// soa, "email:rua:<mailbox>" for rua, "email:spf-include:<domain>" for
// spf-include, "<kind>:<value>" for the others.
//
// A DMARC aggregate-report mailbox outside the mass report processors
// means one operator reads both domains' reports, and an SOA contact
// outside mass DNS hosting names the person or team that runs both zones:
// both are strong. An SOA contact inside the member's own domain
// ("hostmaster.<self>") is never shared by another member; one in another
// member's domain, or in a third domain both use, is. An SPF include
// outside the mass senders is a weak clue of the e-mail dimension.
//
// Values that SaysNothing rejects (CDN edges, public resolvers, mass DNS
// hosting and its SOA contacts, privacy services, mass mail senders' SPF
// includes, DMARC report processors, empty values) are dropped first. A
// certificate seen on a CDN address is dropped too (edge certificates are
// shared), and so are all keys of an address whose ASN is a CDN's.
//
// Linking: two domains are in one cluster when they share a STRONG key, or
// when at least three independent WEAK dimensions coincide among hosting
// (same net or same asn — one dimension, since a /24 lies inside one AS),
// registrar, registration window and e-mail (the posture or an SPF
// include: sharing both is still one dimension, as net and asn are one;
// each still adds its own weight to the score). Links are transitive.
// Weak keys otherwise only add to the Shared list and the score of a group
// that links formed.
//
// Name servers and certificates weigh most because an operator configures
// them deliberately (the seed: "operators actively configure name servers
// rather than just selecting a registrar at checkout"); a registrar or an
// e-mail posture is chosen by millions and weighs least.
//
// Score: the sum over Shared of weight × (holders−1)/(members−1), so a key
// every member shares counts fully and one shared by a pair inside a big
// cluster counts little; rounded to two decimals. A pubkey shared by exactly
// the members that share a certificate with that key is not listed again.
//
// False positives: an entity with a false positive "cluster" is left out of
// clusters; "cluster:<kind>" (e.g. "cluster:registrar") or
// "cluster:<shared string>" (e.g. "cluster:ip:185.220.101.47") drops those
// keys of that entity (the kinds are those of the table: "cluster:soa",
// "cluster:rua", "cluster:spf-include"; "cluster:email" is the posture
// only). ClusterFalsePositive builds the latter.

// Weights are the score weights of each key kind (see the comment above).
var Weights = map[string]float64{
	"cert": 3, "pubkey": 3, "ns": 3, "rua": 3, "ip": 2, "soa": 2,
	"net": 1, "asn": 1, "window": 1, "spf-include": 1, "registrar": 0.5, "email": 0.5,
}

// strongKinds link domains by themselves.
var strongKinds = map[string]bool{"cert": true, "pubkey": true, "ns": true, "ip": true, "rua": true, "soa": true}

// mailKinds make up the e-mail dimension of the weak links.
var mailKinds = map[string]bool{"email": true, "spf-include": true}

// sharedPrefixes are the Shared prefixes of the kinds not written
// "<kind>:" (the contract allows only the prefixes of the Cluster doc).
var sharedPrefixes = map[string]string{
	"pubkey": "cert:pubkey:", "soa": "ns:soa:", "rua": "email:rua:", "spf-include": "email:spf-include:",
}

// SharedKind returns the key kind of a Shared string (one of Weights'
// keys, e.g. "pubkey" for "cert:pubkey:…", "soa" for "ns:soa:…"), "" when
// it has no kind prefix.
func SharedKind(shared string) string {
	for k, p := range sharedPrefixes {
		if strings.HasPrefix(shared, p) {
			return k
		}
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
	if p, ok := sharedPrefixes[f.kind]; ok {
		return p + f.value
	}
	return f.kind + ":" + f.value
}

type clusterMember struct {
	domain  string
	keys    []EntityKey
	feats   []feature
	created time.Time // zero: unknown or dropped
	certPub map[string]string
}

type clusterCache struct {
	rev    uint64
	window time.Duration
	list   []Cluster
	of     map[EntityKey][]int
}

func (s *Session) window() time.Duration {
	if s.Window <= 0 {
		return DefaultWindow
	}
	return s.Window
}

func (s *Session) clusterState() *clusterCache {
	w := s.window()
	if c := s.clusters; c != nil && c.rev == s.rev && c.window == w {
		return c
	}
	members := s.clusterMembers()
	list, idx := buildClusters(members, w)
	c := &clusterCache{rev: s.rev, window: w, list: list, of: map[EntityKey][]int{}}
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

// Clusters returns the groups of scanned domains that share infrastructure,
// best score first (the rules: "How clusters are built" in cluster.go). The result is
// cached until the session changes; do not modify it.
func (s *Session) Clusters() []Cluster { return s.clusterState().list }

// ClusterOf returns the indexes into Clusters() of the clusters that contain
// entity k (an e-mail address is in its domain's clusters).
func (s *Session) ClusterOf(k EntityKey) []int {
	return slices.Clone(s.clusterState().of[k])
}

// clusterMembers extracts the keys of every scanned registrable domain, one
// member per domain value (the first entity in session order supplies the
// facts). An entity marked with the false positive FPCluster stays out.
func (s *Session) clusterMembers() []*clusterMember {
	ps := s.profiles(func(e *Entity, d string) bool {
		if _, ok := e.FalsePositives[FPCluster]; ok {
			return false
		}
		// Host names and subdomains (www.x.com, ns1.x.net) share their
		// organisation's infrastructure by design: a cluster of an
		// operator's own names says nothing. Clusters are of registrable
		// domains.
		return recon.IsRegisteredDomain(d)
	})
	out := make([]*clusterMember, len(ps))
	for i := range ps {
		out[i] = memberOf(&ps[i], s.entities[ps[i].Entity].FalsePositives)
	}
	return out
}

// memberOf turns a profile into cluster keys, dropping those that say
// nothing and those the entity's false positives fp name.
func memberOf(p *Profile, fp map[string]string) *clusterMember {
	m := &clusterMember{domain: p.Domain, keys: p.Keys, certPub: map[string]string{}}
	seen := map[feature]bool{}
	add := func(kind, value string) {
		f := feature{kind, value}
		if seen[f] || SaysNothing(kind, value) != "" {
			return
		}
		if _, ok := fp[FPCluster+":"+kind]; ok {
			return
		}
		if _, ok := fp[FPCluster+":"+f.shared()]; ok {
			return
		}
		seen[f] = true
		m.feats = append(m.feats, f)
	}
	for _, h := range p.Hosts {
		if cdnASN(h.ASN) {
			continue // a CDN edge: its address, network and ASN say nothing
		}
		ip := h.Addr.String()
		add("ip", ip)
		add("net", NetOf(ip))
		if h.ASN != 0 {
			add("asn", FormatASN(h.ASN))
		}
	}
	if len(p.NS) > 0 {
		add("ns", strings.Join(p.NS, ","))
	}
	if p.SOAMbox != "" {
		add("soa", p.SOAMbox)
	}
	if p.Registrar != "" {
		add("registrar", strings.ToLower(p.Registrar))
	}
	if p.Created != nil {
		if _, ok := fp[FPCluster+":window"]; !ok {
			m.created = *p.Created
		}
	}
	for _, c := range p.CertKeys {
		if c.SHA256 != "" {
			add("cert", c.SHA256)
		}
		if c.Pubkey != "" {
			add("pubkey", c.Pubkey)
			if c.SHA256 != "" {
				m.certPub[c.SHA256] = c.Pubkey
			}
		}
	}
	add("email", strings.ToLower(p.Posture))
	for _, inc := range p.SPFIncludes {
		add("spf-include", inc)
	}
	for _, mb := range p.RUA {
		add("rua", mb)
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

// buildClusters links members and describes each group of two or more. It
// returns the clusters in order and, per cluster, the member indexes.
func buildClusters(members []*clusterMember, window time.Duration) ([]Cluster, [][]int) {
	uf := make(unionFind, len(members))
	for i := range uf {
		uf[i] = i
	}
	link := func(b []int) {
		for _, i := range b[1:] {
			uf.union(b[0], i)
		}
	}
	strong := map[string][]int{}
	triple := map[string][]int{}   // hosting ∧ registrar ∧ e-mail
	windowed := map[string][]int{} // two weak dimensions; the window is the third
	for i, m := range members {
		var hosting, mails []string
		var reg string
		for _, f := range m.feats {
			switch {
			case strongKinds[f.kind]:
				strong[f.shared()] = append(strong[f.shared()], i)
			case f.kind == "net" || f.kind == "asn":
				hosting = append(hosting, f.shared())
			case f.kind == "registrar":
				reg = f.shared()
			case mailKinds[f.kind]:
				mails = append(mails, f.shared())
			}
		}
		// Each combination holds one value per dimension, so a pair that
		// shares both net and asn, or a posture and an SPF include, still
		// counts that dimension once.
		const sep = "\x00"
		for _, h := range hosting {
			for _, mail := range mails {
				if reg != "" {
					k := h + sep + reg + sep + mail
					triple[k] = append(triple[k], i)
				}
				if !m.created.IsZero() {
					k := "he" + sep + h + sep + mail
					windowed[k] = append(windowed[k], i)
				}
			}
			if !m.created.IsZero() && reg != "" {
				k := "hr" + sep + h + sep + reg
				windowed[k] = append(windowed[k], i)
			}
		}
		if !m.created.IsZero() && reg != "" {
			for _, mail := range mails {
				k := "re" + sep + reg + sep + mail
				windowed[k] = append(windowed[k], i)
			}
		}
	}
	for _, b := range strong {
		link(b)
	}
	for _, b := range triple {
		link(b)
	}
	for _, b := range windowed {
		if len(b) < 2 {
			continue
		}
		slices.SortStableFunc(b, func(x, y int) int { return members[x].created.Compare(members[y].created) })
		for j := 1; j < len(b); j++ {
			if members[b[j]].created.Sub(members[b[j-1]].created) <= window {
				uf.union(b[j-1], b[j])
			}
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
		all = append(all, built{describe(members, g, window), g})
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

// describe lists what the members of one group share and scores it.
func describe(members []*clusterMember, g []int, window time.Duration) Cluster {
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
	score := 0.0
	for f, h := range holders {
		if h < 2 {
			continue
		}
		if f.kind == "pubkey" && redundantPubkey(f.value, h, holders, pubOfCert) {
			continue
		}
		c.Shared = append(c.Shared, f.shared())
		score += Weights[f.kind] * float64(h-1) / n
	}
	if from, to, h := bestWindow(members, g, window); h >= 2 {
		c.Shared = append(c.Shared, "window:"+from.Format(time.DateOnly)+".."+to.Format(time.DateOnly))
		score += Weights["window"] * float64(h-1) / n
	}
	slices.Sort(c.Shared)
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
	rev uint64
	idx map[EntityKey][]EntityKey
}

// Sharing returns every entity whose scan has the pivot (kind, value), and
// the entity (kind, value) itself first when the session has it: pressing
// enter on an ASN, a registrar or a name server lists who shares it.
func (s *Session) Sharing(kind recon.PivotKind, value string) []EntityKey {
	if c := s.sharing; c == nil || c.rev != s.rev {
		idx := map[EntityKey][]EntityKey{}
		for _, e := range s.Entities() {
			if e.Scan == nil {
				continue
			}
			for _, p := range e.Scan.Pivots() {
				k := KeyOf(p.Kind, p.Value)
				if l := idx[k]; k != e.Key && (len(l) == 0 || l[len(l)-1] != e.Key) {
					idx[k] = append(l, e.Key)
				}
			}
		}
		s.sharing = &sharingCache{rev: s.rev, idx: idx}
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
