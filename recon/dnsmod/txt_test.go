package dnsmod

import "testing"

// TestTXTBytes: TXT values are stored as the bytes that came from the
// network, not in miekg/dns's escaped presentation form.
func TestTXTBytes(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{[]string{"v=spf1 ", "-all"}, "v=spf1 -all"},
		{[]string{`\027[2J\027]0;pwned\007`}, "\x1b[2J\x1b]0;pwned\x07"},
		{[]string{`say \"hi\" \\ \255\000`}, "say \"hi\" \\ \xff\x00"},
		{[]string{`\208\176pple`}, "аpple"},
		{[]string{`trailing\`, `\99`, `\999`}, `trailing\99` + "999"},
	} {
		if got := TXTBytes(tt.in); got != tt.want {
			t.Errorf("TXTBytes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
