// Package pivot is the investigation itself: the pivot tree of nodes over
// de-duplicated entities, the scan state of each entity, analyst notes,
// clusters ("build the picture") and the session file. It has no network
// and no terminal in it; the workbench and the exporters read and change it.
package pivot
