// Package fingerprint reads the operator fingerprints of a web page and of
// a zone's TXT records: analytics and advertising IDs, the favicon's
// Shodan-compatible hash, the page title and a normalised body hash (the
// phishing-kit fingerprint), and site-verification tokens with whether
// their service issues one token per account (it links domains) or one per
// domain. It is pure computation: the headers and dns modules fetch, this
// package reads.
//
// Lists of stock values (default favicons and default pages) live here
// too, with their sources, so that clustering can tell a shared value
// that says nothing (every fresh nginx install serves the same welcome
// page) from one that links an operator's sites.
package fingerprint
