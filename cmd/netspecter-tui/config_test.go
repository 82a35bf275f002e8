package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

func writeConfig(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	for _, env := range []string{"NETSPECTER_VIRUSTOTAL_KEY", "NETSPECTER_ABUSEIPDB_KEY", "NETSPECTER_CERTSPOTTER_KEY"} {
		t.Setenv(env, "")
	}
	tests := []struct {
		name     string
		body     string
		mode     os.FileMode
		explicit bool
		env      map[string]string
		wantErr  string
		warn     string
		check    func(t *testing.T, c *config)
	}{
		{name: "full", mode: 0o600, body: `resolver = "127.0.0.53:53"
timeout = "7s"
dnsbl_ip = ["zen.example"]
window_days = 3
[keys]
virustotal = "vt-from-file"
[rate_limits]
whois = 1`, check: func(t *testing.T, c *config) {
			if c.Resolver != "127.0.0.53:53" || c.Timeout.Duration != 7*time.Second || c.DNSBLIP[0] != "zen.example" || c.WindowDays != 3 || c.RateLimits["whois"] != 1 || c.Keys.VirusTotal != "vt-from-file" {
				t.Fatalf("config %+v", c)
			}
		}},
		{name: "environment wins", mode: 0o600, body: "[keys]\nabuseipdb = \"file\"\n", env: map[string]string{"NETSPECTER_ABUSEIPDB_KEY": "env"},
			check: func(t *testing.T, c *config) {
				if c.Keys.AbuseIPDB != "env" {
					t.Fatalf("key %q", c.Keys.AbuseIPDB)
				}
			}},
		{name: "unknown setting", mode: 0o600, body: "resolvr = \"x\"\n", wantErr: `unknown setting "resolvr"`},
		{name: "bad duration", mode: 0o600, body: "timeout = \"soon\"\n", wantErr: "bad duration"},
		{name: "keys readable by others", mode: 0o644, body: "[keys]\ncertspotter = \"k\"\n", warn: "chmod 600"},
		{name: "readable without keys is fine", mode: 0o644, body: "resolver = \"127.0.0.1:53\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			p := writeConfig(t, tt.body, tt.mode)
			var warn bytes.Buffer
			c, err := loadConfig(p, true, &warn)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.warn == "" && warn.Len() > 0 || tt.warn != "" && !strings.Contains(warn.String(), tt.warn) {
				t.Fatalf("warning %q, want %q", warn.String(), tt.warn)
			}
			if strings.Contains(warn.String(), "k\"") {
				t.Fatal("the warning shows a key")
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
	if _, err := loadConfig(filepath.Join(t.TempDir(), "absent.toml"), false, &bytes.Buffer{}); err != nil {
		t.Fatalf("an absent default config is fine: %v", err)
	}
	if _, err := loadConfig(filepath.Join(t.TempDir(), "absent.toml"), true, &bytes.Buffer{}); err == nil {
		t.Fatal("an absent --config file must be an error")
	}
}

// TestRealEnvIsGuarded: real mode resolves through the configured resolver
// only and refuses non-public addresses. The resolver here is a dead
// loopback port, so nothing leaves the machine.
func TestRealEnvIsGuarded(t *testing.T) {
	env, err := realEnv(options{resolver: "127.0.0.1:1", geoipDir: t.TempDir()}, &config{})
	if err != nil {
		t.Fatal(err)
	}
	if env.Lab || env.Resolver != "127.0.0.1:1" || env.WhoisServer != recon.DefaultWhoisServer || env.CertspotterURL != recon.DefaultCertspotterURL {
		t.Fatalf("real env %+v", env)
	}
	for _, addr := range []string{"127.0.0.1:443", "10.0.0.5:80", "169.254.169.254:80", "[::1]:443"} {
		if _, err := env.Dial(context.Background(), "tcp", addr); !errors.Is(err, recon.ErrNonPublic) {
			t.Errorf("dial %s: %v, want ErrNonPublic", addr, err)
		}
	}
	if env2, err := realEnv(options{resolver: "127.0.0.1"}, &config{}); err != nil || env2.Resolver != "127.0.0.1:53" {
		t.Fatalf("a resolver without a port gets :53: %v %v", env2, err)
	}
}
