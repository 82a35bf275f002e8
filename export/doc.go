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
package export
