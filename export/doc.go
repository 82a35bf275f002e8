// Package export writes a pivot.Session as files for people and tools: a
// Markdown report (md), the session itself (json), one indicator per row
// (csv), the entity graph for Graphviz (dot) and Mermaid (mermaid), and a
// STIX 2.1 bundle (stix) for MISP and OpenCTI.
//
// Every format streams (WriteContext): memory is bounded by the session, not
// by the output, and a cancelled context stops the exporter at its next
// check. WriteFileContext writes a file whole or not at all; CheckOutput
// refuses to write over the input session or any other session file.
//
// Files: export.go (Formats, Options, Write*), model.go (the one-pass index
// of the session every exporter reads), safe.go (sanitising and escaping),
// overwrite.go (CheckOutput), and per format: md*.go (md.go the report and
// one file per section), json.go, csv.go, graph.go (dot and mermaid),
// stix*.go (stix.go the bundle, stix_object.go the JSON of one object and
// the ids, stix_builder.go the writer and the object constructors,
// stix_fingerprints.go the operator fingerprints).
//
// Exporters only read the session; they open no network connection and never
// read API keys. A session file is as untrusted as the network, so every
// field of it — enum-like ones such as a level, a kind or a module id too —
// is data: levels and class names come from a fixed list (levelName), every
// other string is sanitised (recon/sanitize: control, bidi and invisible
// characters become visible escapes), clipped where a renderer has limits,
// and escaped for its format. JSON output (json, stix) writes such
// characters as \u escapes, so the values stay as stored and the bytes are
// safe to cat on a terminal.
//
// The Markdown report is written section by section (writeMarkdown in
// md.go runs them in order): the about table and the overall assessments
// (md_assess.go), the picture of each domain and the comparison matrix
// (md_picture.go), the clusters and the registration timeline
// (md_clusters.go), the pivot tree (md_tree.go), the notes and the
// evidence appendix (md_evidence.go). It compares domains from their
// profiles (model.go); it lists no module's facts, so it uses no
// recon/render rows.
package export
