// Package pivot is the investigation itself: the pivot tree of nodes over
// de-duplicated entities, the scan state of each entity, analyst notes,
// clusters ("build the picture") and the session file. It has no network
// and no terminal in it; the workbench and the exporters read and change it.
//
// Files:
//   - session.go: Session, Node, Entity and the tree operations.
//   - entity.go: what callers ask of an entity and its key (EntityKey.Split,
//     Entity.Busy, Entity.FalsePositive) and NodesOfMember.
//   - cluster.go: Cluster, the linking (buildClusters) and Sharing; how
//     links are made from weights and how clusters are scored is
//     documented there.
//   - clustercache.go: Clusters, ClusterOf and ClusterIndex, and how they
//     stay up to date as scans land (incremental, per entity).
//   - weights.go: KeyKinds, the table of cluster key kinds (values,
//     dimension, weight function), Weigh and the session evidence
//     (WeightContext); how to add a key kind is written at its top.
//   - weighfuncs.go: the Values and Weight functions of each KeyKinds row.
//   - baserates.go: the base rates behind the weights (registrar shares,
//     mass DNS hosts, CDN / builder / shared-hosting / cloud platforms, mail
//     postures, shared-hosting reverse names), with sources and dates.
//   - profile.go: Profile, ProfileOf and Profiles, the one per-domain
//     extraction from the typed facts (clusters, export and tui/compare read
//     it), and the shared normalisation helpers (NormNS, NetOf, NormSpace).
//   - ubiquitous.go: SaysNothing (a weight below SaysLittle) and the lists
//     behind the lowest weights (CDN edges, public resolvers, privacy
//     registrars, mass senders and report processors, empty values).
//   - fingerprints.go: operator fingerprints (analytics and verification
//     accounts, favicons, page kits) as cluster keys.
//   - marks.go: false-positive marks on cluster links (ClusterMark,
//     ClusterMarks) and taking a mark back (UnmarkFalsePositive).
//   - notes.go: EditNote.
//   - file.go: the versioned session file (a contract; the format and the
//     version-1 migration are documented there), Marshal and Save.
//   - load.go: Unmarshal and Load, which check a file as strictly as each
//     other; loadfast.go: Load's hand-written reader of node records.
//   - snapshot.go: Snapshot, the copy a reader on another goroutine gets.
//   - investigate.go: Investigate, the headless breadth-first chaining engine;
//     the network is behind a ScanFunc.
//   - history.go: the earlier reports a rescan keeps (Entity.History, bounded
//     by MaxHistory), ReportAt, and the AsOf / Current views of the session.
//   - rescan.go: Rescan, scanning every scanned entity again (bounded).
//   - lock.go: the lock file that keeps a session open in one process at a
//     time (LockFile; flock where LockSupported).
//   - diff/: what changed between two states of a case (package diff).
//
// One way to touch a session: a Session is owned by one goroutine at a time
// (the workbench's Update loop, a command's main goroutine). When several
// goroutines change it (Investigate and Rescan run scans in parallel) they
// hold s.Lock around every access. Any other goroutine that reads it — a
// save, an export — gets s.Snapshot(), taken by the owner (or under
// s.Lock), and reads that, as bubbletea asks a tea.Cmd to copy its inputs.
// A snapshot is copy-on-write: it costs nothing to take, and the session's
// later changes copy the nodes and entities they touch first, so the
// snapshot never sees them (snapshot.go).
package pivot
