package threat

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestLoadASNDrop(t *testing.T) {
	// The layout of https://www.spamhaus.org/drop/asndrop.json: one object a
	// line and a trailing metadata object (values here are made up).
	in := `{"asn":64500,"rir":"ripencc","domain":"bad.example","cc":"NL","asname":"BAD-AS"}
{"asn":64501,"rir":"arin","domain":"worse.example","cc":"US","asname":""}

{"type":"metadata","timestamp":1730000000,"size":1234,"records":2,"copyright":"(c) Spamhaus","terms":"https://www.spamhaus.org/drop/terms/"}
`
	m, err := LoadASNDrop(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m[64500] != "BAD-AS" || m[64501] != "worse.example" {
		t.Errorf("LoadASNDrop = %v", m)
	}
	for _, bad := range []string{
		`{"asn":"x"}`,
		`{"rir":"arin"}`,
		`not json`,
		`{"asn":-1}`,
		`{"asn":99999999999}`,
		strings.Repeat("x", 70<<10),
	} {
		if _, err := LoadASNDrop(strings.NewReader(bad)); !errors.Is(err, ErrASNDrop) {
			t.Errorf("LoadASNDrop(%.30q) = %v", bad, err)
		}
	}
}

// blankLines is an endless stream of long blank lines (cheap to scan).
type blankLines struct{ n int }

func (b *blankLines) Read(p []byte) (int, error) {
	for i := range p {
		b.n++
		if b.n%(60<<10) == 0 {
			p[i] = '\n'
		} else {
			p[i] = ' '
		}
	}
	return len(p), nil
}

func TestLoadASNDropBounded(t *testing.T) {
	_, err := LoadASNDrop(io.Reader(&blankLines{}))
	if !errors.Is(err, ErrASNDrop) || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("endless input: %v", err)
	}
}
