package recon_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
)

func TestCheckPublicEmbeddedIPv4(t *testing.T) {
	tests := []struct {
		addr string
		want string // "" public, else a part of the reason
	}{
		// IPv4 and plain IPv6, for reference.
		{"8.8.8.8", ""},
		{"169.254.169.254", "link-local"},
		{"2606:4700::1111", ""},
		// NAT64 well-known prefix (RFC 6052).
		{"64:ff9b::a9fe:a9fe", "link-local (169.254.169.254 via NAT64)"},
		{"64:ff9b::7f00:1", "loopback (127.0.0.1 via NAT64)"},
		{"64:ff9b::10.1.2.3", "private (10.1.2.3 via NAT64)"},
		{"64:ff9b::192.168.0.1", "private"},
		{"64:ff9b::100.64.0.1", "carrier-grade NAT"},
		{"64:ff9b::0.0.0.0", "unspecified (0.0.0.0 via NAT64)"},
		{"64:ff9b::8.8.8.8", ""},
		// Local-use NAT64 (RFC 8215): the operator's own network, always refused.
		{"64:ff9b:1::a9fe:a9fe", "local-use NAT64"},
		{"64:ff9b:1::808:808", "local-use NAT64"},
		// 6to4 (RFC 3056): IPv4 in bits 16-47.
		{"2002:7f00:1::1", "loopback (127.0.0.1 via 6to4)"},
		{"2002:a9fe:a9fe::", "link-local (169.254.169.254 via 6to4)"},
		{"2002:c0a8:101:1::1", "private (192.168.1.1 via 6to4)"},
		{"2002:808:808::1", ""},
		// Teredo (RFC 4380): server in bits 32-63, client XOR-ed in bits 96-127.
		{"2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback (127.0.0.1 via Teredo client)"},
		{"2001:0:4136:e378:8000:63bf:5601:5656", "link-local (169.254.169.169 via Teredo client)"},
		{"2001:0:4136:e378:8000:63bf:f5fe:fefe", "private (10.1.1.1 via Teredo client)"},
		{"2001:0:a00:1:8000:63bf:f7f7:f7f7", "private (10.0.0.1 via Teredo server)"},
		{"2001:0:4136:e378:8000:63bf:f7f7:f7f7", ""}, // client 8.8.8.8, server 65.54.227.120
		// IPv4-compatible (deprecated ::/96).
		{"::127.0.0.2", "loopback (127.0.0.2 via IPv4-compatible IPv6)"},
		{"::a9fe:a9fe", "link-local (169.254.169.254 via IPv4-compatible IPv6)"},
		{"::10.0.0.1", "private"},
		{"::1", "loopback"},
		{"::", "unspecified"},
		// IPv4-mapped and IPv4-translated (RFC 2765).
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::ffff:0:127.0.0.1", "loopback (127.0.0.1 via IPv4-translated IPv6)"},
		{"::ffff:0:a9fe:a9fe", "link-local (169.254.169.254 via IPv4-translated IPv6)"},
		{"::ffff:0:8.8.8.8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			a := netip.MustParseAddr(tt.addr)
			err := recon.CheckPublic(a)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("recon.CheckPublic(%s) = %v, want public", tt.addr, err)
			case tt.want != "" && err == nil:
				t.Fatalf("recon.CheckPublic(%s) = nil, want a refusal (%s)", tt.addr, tt.want)
			case tt.want != "" && (!errors.Is(err, recon.ErrNonPublic) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("recon.CheckPublic(%s) = %v, want ErrNonPublic saying %q", tt.addr, err, tt.want)
			}
		})
	}
}

func TestGuardedDialerRefusesEmbeddedIPv4(t *testing.T) {
	dialed := false
	d := recon.GuardedDialer(nil, func(context.Context, string) ([]netip.Addr, error) {
		dialed = true
		return []netip.Addr{netip.MustParseAddr("64:ff9b::a9fe:a9fe")}, nil
	})
	for _, addr := range []string{"[64:ff9b::a9fe:a9fe]:80", "[2002:7f00:1::1]:443", "metadata.example:80"} {
		c, err := d(context.Background(), "tcp", addr)
		if err == nil {
			c.Close()
			t.Fatalf("%s: dialled", addr)
		}
		if !errors.Is(err, recon.ErrNonPublic) {
			t.Errorf("%s: %v, want ErrNonPublic", addr, err)
		}
	}
	if !dialed {
		t.Error("the host name was not resolved through the injected resolver")
	}
}
