package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/netspecter/netspecter-tui/recon"
)

// config is the TOML configuration file (XDG config folder, or --config).
type config struct {
	Resolver      string             `toml:"resolver"`
	Proxy         string             `toml:"proxy"` // http:// or socks5:// URL
	Timeout       duration           `toml:"timeout"`
	GeoIPDir      string             `toml:"geoip_dir"`
	ASNDrop       string             `toml:"asn_drop"` // Spamhaus ASN-DROP JSON-lines file
	DNSBLDomain   []string           `toml:"dnsbl_domain"`
	DNSBLIP       []string           `toml:"dnsbl_ip"`
	PassiveStrict bool               `toml:"passive_strict"`
	Concurrency   int                `toml:"concurrency"`
	Keys          recon.Keys         `toml:"keys"`
	RateLimits    map[string]float64 `toml:"rate_limits"` // requests per second per service
	WindowDays    int                `toml:"window_days"`
}

type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("bad duration %q (use e.g. 20s)", b)
	}
	d.Duration = v
	return nil
}

// defaultConfigPath is $XDG_CONFIG_HOME/netspecter-tui/config.toml.
func defaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "netspecter-tui", "config.toml")
}

// stateDir is $XDG_STATE_HOME/netspecter-tui (autosaves).
func stateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "netspecter-tui")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "netspecter-tui")
	}
	return filepath.Join(home, ".local", "state", "netspecter-tui")
}

// loadConfig reads the config file (absent is fine unless explicit), then
// the API keys from the environment, which win. warn receives warnings
// (a key file readable by others).
func loadConfig(path string, explicit bool, warn io.Writer) (*config, error) {
	c := &config{}
	if path != "" {
		f, err := os.Open(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		case err != nil:
			return nil, fmt.Errorf("config %s: %w", path, err)
		default:
			defer f.Close()
			md, err := toml.NewDecoder(io.LimitReader(f, 1<<20)).Decode(c)
			if err != nil {
				return nil, fmt.Errorf("config %s: %w", path, err)
			}
			if und := md.Undecoded(); len(und) > 0 {
				return nil, fmt.Errorf("config %s: unknown setting %q (see README, Configuration)", path, und[0].String())
			}
			if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 && len(c.Keys.Loaded()) > 0 {
				fmt.Fprintf(warn, "warning: %s holds API keys and is readable by other users; run: chmod 600 %s\n", path, path)
			}
		}
	}
	for env, dst := range map[string]*string{
		"NETSPECTER_VIRUSTOTAL_KEY":   &c.Keys.VirusTotal,
		"NETSPECTER_ABUSEIPDB_KEY":    &c.Keys.AbuseIPDB,
		"NETSPECTER_CERTSPOTTER_KEY":  &c.Keys.Certspotter,
		"NETSPECTER_SPAMHAUS_DQS_KEY": &c.Keys.SpamhausDQS,
	} {
		if v := os.Getenv(env); v != "" {
			*dst = v
		}
	}
	return c, nil
}
