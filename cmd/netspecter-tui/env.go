package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"

	"github.com/miekg/dns"
	"golang.org/x/crypto/x509roots/fallback/bundle"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/geoip"
	"github.com/netspecter/netspecter-tui/recon/headers"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
	"github.com/netspecter/netspecter-tui/recon/threat"
)

// world is what a command runs against: the scanner, and how to tear it down.
type world struct {
	scanner    *recon.Scanner
	cfg        *config
	configPath string
	label      string // "demo world (lab)", "lab: FILE", or "" in real mode
	// labTargets are the lab world's domains, then its IP addresses
	// (sorted); nil in real mode.
	labTargets []string
	close      func()
}

// setup builds the Env (lab or real) from the flags and config and returns
// a scanner over every module.
func setup(ctx context.Context, o options, stderr io.Writer) (*world, error) {
	path, explicit := o.configPath, o.configPath != ""
	if !explicit {
		path = defaultConfigPath()
	}
	cfg, err := loadConfig(path, explicit, stderr)
	if err != nil {
		return nil, err
	}
	w := &world{cfg: cfg, configPath: path, close: func() {}}
	var env *recon.Env
	if o.demo || o.world != "" {
		var wd *lab.World
		if o.demo {
			wd = lab.Demo()
			w.label = "demo world (lab)"
		} else {
			wd, err = lab.LoadWorldFile(o.world)
			if err != nil {
				return nil, err
			}
			w.label = "lab: " + o.world
		}
		w.labTargets = worldTargets(wd)
		if o.proxy != "" {
			return nil, fmt.Errorf("--proxy does not apply to the lab (--demo or --world): the lab never leaves this machine")
		}
		faults, err := lab.ParseFaults(o.faults)
		if err != nil {
			return nil, fmt.Errorf("--faults: %w", err)
		}
		l, err := lab.Start(ctx, wd, lab.Options{Latency: o.latency, Faults: faults})
		if err != nil {
			return nil, fmt.Errorf("starting the lab: %w", err)
		}
		w.close = func() { l.Close() }
		env = l.Env()
	} else {
		if o.latency != 0 || o.faults != "" {
			return nil, fmt.Errorf("--latency and --faults only apply to the lab (--demo or --world)")
		}
		env, err = realEnv(o, cfg)
		if err != nil {
			return nil, err
		}
	}
	// Settings that apply in both modes.
	env.Keys = cfg.Keys
	if cfg.Timeout.Duration > 0 {
		env.Limits.ModuleTimeout = cfg.Timeout.Duration
	}
	if o.timeout > 0 {
		env.Limits.ModuleTimeout = o.timeout
	}
	env.PassiveStrict = o.passiveStrict || cfg.PassiveStrict
	if len(cfg.RateLimits) > 0 {
		lim := recon.DefaultRateLimits()
		for k, v := range cfg.RateLimits {
			lim[k] = v
		}
		env.Sources = recon.NewSources(lim)
	}
	w.scanner = recon.NewScanner(env, modules.All())
	return w, nil
}

// realEnv points every module at the public services, through the guarded
// dialer (no connection to non-public addresses) and the configured resolver.
func realEnv(o options, cfg *config) (*recon.Env, error) {
	env := recon.Defaults()
	env.Resolver = o.resolver
	if env.Resolver == "" {
		env.Resolver = cfg.Resolver
	}
	if env.Resolver == "" {
		cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil || len(cc.Servers) == 0 {
			return nil, fmt.Errorf("no DNS resolver: /etc/resolv.conf has none; give --resolver host:port")
		}
		env.Resolver = net.JoinHostPort(cc.Servers[0], cc.Port)
	} else if _, doh := recon.DoHURL(env.Resolver); doh {
		// DNS over HTTPS: asked through the HTTP client (and the proxy).
	} else if strings.HasPrefix(env.Resolver, "http://") {
		return nil, fmt.Errorf("--resolver %s: DNS over HTTPS needs https://", recon.Quote(env.Resolver))
	} else if _, _, err := net.SplitHostPort(env.Resolver); err != nil {
		env.Resolver = net.JoinHostPort(env.Resolver, "53")
	}
	if len(cfg.DNSBLDomain) > 0 {
		env.DNSBLDomain = cfg.DNSBLDomain
	}
	if len(cfg.DNSBLIP) > 0 {
		env.DNSBLIP = cfg.DNSBLIP
	}
	if db, err := geoip.Open(geoDirs(o, cfg)...); err == nil {
		env.GeoIP = db
	}
	if cfg.ASNDrop != "" {
		f, err := os.Open(cfg.ASNDrop)
		if err != nil {
			return nil, fmt.Errorf("asn_drop: %w", err)
		}
		m, err := threat.LoadASNDrop(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("asn_drop %s: %w", cfg.ASNDrop, err)
		}
		env.AbuseASNs, env.AbuseASNSource = m, "Spamhaus ASN-DROP ("+cfg.ASNDrop+")"
	}
	env.PublicRoots = publicRoots()
	if err := env.UseNetwork(recon.NetworkOptions{Proxy: firstNonEmpty(o.proxy, cfg.Proxy), ProxyFromEnv: true, Getenv: os.Getenv}); err != nil {
		return nil, err
	}
	return env, nil
}

// geoDirs are the folders searched for GeoIP databases: --geoip-dir or the
// config's geoip_dir, else the usual folders.
func geoDirs(o options, cfg *config) []string {
	if d := firstNonEmpty(o.geoipDir, cfg.GeoIPDir); d != "" {
		return []string{d}
	}
	return geoip.DefaultDirs()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// worldTargets lists a lab world's domains and then its IP addresses,
// each sorted, for the workbench's target prompt.
func worldTargets(wd *lab.World) []string {
	var doms, ips []string
	for d := range wd.Domains {
		doms = append(doms, d)
	}
	for ip := range wd.IPs {
		ips = append(ips, ip)
	}
	slices.Sort(doms)
	slices.Sort(ips)
	return append(doms, ips...)
}

// publicRoots is the public web PKI (Mozilla's root store, as shipped in
// golang.org/x/crypto/x509roots/fallback/bundle): a chain the machine
// trusts but these roots do not ends in a private root, a TLS-inspecting
// proxy's.
func publicRoots() *x509.CertPool {
	p := x509.NewCertPool()
	for r := range bundle.Roots() {
		c, err := x509.ParseCertificate(r.Certificate)
		if err != nil {
			continue
		}
		if r.Constraint == nil {
			p.AddCert(c)
		} else {
			p.AddCertWithConstraint(c, r.Constraint)
		}
	}
	return p
}

// warmFingerprints starts compiling the headers module's technology
// fingerprints in the background when the command is about to scan with
// that module (not under --passive-strict, not when --modules leaves it
// out): the compile (~0.3 s of CPU) then overlaps the lab's start, the
// session's load and the first fetch instead of delaying the first report.
// The workbench does not call it: its first frame comes first, and its
// first scan starts the compile (headers.Warm).
func warmFingerprints(o options, only []string) {
	if o.passiveStrict || len(only) > 0 && !slices.Contains(only, recon.ModuleHeaders) {
		return
	}
	headers.Warm()
}
