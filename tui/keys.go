package tui

import (
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap are the workbench's global keys. It implements help.KeyMap.
type KeyMap struct {
	Scan, ScanAll, Rescan, Search, Next, Prev, Focus, Clusters, Save, Export,
	Copy, Links, Note, FalsePositive, Sources, NewTarget, Help, Quit, Clear,
	Modules, Timeline, Evidence, Filter, RescanAll key.Binding
}

// DefaultKeyMap returns the workbench's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Scan:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "scan/open")),
		ScanAll:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "scan children")),
		Rescan:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rescan")),
		Search:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/prev match")),
		Prev:          key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Focus:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "focus")),
		Clusters:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clusters")),
		Save:          key.NewBinding(key.WithKeys("s", "ctrl+s"), key.WithHelp("s", "save")),
		Export:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Copy:          key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy value")),
		Links:         key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "quick links")),
		Note:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		Filter:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter the tree (red/yellow, unscanned, kind…)")),
		FalsePositive: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "false positive")),
		Sources:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "sources")),
		NewTarget:     key.NewBinding(key.WithKeys("+"), key.WithHelp("+", "new target")),
		Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:          key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Clear:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Modules:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "run modules")),
		Timeline:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "timeline")),
		Evidence:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "raw evidence: WHOIS answer, DNS records, certificate PEM")),
		RescanAll:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rescan all (changes: c 4)")),
	}
}

// helpKeys is the help.KeyMap shown in the footer; it depends on context.
type helpKeys struct {
	k         KeyMap
	searching bool
	paneShort bool // the footer shows the pane's keys
	pane      interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	}
}

// ShortHelp implements help.KeyMap.
func (h helpKeys) ShortHelp() []key.Binding {
	k := h.k
	if h.paneShort && h.pane != nil && !h.searching {
		return append(h.pane.ShortHelp(), k.Focus, k.Help, k.Quit)
	}
	if h.searching {
		return []key.Binding{k.Next, k.Clear, k.Scan, k.Search, k.Focus, k.Help, k.Quit}
	}
	return []key.Binding{k.Scan, k.ScanAll, k.Search, k.Focus, k.Clusters, k.Note, k.Save, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (h helpKeys) FullHelp() [][]key.Binding {
	k := h.k
	cols := [][]key.Binding{
		{k.Scan, k.ScanAll, k.Rescan, k.RescanAll, k.Modules, k.NewTarget, k.Search, k.Next, k.Clear}, // Next's help reads "n/N"
		{k.Focus, k.Clusters, k.Timeline, k.Note, k.FalsePositive, k.Copy, k.Links, k.Evidence},
		{k.Save, k.Export, k.Sources, k.Help, k.Quit},
	}
	if h.pane != nil {
		cols = append(h.pane.FullHelp(), cols...)
	}
	return cols
}
