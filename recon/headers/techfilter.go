package headers

import (
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"

	wappalyzer "github.com/projectdiscovery/wappalyzergo"
)

// A page is checked against ~440 HTML patterns, each <script src> against
// ~4,100 script patterns. wappalyzergo rewrites "+" and "*" into bounded
// repeats ({1,250}, {0,250}), so many of its regular expressions are large
// programs: even on a 70-byte page the HTML patterns cost about 3 ms, on a
// 200 kB page with 20 scripts wappalyzergo takes 2 s. Most patterns need
// literal strings in any match ("wp-content", "jquery", one of an
// alternation's branches); a text without them cannot match, and
// substring searches decide that (each literal once per long text): the
// 200 kB page takes 55 ms. The prefilter only ever skips an evaluation
// whose answer is "no match", so the answer is unchanged.
//
// Case: the patterns are case-insensitive ((?i)). A rune of a match folds
// to the literal's rune, so the lower-cased text holds the lower-cased
// literal — except where a rune's fold orbit holds a rune that lower-cases
// to something else (ſ, U+017F, matches "s" under (?i) but is its own
// lower case). Those runes are collected at compile time (foldTrouble) and
// a text holding one is checked without the prefilter.

// techPattern is one pattern of the fingerprints with the literals its
// matches contain, lower-cased: need is a conjunction of clauses, and every
// match contains at least one string of every clause (a clause of one
// string is a literal every match contains; an alternation gives one
// string per branch). Its regular expression is compiled by
// wappalyzer.ParsePattern the first time a text passes the prefilter: most
// never do, and compiling all of them cost 0.3 s of CPU, on the first
// scan's path.
type techPattern struct {
	source string     // the pattern as written in the fingerprints
	need   [][]string // clauses, the most selective (longest shortest string) first
	once   sync.Once
	pp     *wappalyzer.ParsedPattern // nil when it does not compile (wappalyzergo leaves it out)
}

// evaluate reports whether the pattern matches t, with the version it
// reads and its confidence, as wappalyzer.ParsedPattern.Evaluate.
func (p *techPattern) evaluate(t *text) (ok bool, version string, confidence int) {
	if t.filter {
		for _, clause := range p.need {
			if !t.containsAny(clause) {
				return false, "", 0
			}
		}
	}
	p.once.Do(func() { p.pp, _ = wappalyzer.ParsePattern(p.source) })
	if p.pp == nil {
		return false, "", 0
	}
	ok, version = p.pp.Evaluate(t.s)
	return ok, version, p.pp.Confidence
}

// text is one string to check patterns against: as given, lower-cased,
// and whether the patterns' literals can be relied on for it. A long text
// remembers which literals it holds (a page is asked about the same
// literals by many patterns).
type text struct {
	s, lower string
	filter   bool
	seen     map[string]bool
}

// memoFrom is the length from which a text remembers its answers.
const memoFrom = 4 << 10

// containsAny reports whether the lower-cased text holds one of lits.
func (t *text) containsAny(lits []string) bool {
	for _, l := range lits {
		if t.contains(l) {
			return true
		}
	}
	return false
}

func (t *text) contains(lit string) bool {
	if len(t.lower) < memoFrom {
		return strings.Contains(t.lower, lit)
	}
	if t.seen == nil {
		t.seen = make(map[string]bool)
	}
	in, ok := t.seen[lit]
	if !ok {
		in = strings.Contains(t.lower, lit)
		t.seen[lit] = in
	}
	return in
}

// filterCompiler derives the literals and collects the runes for which
// they cannot be relied on.
type filterCompiler struct {
	trouble map[rune]bool
}

// compile returns pattern with its clauses, derived from the regular
// expression wappalyzergo compiles for it (wappalyzerRegexp); nil when
// that does not parse (wappalyzer.ParsePattern fails on it too).
func (fc *filterCompiler) compile(pattern string) *techPattern {
	tp := &techPattern{source: pattern}
	expr, ok := wappalyzerRegexp(pattern)
	if !ok {
		return tp // no regular expression: matches everything
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	tp.need = required(re)
	slices.SortStableFunc(tp.need, func(a, b []string) int { return score(b) - score(a) })
	if len(tp.need) > 0 {
		fc.foldTrouble(re)
	}
	return tp
}

// score is how selective a clause is: the length of its shortest string.
func score(clause []string) int {
	m := len(clause[0])
	for _, s := range clause[1:] {
		m = min(m, len(s))
	}
	return m
}

// troubleSet returns the collected runes as one string for
// strings.ContainsAny.
func (fc *filterCompiler) troubleSet() string {
	var b strings.Builder
	for r := range fc.trouble {
		b.WriteRune(r)
	}
	return b.String()
}

// foldTrouble records, for every case-folded literal rune of re, the
// runes of its fold orbit that do not lower-case to its lower case.
func (fc *filterCompiler) foldTrouble(re *syntax.Regexp) {
	if re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase != 0 {
		for _, r := range re.Rune {
			for c := unicode.SimpleFold(r); c != r; c = unicode.SimpleFold(c) {
				if unicode.ToLower(c) != unicode.ToLower(r) {
					if fc.trouble == nil {
						fc.trouble = map[rune]bool{}
					}
					fc.trouble[c] = true
				}
			}
		}
	}
	for _, s := range re.Sub {
		fc.foldTrouble(s)
	}
}

// wappalyzerRegexp is the regular expression wappalyzer.ParsePattern
// compiles for pattern (the same rewriting, copied from wappalyzergo
// v0.2.95 patterns.go, MIT licence; TestWappalyzerRegexpIsItsOwn checks it
// against the compiled patterns). ok is false when pattern has none.
func wappalyzerRegexp(pattern string) (expr string, ok bool) {
	const (
		verCap1        = `(\d+(?:\.\d+)+)`
		verCap1Fill    = "__verCap1__"
		verCap1Limited = `(\d{1,20}(?:\.\d{1,20}){1,20})`
		verCap2        = `((?:\d+\.)+\d+)`
		verCap2Fill    = "__verCap2__"
		verCap2Limited = `((?:\d{1,20}\.){1,20}\d{1,20})`
	)
	re := strings.Split(pattern, `\;`)[0]
	if re == "" {
		return "", false
	}
	re = strings.ReplaceAll(re, verCap1, verCap1Fill)
	re = strings.ReplaceAll(re, verCap2, verCap2Fill)
	re = strings.ReplaceAll(re, `\+`, "__escapedPlus__")
	re = strings.ReplaceAll(re, "+", "{1,250}")
	re = strings.ReplaceAll(re, "*", "{0,250}")
	re = strings.ReplaceAll(re, "__escapedPlus__", `\+`)
	re = strings.ReplaceAll(re, verCap1Fill, verCap1Limited)
	re = strings.ReplaceAll(re, verCap2Fill, verCap2Limited)
	return "(?i)" + re, true
}

// required returns clauses (strings lower-cased) such that every match
// of re contains at least one string of each. It may return fewer clauses
// than there are, never one that does not hold; a clause never holds "".
func required(re *syntax.Regexp) [][]string {
	switch re.Op {
	case syntax.OpLiteral:
		return [][]string{{lowerRunes(re.Rune)}}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		// Each branch's best clause; any match holds one of their strings.
		var clause []string
		for _, s := range re.Sub {
			cs := required(s)
			if len(cs) == 0 {
				return nil // a branch that needs nothing
			}
			best := cs[0]
			for _, c := range cs[1:] {
				if score(c) > score(best) {
					best = c
				}
			}
			clause = append(clause, best...)
		}
		return [][]string{clause}
	case syntax.OpConcat:
		var out [][]string
		run, inRun := "", false
		flush := func() {
			if inRun && run != "" {
				out = append(out, []string{run})
			}
			run, inRun = "", false
		}
		for _, s := range re.Sub {
			if e, ok := exact(s); ok {
				run, inRun = run+e, true
				continue
			}
			flush()
			out = append(out, required(s)...)
		}
		flush()
		return out
	}
	return nil
}

// exact returns the one string (lower-cased) re matches, if it matches
// exactly one up to case.
func exact(re *syntax.Regexp) (string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return lowerRunes(re.Rune), true
	case syntax.OpEmptyMatch:
		return "", true
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpConcat:
		var b strings.Builder
		for _, s := range re.Sub {
			e, ok := exact(s)
			if !ok {
				return "", false
			}
			b.WriteString(e)
		}
		return b.String(), true
	}
	return "", false
}

func lowerRunes(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
