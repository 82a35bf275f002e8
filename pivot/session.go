package pivot

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// State is the scan state of an entity.
type State string

// Scan states.
const (
	StateNone    State = ""        // not scanned
	StateQueued  State = "queued"  // waiting for a scan slot
	StateRunning State = "running" // scan in flight
	StateDone    State = "done"    // scanned; Entity.Scan holds the report
	StateFailed  State = "failed"  // the scan could not run; Entity.Err says why
)

// EntityKey identifies one real-world entity: "domain:nova-parcels.com",
// "ip:185.220.101.47". Subdomains share the domain namespace, so a name
// reached as SAN and as CT subdomain is one entity.
type EntityKey string

// KeyOf returns the entity key of a kind and value.
func KeyOf(kind recon.PivotKind, value string) EntityKey {
	k := kind
	if k == recon.PivotSubdomain {
		k = recon.PivotDomain
	}
	return EntityKey(string(k) + ":" + strings.ToLower(value))
}

// Entity is one value of the investigation, wherever it appears in the tree.
// Its scan runs once; every node that shows it shares it.
type Entity struct {
	Key   EntityKey       `json:"-"`
	Kind  recon.PivotKind `json:"kind"`
	Value string          `json:"value"`
	State State           `json:"state,omitempty"`
	Err   string          `json:"error,omitempty"`
	Scan  *recon.Report   `json:"scan,omitempty"`
	// ScannedAt is when the last scan finished.
	ScannedAt time.Time `json:"scanned_at,omitzero"`
	Notes     []Note    `json:"notes,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	// FalsePositives maps a rule id (or "rule:text") to the analyst's reason;
	// those signals leave the verdict and the clusters.
	FalsePositives map[string]string `json:"false_positives,omitempty"`
	// History holds earlier reports, oldest first (at most MaxHistory); a
	// rescan moves the current report here (see history.go).
	History []Past `json:"history,omitempty"`
	// FirstSeen is when the value entered the investigation: the end of
	// the scan that first yielded it as a pivot or, for a value the analyst
	// entered, the start of its first scan. It never moves once set (a
	// rescan does not change it); zero means not known yet (a root that
	// was never scanned).
	FirstSeen time.Time `json:"first_seen,omitzero"`
	// firstSeenGuessed: FirstSeen was reconstructed on load of an older file.
	firstSeenGuessed bool
	// seq is the entity's place in Entities() (creation order); Sharing's
	// index keeps its lists in that order when a report is added to it.
	seq int
	// gen is the Session.gen the entity was made or copied in: an older
	// one is shared with a snapshot and copied before it changes.
	gen uint64
}

// Note is an analyst note.
type Note struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Node is one place of an entity in the pivot tree.
type Node struct {
	ID       string          `json:"id"`
	Kind     recon.PivotKind `json:"kind"`
	Value    string          `json:"value"`
	Parent   string          `json:"-"` // "" for a root
	Relation string          `json:"relation"`
	Children []string        `json:"-"`
	Entity   *Entity         `json:"-"`
	gen      uint64          // as Entity.gen
}

// Session is an investigation: a forest of nodes over de-duplicated entities.
//
// One rule governs who may touch it: a Session is owned by one goroutine at
// a time, which reads and changes it freely (its lazy caches included).
// Goroutines that change it together (Investigate's and Rescan's workers)
// hold Lock around every access. A reader on any other goroutine (a save,
// an export) gets a Snapshot, taken by the owner or under Lock, and never
// the live session.
type Session struct {
	mu       sync.Mutex
	Created  time.Time
	Updated  time.Time
	nodes    map[string]*Node
	order    []string // node ids in creation order
	roots    []string
	entities map[EntityKey]*Entity
	nextID   int
	// Window is the registration-window width used by Clusters (default
	// DefaultWindow; zero or negative also means DefaultWindow).
	Window time.Duration

	// rev counts mutations made through the session's methods; the derived
	// indexes below are rebuilt lazily when it moved.
	rev uint64
	// scans counts the changes of any entity's report (Attach, Changed,
	// Load); Sharing's index depends on the reports only, so a note or a
	// state change does not rebuild it (a workbench redrew the detail pane
	// of a 92k-node session with a full rebuild per landed scan).
	scans    uint64
	entSeq   int // entities created so far (Entity.seq)
	clusters *clusterCache
	sharing  *sharingCache

	// Copy-on-write (snapshot.go): gen counts Snapshot calls; nodes and
	// entities of an older gen, and the maps while mapsShared, are shared
	// with a snapshot and copied before they change. byEntity lists each
	// entity's nodes (built on the first copy of an entity that needs it).
	gen        uint64
	mapsShared bool
	byEntity   map[EntityKey][]string

	// opening: the session's tree is read but its reports are still being
	// decoded (Open); Marshal refuses it, so that nothing saves a session
	// whose reports are not in place yet.
	opening bool
}

// DefaultWindow is the default registration window of Clusters.
const DefaultWindow = 7 * 24 * time.Hour

// NewSession returns an empty session.
func NewSession(now time.Time) *Session {
	return &Session{
		Created:  now,
		Updated:  now,
		nodes:    map[string]*Node{},
		entities: map[EntityKey]*Entity{},
		Window:   DefaultWindow,
	}
}

// Changed tells the session that an entity was modified directly (not
// through a Session method), so that Clusters, ClusterOf and Sharing are
// recomputed on their next call. Once a Snapshot has been taken, change
// entities through the Session's methods only: they copy what the
// snapshot shares first.
func (s *Session) Changed() { s.rev++; s.scans++ }

// Lock takes the session for goroutines that share it (see Session): every
// read and change is made under it, Snapshot included. Reads refresh lazy
// caches, so there is no read lock.
func (s *Session) Lock() { s.mu.Lock() }

// Unlock releases Lock.
func (s *Session) Unlock() { s.mu.Unlock() }

// Node returns a node by id, or nil.
func (s *Session) Node(id string) *Node { return s.nodes[id] }

// Roots returns the root node ids in order.
func (s *Session) Roots() []string { return s.roots }

// Len returns the number of nodes.
func (s *Session) Len() int { return len(s.nodes) }

// NodeIDs returns every node id in creation order.
func (s *Session) NodeIDs() []string { return s.order }

// Entity returns the entity with key k, or nil.
func (s *Session) Entity(k EntityKey) *Entity { return s.entities[k] }

// Entities returns every entity, in the order their first node was created.
//
// That is seq order (an entity is made with its first node and never
// removed, so the seqs of s.entities are 0..len-1): each entity goes to
// its place without a walk over every node (92,701 nodes and 619 entities
// in bench300). Should the seqs not be that, the nodes say the order.
func (s *Session) Entities() []*Entity {
	out := make([]*Entity, len(s.entities))
	for _, e := range s.entities {
		if e.seq < 0 || e.seq >= len(out) || out[e.seq] != nil {
			return s.entitiesByNodes()
		}
		out[e.seq] = e
	}
	return out
}

// entitiesByNodes is Entities from a walk over the nodes.
func (s *Session) entitiesByNodes() []*Entity {
	seen := map[EntityKey]bool{}
	var out []*Entity
	for _, id := range s.order {
		e := s.nodes[id].Entity
		if !seen[e.Key] {
			seen[e.Key] = true
			out = append(out, e)
		}
	}
	return out
}

// NodesOf returns the ids of every node showing entity k.
func (s *Session) NodesOf(k EntityKey) []string {
	var out []string
	for _, id := range s.order {
		if s.nodes[id].Entity.Key == k {
			out = append(out, id)
		}
	}
	return out
}

func (s *Session) entity(kind recon.PivotKind, value string) *Entity {
	k := KeyOf(kind, value)
	e := s.entities[k]
	if e == nil {
		e = &Entity{Key: k, Kind: kind, Value: value, seq: s.entSeq, gen: s.gen}
		s.entSeq++
		s.ownMaps()
		s.entities[k] = e
	}
	return e
}

func (s *Session) newNode(kind recon.PivotKind, value, parent, relation string) *Node {
	s.nextID++
	n := &Node{
		ID:       fmt.Sprintf("n%d", s.nextID),
		Kind:     kind,
		Value:    value,
		Parent:   parent,
		Relation: relation,
		Entity:   s.entity(kind, value),
		gen:      s.gen,
	}
	s.ownMaps()
	s.nodes[n.ID] = n
	s.order = append(s.order, n.ID)
	s.indexNode(n)
	s.rev++
	return n
}

// AddRoot adds a target as a new root (or returns the existing root for the
// same entity).
func (s *Session) AddRoot(t recon.Target) *Node {
	kind := recon.PivotDomain
	switch t.Kind {
	case recon.KindIP:
		kind = recon.PivotIP
	case recon.KindEmail:
		kind = recon.PivotEmail
	}
	k := KeyOf(kind, t.Value)
	for _, id := range s.roots {
		if s.nodes[id].Entity.Key == k {
			return s.nodes[id]
		}
	}
	n := s.newNode(kind, t.Value, "", "")
	s.roots = append(s.roots, n.ID)
	return n
}

// AddChild adds a child under parent unless the parent already has a child
// for the same entity; it returns the (new or existing) child.
func (s *Session) AddChild(parent string, p recon.Pivot) *Node {
	par := s.nodes[parent]
	if par == nil {
		return nil
	}
	k := KeyOf(p.Kind, p.Value)
	for _, c := range par.Children {
		if s.nodes[c].Entity.Key == k {
			return s.nodes[c]
		}
	}
	n := s.newNode(p.Kind, p.Value, parent, p.Relation)
	par = s.ownNode(par)
	par.Children = append(par.Children, n.ID)
	return n
}

// Attach stores a finished scan on the node's entity and adds its pivots as
// children of that node (not of the entity's other nodes, which share the
// scan and can be expanded there too with Attach again). A new report
// replacing an earlier one moves that one to the entity's History.
func (s *Session) Attach(nodeID string, rep *recon.Report, at time.Time) {
	if s.nodes[nodeID] == nil || rep == nil {
		return
	}
	e := s.ownEntity(s.nodes[nodeID].Entity)
	n := s.ownNode(s.nodes[nodeID])
	if e.FirstSeen.IsZero() {
		e.FirstSeen = firstNonZero(rep.Started, at)
	}
	// A first report is added to Sharing's index in place when the index
	// is up to date (a rebuild per landed scan cost a 92k-node session
	// ~20 ms each); a replaced one leaves the index to be rebuilt.
	incremental := e.Scan == nil && s.sharing != nil && s.sharing.rev == s.scans
	clusters := s.incOf() // and Clusters' (clustercache.go)
	e.record(rep)
	e.Scan = rep
	e.State = StateDone
	e.Err = ""
	e.ScannedAt = at
	s.rev++
	s.scans++
	if incremental {
		s.sharing.add(s, e)
		s.sharing.rev = s.scans
	}
	if clusters != nil {
		clusters.attached(e)
		clusters.scans = s.scans
	}
	// The node's children by entity, built once: AddChild's look-up per
	// pivot made a certificate with 5,000 SANs cost 12.5 million look-ups.
	have := make(map[EntityKey]bool, len(n.Children))
	for _, c := range n.Children {
		have[s.nodes[c].Entity.Key] = true
	}
	for _, p := range rep.Pivots() {
		k := KeyOf(p.Kind, p.Value)
		if k == e.Key || have[k] {
			continue
		}
		have[k] = true
		c := s.newNode(p.Kind, p.Value, nodeID, p.Relation)
		n.Children = append(n.Children, c.ID)
		if c.Entity.FirstSeen.IsZero() {
			s.ownEntity(c.Entity).FirstSeen = at
		}
	}
	s.Updated = at
}

func firstNonZero(t ...time.Time) time.Time {
	for _, x := range t {
		if !x.IsZero() {
			return x
		}
	}
	return time.Time{}
}

// SetState records a scan state (and error) on a node's entity.
func (s *Session) SetState(nodeID string, st State, err string) {
	if n := s.nodes[nodeID]; n != nil {
		e := s.ownEntity(n.Entity)
		e.State = st
		e.Err = err
		s.rev++
	}
}

// Scannable reports whether a node's kind can be scanned (domain,
// subdomain, IP, e-mail address, NS and MX host names).
func Scannable(k recon.PivotKind) bool {
	switch k {
	case recon.PivotDomain, recon.PivotSubdomain, recon.PivotIP, recon.PivotEmail, recon.PivotNS, recon.PivotMX:
		return true
	}
	return false
}

// Target turns a scannable node into a scan target.
func (n *Node) Target() (recon.Target, error) {
	if !Scannable(n.Kind) {
		return recon.Target{}, fmt.Errorf("a %s is not scanned; press enter to list what shares it", n.Kind)
	}
	return recon.ParseTarget(n.Value)
}

// AddNote adds an analyst note to a node's entity.
func (s *Session) AddNote(nodeID, text string, at time.Time) {
	if n := s.nodes[nodeID]; n != nil && strings.TrimSpace(text) != "" {
		e := s.ownEntity(n.Entity)
		e.Notes = append(e.Notes, Note{Text: text, At: at})
		s.Updated = at
		s.rev++
	}
}

// MarkFalsePositive records that a signal (by rule id, or "rule:text") of the
// node's entity is a false positive and why.
func (s *Session) MarkFalsePositive(nodeID, rule, why string, at time.Time) {
	if n := s.nodes[nodeID]; n != nil {
		e := s.ownEntity(n.Entity)
		if e.FalsePositives == nil {
			e.FalsePositives = map[string]string{}
		}
		e.FalsePositives[rule] = why
		s.Updated = at
		s.rev++
	}
}

// Verdict returns the entity's level with false positives left out.
func (e *Entity) Verdict() recon.Level {
	if e.Scan == nil {
		return recon.LevelNone
	}
	if len(e.FalsePositives) == 0 {
		return e.Scan.Assessment.Level
	}
	ign := map[string]bool{}
	for k := range e.FalsePositives {
		ign[k] = true
	}
	return recon.LevelWithout(e.Scan.Assessment, ign)
}
