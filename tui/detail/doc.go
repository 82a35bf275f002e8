// Package detail is the right-hand pane: the selected node's Overall
// Assessment, one block per module with its facts, and for values that
// are not scanned (ASN, registrar, NS set, certificate, network) every
// session entity that shares them. The text is rendered once per
// selection or change into a bubbles/viewport.
//
// A module's facts are worded once, as rows, by package recon/render; the
// pane only lays them out (rows in render.go: a label column, values
// coloured by level, lists wrapped) and sanitises every string. Files:
// detail.go (the model), render.go (the page and the module blocks),
// assess.go (verdict, signals, false positives), sharing.go (who else
// shares a value), cert.go (a certificate node), wrap.go (word wrapping
// with hanging indents), words.go (articles; plurals are render.Count).
package detail
