// Package pivot is the investigation itself: the pivot tree of nodes over
// de-duplicated entities, the scan state of each entity, analyst notes,
// clusters ("build the picture") and the session file. It has no network
// and no terminal in it; the workbench and the exporters read and change it.
//
// Files:
//   - session.go: Session, Node, Entity and the tree operations.
//   - cluster.go: Clusters, ClusterOf and Sharing; the clustering rules and
//     weights are documented there in one comment.
//   - profile.go: Profile, ProfileOf and Profiles, the one per-domain
//     extraction from the typed facts (clusters, export and tui/compare read
//     it), and the shared normalisation helpers (NormNS, NetOf, NormSpace).
//   - nothing.go: SaysNothing, the single "says nothing" rule (CDN edges,
//     public resolvers, mass DNS hosting, privacy registrars, empty values).
//   - file.go: Save, Load, Marshal, Unmarshal and the versioned session file
//     (a contract; the format and the version-1 migration are documented there).
//   - investigate.go: Investigate, the headless breadth-first chaining engine;
//     the network is behind a ScanFunc.
//   - history.go: the earlier reports a rescan keeps (Entity.History, bounded
//     by MaxHistory), ReportAt, and the AsOf / Current views of the session.
//   - rescan.go: Rescan, scanning every scanned entity again (bounded).
//   - diff/: what changed between two states of a case (package diff).
//
// A Session is used by one goroutine at a time; Investigate takes s.Lock
// around each change so that a caller may render it (under s.RLock) meanwhile.
package pivot
