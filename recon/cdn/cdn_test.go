package cdn

import "testing"

func TestProviderString(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"104.21.32.1", "cloudflare"},
		{"172.67.1.1", "cloudflare"},
		{"2606:4700::6810:1", "cloudflare"},
		{"185.220.101.47", ""},
		{"8.8.8.8", ""},
		{"not-an-ip", ""},
	}
	for _, tt := range tests {
		if got := ProviderString(tt.ip); got != tt.want {
			t.Errorf("ProviderString(%s) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}
