// Package export writes a pivot.Session as files for people and tools: a
// Markdown report (md), the session itself (json), one indicator per row
// (csv), the entity graph for Graphviz (dot) and Mermaid (mermaid), and a
// STIX 2.1 bundle (stix) for MISP and OpenCTI.
//
// Exporters only read the session; they open no network connection and never
// read API keys. Strings that came from the network are escaped for each
// format, and passed through recon/sanitize where they land in text a person
// reads (md, dot, mermaid), so a terminal escape in a TXT record cannot reach
// the reader's terminal through `cat report.md`.
package export
