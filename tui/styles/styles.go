package styles

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/netspecter/netspecter-tui/recon"
)

// Palette colours, adaptive for light and dark terminals.
var (
	Red     = lipgloss.AdaptiveColor{Light: "#C62828", Dark: "#FF5F6D"}
	Yellow  = lipgloss.AdaptiveColor{Light: "#B26A00", Dark: "#FFC857"}
	Green   = lipgloss.AdaptiveColor{Light: "#2E7D32", Dark: "#5FD787"}
	Accent  = lipgloss.AdaptiveColor{Light: "#5A3FD9", Dark: "#A78BFA"}
	Accent2 = lipgloss.AdaptiveColor{Light: "#00789E", Dark: "#5FD7FF"}
	Subtle  = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6C6C6C"}
	Faint   = lipgloss.AdaptiveColor{Light: "#C8C8C8", Dark: "#3A3A3A"}
	Text    = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E4E4E4"}
	SelBg   = lipgloss.AdaptiveColor{Light: "#E4DDFF", Dark: "#3B2F6B"}
	BarBg   = lipgloss.AdaptiveColor{Light: "#ECECEC", Dark: "#262626"}
)

// SharePalette are the colours of shared values in the comparison matrix,
// in the order values are given glyphs (A, B, C, ...).
var SharePalette = []lipgloss.AdaptiveColor{
	{Light: "#5A3FD9", Dark: "#A78BFA"},
	{Light: "#00789E", Dark: "#5FD7FF"},
	{Light: "#B26A00", Dark: "#FFC857"},
	{Light: "#2E7D32", Dark: "#5FD787"},
	{Light: "#AD1457", Dark: "#FF79C6"},
	{Light: "#6D4C41", Dark: "#D7A77B"},
}

// Styles is every style of the workbench.
type Styles struct {
	App lipgloss.Style

	// Panes.
	PaneTitle        lipgloss.Style
	PaneTitleFocused lipgloss.Style
	Separator        lipgloss.Style

	// Tree rows.
	Marker       lipgloss.Style
	Kind         map[recon.PivotKind]lipgloss.Style
	KindOther    lipgloss.Style
	Value        lipgloss.Style
	Relation     lipgloss.Style
	Queued       lipgloss.Style
	Failed       lipgloss.Style
	Spinner      lipgloss.Style
	Badge        lipgloss.Style
	Selected     lipgloss.Style // whole row, cursor
	SelectedBlur lipgloss.Style
	Match        lipgloss.Style

	// Verdicts.
	Level   map[recon.Level]lipgloss.Style // coloured text
	Verdict map[recon.Level]lipgloss.Style // big block (reverse)
	Dot     map[recon.Level]string         // pre-rendered coloured dot

	// Detail.
	H1     lipgloss.Style
	H2     lipgloss.Style
	Label  lipgloss.Style
	Dim    lipgloss.Style
	Bold   lipgloss.Style
	Status map[recon.Status]lipgloss.Style
	Touch  lipgloss.Style
	Strike lipgloss.Style
	Note   lipgloss.Style

	// Status bar and footer.
	Bar       lipgloss.Style
	BarKey    lipgloss.Style
	BarLab    lipgloss.Style
	BarSaved  lipgloss.Style
	BarDirty  lipgloss.Style
	ToastInfo lipgloss.Style
	ToastErr  lipgloss.Style

	// Dialogs.
	Dialog      lipgloss.Style
	DialogTitle lipgloss.Style
	Error       lipgloss.Style
	Hint        lipgloss.Style
	Item        lipgloss.Style
	ItemSel     lipgloss.Style

	// Comparison: Share[i] colours the i-th value shared by several rows
	// (cycled); Unique is a value only one row has.
	Share     []lipgloss.Style
	Unique    lipgloss.Style
	Header    lipgloss.Style // table header
	HeaderSel lipgloss.Style // the selected column's header
	Bracket   lipgloss.Style // registration-window brackets
}

// Default returns the workbench styles. Call it once.
func Default() *Styles {
	s := &Styles{}
	s.App = lipgloss.NewStyle()
	s.PaneTitle = lipgloss.NewStyle().Foreground(Subtle).Bold(true)
	s.PaneTitleFocused = lipgloss.NewStyle().Foreground(Accent).Bold(true)
	s.Separator = lipgloss.NewStyle().Foreground(Faint)

	s.Marker = lipgloss.NewStyle().Foreground(Subtle)
	s.KindOther = lipgloss.NewStyle().Foreground(Subtle)
	s.Kind = map[recon.PivotKind]lipgloss.Style{
		recon.PivotDomain:    lipgloss.NewStyle().Foreground(Accent).Bold(true),
		recon.PivotSubdomain: lipgloss.NewStyle().Foreground(Accent),
		recon.PivotIP:        lipgloss.NewStyle().Foreground(Accent2).Bold(true),
		recon.PivotASN:       lipgloss.NewStyle().Foreground(Yellow),
		recon.PivotNetwork:   lipgloss.NewStyle().Foreground(Yellow),
		recon.PivotNS:        lipgloss.NewStyle().Foreground(Green),
		recon.PivotMX:        lipgloss.NewStyle().Foreground(Green),
		recon.PivotRegistrar: lipgloss.NewStyle().Foreground(Red),
		recon.PivotCert:      lipgloss.NewStyle().Foreground(Subtle),
		recon.PivotPubkey:    lipgloss.NewStyle().Foreground(Subtle),
		recon.PivotEmail:     lipgloss.NewStyle().Foreground(Accent2),
		recon.PivotAnalytics: lipgloss.NewStyle().Foreground(Yellow).Bold(true),
		recon.PivotFavicon:   lipgloss.NewStyle().Foreground(Yellow),
		recon.PivotPage:      lipgloss.NewStyle().Foreground(Subtle),
		recon.PivotVerify:    lipgloss.NewStyle().Foreground(Green),
	}
	s.Value = lipgloss.NewStyle().Foreground(Text)
	s.Relation = lipgloss.NewStyle().Foreground(Subtle).Faint(true)
	s.Queued = lipgloss.NewStyle().Foreground(Subtle).Italic(true)
	s.Failed = lipgloss.NewStyle().Foreground(Red).Bold(true)
	s.Spinner = lipgloss.NewStyle().Foreground(Accent)
	s.Badge = lipgloss.NewStyle().Foreground(Accent).Bold(true)
	s.Selected = lipgloss.NewStyle().Background(SelBg).Foreground(Text).Bold(true)
	s.SelectedBlur = lipgloss.NewStyle().Background(Faint).Foreground(Text)
	s.Match = lipgloss.NewStyle().Underline(true)

	s.Level = map[recon.Level]lipgloss.Style{
		recon.LevelRed:    lipgloss.NewStyle().Foreground(Red),
		recon.LevelYellow: lipgloss.NewStyle().Foreground(Yellow),
		recon.LevelGreen:  lipgloss.NewStyle().Foreground(Green),
		recon.LevelNone:   lipgloss.NewStyle().Foreground(Subtle),
		recon.LevelInfo:   lipgloss.NewStyle(), // caveats and notes: no colour
	}
	s.Verdict = map[recon.Level]lipgloss.Style{
		recon.LevelRed:    lipgloss.NewStyle().Bold(true).Padding(0, 2).Foreground(lipgloss.Color("#FFFFFF")).Background(Red),
		recon.LevelYellow: lipgloss.NewStyle().Bold(true).Padding(0, 2).Foreground(lipgloss.Color("#000000")).Background(Yellow),
		recon.LevelGreen:  lipgloss.NewStyle().Bold(true).Padding(0, 2).Foreground(lipgloss.Color("#000000")).Background(Green),
		recon.LevelNone:   lipgloss.NewStyle().Bold(true).Padding(0, 2).Foreground(Subtle),
	}
	s.Dot = map[recon.Level]string{
		recon.LevelRed:    s.Level[recon.LevelRed].Render(recon.LevelRed.Mark()),
		recon.LevelYellow: s.Level[recon.LevelYellow].Render(recon.LevelYellow.Mark()),
		recon.LevelGreen:  s.Level[recon.LevelGreen].Render(recon.LevelGreen.Mark()),
		recon.LevelNone:   " ",
		recon.LevelInfo:   recon.LevelInfo.Mark(),
	}

	s.H1 = lipgloss.NewStyle().Bold(true).Foreground(Text)
	s.H2 = lipgloss.NewStyle().Bold(true).Foreground(Accent)
	s.Label = lipgloss.NewStyle().Foreground(Subtle)
	s.Dim = lipgloss.NewStyle().Foreground(Subtle)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Status = map[recon.Status]lipgloss.Style{
		recon.StatusOK:          lipgloss.NewStyle().Foreground(Green),
		recon.StatusRateLimited: lipgloss.NewStyle().Foreground(Yellow).Bold(true),
		recon.StatusError:       lipgloss.NewStyle().Foreground(Red).Bold(true),
		recon.StatusSkipped:     lipgloss.NewStyle().Foreground(Subtle),
	}
	s.Touch = lipgloss.NewStyle().Foreground(Subtle).Italic(true)
	s.Strike = lipgloss.NewStyle().Foreground(Subtle).Strikethrough(true)
	s.Note = lipgloss.NewStyle().Foreground(Accent2).Italic(true)

	s.Bar = lipgloss.NewStyle().Foreground(Text).Background(BarBg)
	s.BarKey = lipgloss.NewStyle().Foreground(Accent).Background(BarBg).Bold(true)
	s.BarLab = lipgloss.NewStyle().Foreground(lipgloss.Color("#000000")).Background(Yellow).Bold(true).Padding(0, 1)
	s.BarSaved = lipgloss.NewStyle().Foreground(Green).Background(BarBg)
	s.BarDirty = lipgloss.NewStyle().Foreground(Yellow).Background(BarBg)
	s.ToastInfo = lipgloss.NewStyle().Foreground(Accent2)
	s.ToastErr = lipgloss.NewStyle().Foreground(Red).Bold(true)

	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(Accent).Padding(1, 2)
	s.DialogTitle = lipgloss.NewStyle().Bold(true).Foreground(Accent)
	s.Error = lipgloss.NewStyle().Foreground(Red)
	s.Hint = lipgloss.NewStyle().Foreground(Subtle)
	s.Item = lipgloss.NewStyle().PaddingLeft(2)
	s.ItemSel = lipgloss.NewStyle().Foreground(Accent).Bold(true)

	for _, c := range SharePalette {
		s.Share = append(s.Share, lipgloss.NewStyle().Foreground(c).Bold(true))
	}
	s.Unique = lipgloss.NewStyle().Foreground(Subtle).Faint(true)
	s.Header = lipgloss.NewStyle().Foreground(Subtle).Bold(true).Underline(true)
	s.HeaderSel = lipgloss.NewStyle().Foreground(Accent).Bold(true).Underline(true).Reverse(true)
	s.Bracket = lipgloss.NewStyle().Foreground(Accent).Bold(true)
	return s
}

// KindStyle returns the style of a pivot kind's tag.
func (s *Styles) KindStyle(k recon.PivotKind) lipgloss.Style {
	if st, ok := s.Kind[k]; ok {
		return st
	}
	return s.KindOther
}
