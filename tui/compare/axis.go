package compare

import (
	"math"
	"slices"
	"time"
)

// Segment is one linear stretch of a (possibly broken) time axis.
type Segment struct {
	From, To int // days since the Unix epoch, inclusive
	X, W     int // first column and width
	Days     int // distinct dates in the segment
}

// Axis maps dates to columns. Where the dates are far apart (17 years
// against 2 days) the axis is broken into segments, each linear, so that
// dates days apart stay apart; BreakW columns separate the segments.
type Axis struct {
	Segments []Segment
	Width    int
}

// BreakW is the width of an axis break.
const BreakW = 3

// minSegW is the narrowest segment: room for one date label.
const minSegW = 12

// breakGap is the shortest gap (days) the axis is broken at.
const breakGap = 30

func dayOf(t time.Time) int { return int(math.Floor(float64(t.Unix()) / 86400)) }

// NewAxis lays dates out on width columns. It starts linear and breaks the
// largest gap (at least 30 days) while two distinct dates would fall less
// than two columns apart and room for another segment is left.
func NewAxis(dates []time.Time, width int) Axis {
	var days []int
	for _, t := range dates {
		d := dayOf(t)
		if !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	a := Axis{Width: max(width, 1)}
	if len(days) == 0 {
		return a
	}
	cuts := []int{} // index i: break between days[i-1] and days[i]
	for {
		a.Segments = layout(days, cuts, a.Width)
		if a.separated(days) {
			return a
		}
		nseg := len(cuts) + 2
		if nseg*minSegW+(nseg-1)*BreakW > a.Width {
			return a
		}
		best, bestGap := -1, breakGap-1
		for i := 1; i < len(days); i++ {
			if g := days[i] - days[i-1]; g > bestGap && !slices.Contains(cuts, i) {
				best, bestGap = i, g
			}
		}
		if best < 0 {
			return a
		}
		cuts = append(cuts, best)
		slices.Sort(cuts)
	}
}

// layout splits days at cuts and gives each segment a width in proportion
// to its distinct dates (at least minSegW).
func layout(days, cuts []int, width int) []Segment {
	var segs []Segment
	start := 0
	for _, c := range append(slices.Clone(cuts), len(days)) {
		segs = append(segs, Segment{From: days[start], To: days[c-1], Days: c - start})
		start = c
	}
	avail := width - (len(segs)-1)*BreakW
	x := 0
	for i := range segs {
		w := avail * segs[i].Days / len(days)
		if i == len(segs)-1 {
			w = width - x
		}
		w = max(w, min(minSegW, avail))
		segs[i].X, segs[i].W = x, max(min(w, width-x), 1)
		x += segs[i].W + BreakW
	}
	return segs
}

func (a Axis) separated(days []int) bool {
	for i := 1; i < len(days); i++ {
		ca, cb := a.Col(days[i-1]), a.Col(days[i])
		if cb-ca < 2 {
			return false
		}
	}
	return true
}

// Col returns the column of a day (days since the epoch); -1 when the axis
// has no segment for it.
func (a Axis) Col(day int) int {
	for _, s := range a.Segments {
		if day < s.From || day > s.To {
			continue
		}
		if s.From == s.To {
			return s.X + (s.W-1)/2
		}
		return s.X + int(math.Round(float64(day-s.From)/float64(s.To-s.From)*float64(s.W-1)))
	}
	return -1
}

// ColOf returns the column of a date.
func (a Axis) ColOf(t time.Time) int { return a.Col(dayOf(t)) }

// Broken reports whether the axis has more than one segment.
func (a Axis) Broken() bool { return len(a.Segments) > 1 }

// Ticks returns the tick columns and their dates: each segment's ends (its
// middle too when wide enough).
func (a Axis) Ticks() []Tick {
	var out []Tick
	for _, s := range a.Segments {
		if s.From == s.To {
			out = append(out, Tick{Col: a.Col(s.From), Day: s.From})
			continue
		}
		out = append(out, Tick{Col: s.X, Day: s.From})
		if s.W >= 40 {
			mid := s.From + (s.To-s.From)/2
			out = append(out, Tick{Col: a.Col(mid), Day: mid})
		}
		out = append(out, Tick{Col: s.X + s.W - 1, Day: s.To})
	}
	return out
}

// Tick is one labelled axis position.
type Tick struct {
	Col int
	Day int
}

// Date returns the tick's date.
func (t Tick) Date() time.Time { return time.Unix(int64(t.Day)*86400, 0).UTC() }
