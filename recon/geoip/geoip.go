package geoip

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/netspecter/netspecter-tui/recon"
)

// Source names in recon.IPGeo.Sources.
const (
	SourceMMDB  = "mmdb"
	SourceCymru = "cymru"
)

// maxParallel bounds the addresses looked up at once.
const maxParallel = 8

type module struct{}

// New returns the geoip module.
func New() recon.Module { return module{} }

func (module) ID() string                { return recon.ModuleGeoIP }
func (module) Touch() recon.Touch        { return recon.MustInfo(recon.ModuleGeoIP).Touch }
func (module) Applies(k recon.Kind) bool { return recon.MustInfo(recon.ModuleGeoIP).Applies(k) }

// Run looks up every address of the target in the databases and in Team
// Cymru's DNS zones and merges the answers.
func (module) Run(ctx context.Context, run *recon.Run) *recon.ModuleResult {
	env := run.Env
	facts := &recon.GeoFacts{IPs: []recon.IPGeo{}}
	addrs, err := run.Addrs(ctx)
	if err != nil && len(addrs) == 0 {
		return recon.Failed(fmt.Errorf("no address to locate: %w", err), facts)
	}
	facts.IPs = make([]recon.IPGeo, len(addrs))
	cymruErrs := make([]error, len(addrs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallel)
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			facts.IPs[i], cymruErrs[i] = locate(ctx, run, a)
		}()
	}
	wg.Wait()

	var pivots []recon.Pivot
	answered := 0
	for _, g := range facts.IPs {
		if len(g.Sources) > 0 {
			answered++
		}
		if g.ASN != 0 {
			pivots = append(pivots, recon.Pivot{Kind: recon.PivotASN, Value: fmt.Sprintf("AS%d", g.ASN), Relation: recon.RelASN})
		}
		if g.Network != "" {
			pivots = append(pivots, recon.Pivot{Kind: recon.PivotNetwork, Value: g.Network, Relation: recon.RelNetwork})
		}
	}
	if env.GeoIP == nil || env.GeoIP.City == nil {
		facts.Hint = Hint
	}
	if answered == 0 && len(addrs) > 0 {
		// Neither source knew anything. When Cymru failed (rather than
		// saying "no route"), that is an error, not an empty result.
		var failures []string
		for i, e := range cymruErrs {
			if e != nil && !errors.Is(e, ErrNoOrigin) && !errors.Is(e, errSkipped) {
				failures = append(failures, addrs[i].String()+": "+e.Error())
			}
		}
		if len(failures) > 0 {
			facts.Hint = Hint
			return recon.Failed(fmt.Errorf("Team Cymru DNS did not answer (%s); check --resolver, or add a GeoLite2 database", strings.Join(failures, "; ")), facts)
		}
	}
	return recon.OK(facts, pivots...)
}

var errSkipped = errors.New("geoip: address not sent to Team Cymru")

// locate merges the databases' and Cymru's answers for one address. The
// error is Cymru's (nil when it answered).
func locate(ctx context.Context, run *recon.Run, a netip.Addr) (recon.IPGeo, error) {
	a = a.Unmap()
	env := run.Env
	g, fromDB := LookupDB(env.GeoIP, a)
	if fromDB {
		g.Sources = append(g.Sources, SourceMMDB)
	}
	if !env.Lab && recon.NonPublicReason(a) != "" {
		// A private or reserved address has no route; do not tell a third
		// party about the analyst's network.
		return g, errSkipped
	}
	o, err := Cymru(ctx, run.Lookup, env, a)
	if err != nil {
		return g, err
	}
	g.Sources = append(g.Sources, SourceCymru)
	merge(&g, o)
	return g, nil
}

// merge adds Cymru's origin to what the databases gave: the live BGP origin
// and prefix win for ASN and network; the database's organisation name is
// kept when it describes the same ASN; country and city stay the database's.
func merge(g *recon.IPGeo, o Origin) {
	if o.ASN != 0 {
		if g.ASN != o.ASN {
			g.ASOrg = ""
		}
		g.ASN = o.ASN
	}
	if g.ASOrg == "" {
		g.ASOrg = o.Name
	}
	if o.Prefix != "" {
		g.Network = o.Prefix
	}
	if g.CountryCode == "" {
		g.CountryCode = o.CC
	}
	g.Registry = o.Registry
	g.Allocated = o.Allocated
}
