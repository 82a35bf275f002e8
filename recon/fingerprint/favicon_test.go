package fingerprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestMurmur3Vectors checks MurmurHash3_x86_32 against published values:
// Python mmh3's README (mmh3.hash("foo") == -156908512) and the table of
// dromozoa-commons' test_murmur_hash3.lua (seed 0, "" .. "abcdefghi", every
// tail length and two full blocks).
func TestMurmur3Vectors(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
	}{
		{"", 0},
		{"a", 1009084850},
		{"ab", 2613040991},
		{"abc", 3017643002},
		{"abcd", 1139631978},
		{"abcde", 3902511862},
		{"abcdef", 1635893381},
		{"abcdefg", 2285673222},
		{"abcdefgh", 1239272644},
		{"abcdefghi", 1108608752},
		{"foo", uint32(0xf6a5c420)}, // -156908512 as int32
	}
	for _, tc := range tests {
		if got := Murmur3([]byte(tc.in), 0); got != tc.want {
			t.Errorf("Murmur3(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if got := int32(Murmur3([]byte("foo"), 0)); got != -156908512 {
		t.Errorf("signed Murmur3(foo) = %d, want -156908512 (mmh3 README)", got)
	}
	if Murmur3([]byte("foo"), 1) == Murmur3([]byte("foo"), 0) {
		t.Error("the seed changes nothing")
	}
}

// TestEncodeBytes checks the Python base64.encodebytes layout Shodan
// hashes: 76 characters a line, each line ending in "\n", the last too.
func TestEncodeBytes(t *testing.T) {
	tests := []struct {
		n     int
		lines []int // lengths of the lines
	}{
		{0, nil},
		{1, []int{4}},
		{57, []int{76}},              // exactly one full line
		{58, []int{76, 4}},           // one byte more starts a second line
		{114, []int{76, 76}},         // two full lines
		{200, []int{76, 76, 76, 40}}, // 268 base64 characters
	}
	for _, tc := range tests {
		out := EncodeBytes(bytes.Repeat([]byte{0xfb}, tc.n))
		if tc.n == 0 {
			if len(out) != 0 {
				t.Errorf("EncodeBytes(empty) = %q, want empty", out)
			}
			continue
		}
		if !bytes.HasSuffix(out, []byte("\n")) {
			t.Errorf("%d bytes: no trailing newline", tc.n)
		}
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(lines) != len(tc.lines) {
			t.Fatalf("%d bytes: %d lines, want %d", tc.n, len(lines), len(tc.lines))
		}
		for i, l := range lines {
			if len(l) != tc.lines[i] {
				t.Errorf("%d bytes: line %d has %d characters, want %d", tc.n, i, len(l), tc.lines[i])
			}
		}
	}
}

// TestShodanHashPublished hashes a favicon whose Shodan hash is published.
//
// The icon is Apache Tomcat's stock favicon.ico (testdata/README.md: from
// Debian's tomcat10-admin package). Its http.favicon.hash, -297069493, is
// published in FavFreak's fingerprint table (github.com/devanshbatham/FavFreak,
// favfreak.py: `-297069493:"Apache Tomcat"`) and is the usual Shodan dork
// for Tomcat (`http.favicon.hash:-297069493`).
func TestShodanHashPublished(t *testing.T) {
	b, err := os.ReadFile("testdata/tomcat-favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "64a3170a912786e9eece7e347b58f36471cb9d0bc790697b216c61050e6b1f08" {
		t.Fatalf("testdata icon changed: sha256 %s", got)
	}
	if got := ShodanHash(b); got != -297069493 {
		t.Errorf("ShodanHash(tomcat favicon) = %d, want -297069493 (published)", got)
	}
	if got := DefaultFavicon(ShodanHash(b)); got != "Apache Tomcat" {
		t.Errorf("DefaultFavicon = %q, want Apache Tomcat", got)
	}
	// One byte more is another icon.
	if ShodanHash(append(b, 0)) == -297069493 {
		t.Error("a changed icon keeps the hash")
	}
}
