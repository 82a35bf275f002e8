package recon

import "testing"

func TestLevelMarkAndWord(t *testing.T) {
	tests := []struct {
		l          Level
		mark, word string
		badge      string
	}{
		{LevelRed, "■", "red", "■ red"},
		{LevelYellow, "▲", "yellow", "▲ yellow"},
		{LevelGreen, "●", "green", "● green"},
		{LevelInfo, "·", "note", ""},
		{LevelNone, " ", "", ""},
		{Level("purple"), "", "unknown", ""},
	}
	seen := map[string]Level{}
	for _, tt := range tests {
		if got := tt.l.Mark(); got != tt.mark {
			t.Errorf("%q.Mark() = %q, want %q", tt.l, got, tt.mark)
		}
		if got := tt.l.Word(); got != tt.word {
			t.Errorf("%q.Word() = %q, want %q", tt.l, got, tt.word)
		}
		if got := tt.l.Badge(); got != tt.badge {
			t.Errorf("%q.Badge() = %q, want %q", tt.l, got, tt.badge)
		}
	}
	// Every marked level has its own shape: a verdict reads without colour.
	for _, l := range Levels {
		if o, dup := seen[l.Mark()]; dup {
			t.Errorf("%s and %s share the mark %q", l, o, l.Mark())
		}
		seen[l.Mark()] = l
	}
}
