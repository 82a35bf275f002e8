// Package detail is the right-hand pane: the selected node's Overall
// Assessment, one block per module with its facts laid out for reading,
// and for values that are not scanned (ASN, registrar, NS set,
// certificate, network) every session entity that shares them. The text
// is rendered once per selection or change into a bubbles/viewport.
package detail
