// Package export writes a pivot.Session as files for people and tools: a
// Markdown report (md), the session itself (json), one indicator per row
// (csv), the entity graph for Graphviz (dot) and Mermaid (mermaid), and a
// STIX 2.1 bundle (stix) for MISP and OpenCTI.
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
