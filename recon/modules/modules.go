// Package modules lists the Full Scan's module implementations explicitly,
// in display order. Nothing registers itself: adding a module means adding
// its New here and its declaration to recon.Modules (a test checks that
// both lists agree, in the same order).
package modules

import (
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/ctlog"
	"github.com/netspecter/netspecter-tui/recon/dnsmod"
	"github.com/netspecter/netspecter-tui/recon/geoip"
	"github.com/netspecter/netspecter-tui/recon/headers"
	"github.com/netspecter/netspecter-tui/recon/mail"
	"github.com/netspecter/netspecter-tui/recon/ports"
	"github.com/netspecter/netspecter-tui/recon/threat"
	"github.com/netspecter/netspecter-tui/recon/tlscert"
	"github.com/netspecter/netspecter-tui/recon/whoismod"
)

// All returns a new instance of every module of the Full Scan.
func All() []recon.Module {
	return []recon.Module{
		dnsmod.New(),
		whoismod.New(),
		tlscert.New(),
		geoip.New(),
		threat.New(),
		ports.New(),
		mail.New(),
		ctlog.New(),
		headers.New(),
	}
}
