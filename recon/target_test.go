package recon_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestParseTarget(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	name253 := strings.Repeat(long63+".", 3) + strings.Repeat("b", 61)        // 3*64 + 61 = 253
	name254 := strings.Repeat(long63+".", 3) + strings.Repeat("b", 60) + ".c" // 254
	tests := []struct {
		in      string
		kind    recon.Kind
		value   string
		unicode string
		err     string // substring of the error; "" means success
	}{
		{in: "Example.COM.", kind: recon.KindDomain, value: "example.com"},
		{in: "  example.com  ", kind: recon.KindDomain, value: "example.com"},
		{in: "http://x.com/path", kind: recon.KindDomain, value: "x.com"},
		{in: "https://user@x.com:8443/a?b", kind: recon.KindDomain, value: "x.com"},
		{in: "x.com/path", kind: recon.KindDomain, value: "x.com"},
		{in: "x.com:8080", kind: recon.KindDomain, value: "x.com"},
		{in: "User@Example.COM", kind: recon.KindEmail, value: "user@example.com"},
		{in: "mailto:a@b.com", kind: recon.KindEmail, value: "a@b.com"},
		{in: "MAILTO:A@B.COM", kind: recon.KindEmail, value: "a@b.com"},
		{in: "bücher.de", kind: recon.KindDomain, value: "xn--bcher-kva.de", unicode: "bücher.de"},
		{in: "BÜCHER.de", kind: recon.KindDomain, value: "xn--bcher-kva.de", unicode: "bücher.de"},
		{in: "xn--bcher-kva.de", kind: recon.KindDomain, value: "xn--bcher-kva.de", unicode: "bücher.de"},
		{in: "info@bücher.de", kind: recon.KindEmail, value: "info@xn--bcher-kva.de", unicode: "info@bücher.de"},
		{in: "аpple.com", kind: recon.KindDomain, value: "xn--pple-43d.com", unicode: "аpple.com"}, // Cyrillic а
		{in: "_dmarc.example.com", kind: recon.KindDomain, value: "_dmarc.example.com"},
		{in: long63 + ".com", kind: recon.KindDomain, value: long63 + ".com"},
		{in: name253, kind: recon.KindDomain, value: name253},
		{in: name253 + ".", kind: recon.KindDomain, value: name253},
		{in: "[2001:db8::1]", kind: recon.KindIP, value: "2001:db8::1"},
		{in: "2001:4860:4860::8888", kind: recon.KindIP, value: "2001:4860:4860::8888"},
		{in: "2001:4860:4860:0:0:0:0:8888", kind: recon.KindIP, value: "2001:4860:4860::8888"},
		{in: "[2001:4860:4860::8888]:53", kind: recon.KindIP, value: "2001:4860:4860::8888"},
		{in: "8.8.8.8:53", kind: recon.KindIP, value: "8.8.8.8"},
		{in: "::ffff:8.8.8.8", kind: recon.KindIP, value: "8.8.8.8"},
		{in: "http://8.8.8.8/x", kind: recon.KindIP, value: "8.8.8.8"},

		{in: "", err: "empty input"},
		{in: "   \t ", err: "empty input"},
		{in: "foo..com", err: "empty label"},
		{in: ".foo.com", err: "starts with a dot"},
		{in: strings.Repeat("a", 64) + ".com", err: "64 characters; at most 63"},
		{in: name254, err: "254 characters; a domain name is at most 253"},
		{in: strings.Repeat("a", 3000), err: "characters long"},
		{in: "10.0.0.5", err: "private address"},
		{in: "127.0.0.1", err: "loopback address"},
		{in: "169.254.169.254", err: "link-local address"},
		{in: "::1", err: "loopback address"},
		{in: "[::1]:80", err: "loopback address"},
		{in: "http://127.0.0.1/", err: "loopback address"},
		{in: "fe80::1%eth0", err: "zone"},
		{in: "0.0.0.0", err: "unspecified"},
		{in: "100.64.1.1", err: "carrier-grade NAT"},
		{in: "localhost", err: "single label"},
		{in: "localhost.", err: "single label"},
		{in: "a b.com", err: "spaces or control characters"},
		{in: "a\x1b[2Jb.com", err: "control characters"},
		{in: "a\x00.com", err: "control characters"},
		{in: "a\x7f.com", err: "control characters"},
		{in: "0\xcb.A0", err: "not valid UTF-8"},
		{in: "-a.com", err: `label "-a" starts or ends with a hyphen`},
		{in: "a-.com", err: `label "a-" starts or ends with a hyphen`},
		{in: "1.2.3.4.5", err: "last label is numeric"},
		{in: "256.1.1.1", err: "last label is numeric"},
		{in: "a!b.com", err: "contains '!'"},
		{in: "@example.com", err: "nothing before the @"},
		{in: "a@b@c.com", err: "before the @ contains characters"},
		{in: strings.Repeat("u", 65) + "@x.com", err: "65 characters; at most 64"},
		{in: "user@foo..com", err: "domain part: has an empty label"},
		{in: "user@localhost", err: "domain part: is a single label"},
		{in: "http:///path", err: "no host name"},
		{in: "2001:db8::g", err: "not a valid IPv6 address"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := recon.ParseTarget(tc.in)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("ParseTarget(%q) = %+v, want an error containing %q", tc.in, got, tc.err)
				}
				if !errors.Is(err, recon.ErrBadTarget) {
					t.Errorf("error %v does not wrap ErrBadTarget", err)
				}
				var te *recon.TargetError
				if !errors.As(err, &te) {
					t.Errorf("error is %T, want *recon.TargetError", err)
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %q does not say %q", err, tc.err)
				}
				if got != (recon.Target{}) {
					t.Errorf("failed parse returned %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTarget(%q): %v", tc.in, err)
			}
			want := recon.Target{Kind: tc.kind, Value: tc.value, Unicode: tc.unicode}
			if got != want {
				t.Errorf("ParseTarget(%q) = %+v, want %+v", tc.in, got, want)
			}
		})
	}
}

func TestTargetDomain(t *testing.T) {
	for _, tc := range []struct {
		t    recon.Target
		want string
	}{
		{recon.Target{Kind: recon.KindDomain, Value: "x.com"}, "x.com"},
		{recon.Target{Kind: recon.KindEmail, Value: "a@x.com"}, "x.com"},
		{recon.Target{Kind: recon.KindIP, Value: "8.8.8.8"}, ""},
	} {
		if got := tc.t.Domain(); got != tc.want {
			t.Errorf("%+v.Domain() = %q, want %q", tc.t, got, tc.want)
		}
	}
}

// FuzzParseTarget: never panics; a success is normalised, so parsing its
// value (and its Unicode form) again gives the same target.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		"Example.COM.", "http://x.com/path", "https://user@x.com:8443/a?b", "User@Example.COM",
		"mailto:a@b.com", "bücher.de", "аpple.com", "[2001:db8::1]:53", "8.8.8.8:53", "fe80::1%eth0",
		"foo..com", "1.2.3.4.5", "a@b@c", "xn--bcher-kva.de", "_dmarc.x.com", "http://[::1]/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := recon.ParseTarget(s)
		if err != nil {
			if !errors.Is(err, recon.ErrBadTarget) {
				t.Fatalf("error %v does not wrap ErrBadTarget", err)
			}
			return
		}
		if got.Value == "" || got.Value != strings.ToLower(got.Value) {
			t.Fatalf("%q: value %q is empty or not lower case", s, got.Value)
		}
		again, err := recon.ParseTarget(got.Value)
		if err != nil || again != got {
			t.Fatalf("%q -> %+v, but re-parsing %q gives %+v, %v", s, got, got.Value, again, err)
		}
		if got.Unicode != "" {
			u, err := recon.ParseTarget(got.Unicode)
			if err != nil || u != got {
				t.Fatalf("%q -> %+v, but parsing its Unicode form gives %+v, %v", s, got, u, err)
			}
		}
	})
}

func TestICANNDomain(t *testing.T) {
	for _, tt := range []struct{ in, domain, platform string }{
		{"x.pages.dev", "pages.dev", "pages.dev"},
		{"a.b.pages.dev.", "pages.dev", "pages.dev"},
		{"Y.GitHub.io", "github.io", "github.io"},
		{"shop.blogspot.com", "blogspot.com", "blogspot.com"},
		{"www.example.co.uk", "example.co.uk", ""},
		{"ns1.nova-dns.net", "nova-dns.net", ""},
		{"nova-parcels.com", "nova-parcels.com", ""},
		{"pages.dev", "pages.dev", ""},
		{"com", "com", ""},
	} {
		d, p := recon.ICANNDomain(tt.in)
		if d != tt.domain || p != tt.platform {
			t.Errorf("ICANNDomain(%q) = %q, %q; want %q, %q", tt.in, d, p, tt.domain, tt.platform)
		}
	}
}
