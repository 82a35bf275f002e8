package diff

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/pivot"
)

// FuzzDiff compares two arbitrary session files: loading may fail, but a
// loaded pair never panics, its JSON is valid and its Markdown holds no
// control character, no raw HTML and no row with a stray cell.
func FuzzDiff(f *testing.F) {
	evil := parcels.with(func(d *site) { d.registrar = "a|b\n<i>x</i>\x1b[2J"; d.sans = append(d.sans, "x]\n(y") })
	for _, pair := range [][2]*pivot.Session{
		{session(t0, parcels), session(t0, movedParcels)},
		{session(t0, parcels, tracking), session(t0, evil, tracking)},
	} {
		a, _ := pivot.Marshal(pair[0])
		b, _ := pivot.Marshal(pair[1])
		f.Add(a, b)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, err := pivot.Unmarshal(a)
		if err != nil {
			return
		}
		new, err := pivot.Unmarshal(b)
		if err != nil {
			return
		}
		r := Compare(old, new)
		var js, md, txt bytes.Buffer
		if err := WriteJSON(&js, r); err != nil || !json.Valid(js.Bytes()) {
			t.Fatalf("JSON: %v\n%s", err, js.Bytes())
		}
		if err := WriteMarkdown(&md, r); err != nil {
			t.Fatal(err)
		}
		if err := WriteText(&txt, r, 0); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{md.String(), txt.String()} {
			for _, c := range out {
				if c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0 {
					t.Fatalf("control character %U in\n%q", c, out)
				}
			}
		}
		if strings.Contains(md.String(), "<") {
			t.Fatalf("raw < in Markdown:\n%s", md.String())
		}
		for _, block := range strings.Split(md.String(), "\n\n") {
			lines := strings.Split(strings.TrimSpace(block), "\n")
			if !strings.HasPrefix(lines[0], "| ") {
				continue
			}
			for _, l := range lines {
				if pipes(l) != pipes(lines[0]) {
					t.Fatalf("row %q has a stray cell", l)
				}
			}
		}
	})
}
