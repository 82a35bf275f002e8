// idn.go holds the idn-homograph rule: the Latin look-alike letters, the
// script of a letter, and the check.

package recon

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/idna"
)

// homoglyphs maps Cyrillic and Greek letters that look like Latin ones to
// the Latin letter, to show which name an IDN imitates.
var homoglyphs = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'ӏ': 'l',
	'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'ц': 'u', 'ѵ': 'v',
	'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y', 'ԁ': 'd', 'с': 'c', 'ɡ': 'g',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'ω': 'w',
}

// scriptOf names the script of a letter among those homographs mix.
func scriptOf(r rune) string {
	switch {
	case unicode.Is(unicode.Latin, r):
		return "Latin"
	case unicode.Is(unicode.Cyrillic, r):
		return "Cyrillic"
	case unicode.Is(unicode.Greek, r):
		return "Greek"
	case unicode.Is(unicode.Armenian, r):
		return "Armenian"
	case unicode.IsLetter(r):
		return "other"
	}
	return "" // digits, hyphens, marks: no script of their own
}

// ruleIDNHomograph flags an internationalised domain whose Unicode form
// imitates a Latin name: a label mixing scripts (xn--pple-43d = "аpple" with
// a Cyrillic а), or a label made only of Latin look-alikes ("раураl"). The
// signal shows both the punycode and the Unicode form.
func ruleIDNHomograph(r *Report, _ time.Time) []Signal {
	name := r.Target.Domain()
	if !strings.Contains(name, "xn--") {
		if d := FactsOf[DNSFacts](r, ModuleDNS); d != nil {
			name = d.Name
		}
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !strings.Contains(name, "xn--") {
		return nil
	}
	uni, err := idna.Punycode.ToUnicode(name)
	if err != nil || uni == name {
		return nil
	}
	var why []string
	var skeleton []string
	fake := false
	for _, label := range strings.Split(uni, ".") {
		scripts := map[string]bool{}
		var order []string
		var sk strings.Builder
		allLookalike := true
		nonLatin := false
		for _, c := range label {
			s := scriptOf(c)
			if s != "" && !scripts[s] {
				scripts[s] = true
				order = append(order, s)
			}
			if l, ok := homoglyphs[c]; ok {
				sk.WriteRune(l)
				nonLatin = true
			} else {
				sk.WriteRune(c)
				if s != "" && s != "Latin" {
					allLookalike = false
					nonLatin = true
				}
			}
		}
		skeleton = append(skeleton, sk.String())
		switch {
		case len(order) > 1:
			fake = true
			why = append(why, fmt.Sprintf("%q mixes %s letters", label, strings.Join(order, " and ")))
		case nonLatin && allLookalike && len(order) == 1 && order[0] != "Latin":
			fake = true
			why = append(why, fmt.Sprintf("%q is %s letters that look Latin", label, order[0]))
		}
	}
	if !fake {
		return nil
	}
	return []Signal{flag(2, "IDN homograph: %s is shown as %s (%s); it imitates %s", name, uni, strings.Join(why, "; "), strings.Join(skeleton, "."))}
}
