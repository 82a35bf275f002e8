// Package truth checks the tool's conclusions against investigation worlds
// whose expected clusters and verdicts were written before they were run
// (testdata/lab/truth: X.json is a lab world, X.expect.json what an analyst
// should conclude from it). It scans every root of each world in the lab,
// builds the session's clusters and compares.
package truth

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// Expect is what an analyst should conclude from one world.
type Expect struct {
	About string `json:"about"`
	// Roots are the domains scanned (each a root of one session).
	Roots []string `json:"roots"`
	// Clusters are the expected groups (members, any order).
	Clusters [][]string `json:"clusters"`
	// Verdicts are the expected levels per domain.
	Verdicts map[string]recon.Level `json:"verdicts"`
	// Mentions are words the domain's assessment (why and signals) must
	// hold; a missing mention makes the verdict wrong.
	Mentions map[string][]string `json:"mentions"`
}

// Result is the comparison of one or more worlds.
type Result struct {
	ClustersWant, ClustersFound int // expected clusters, and those found exactly
	FalseClusters               int // clusters found that no expectation names
	VerdictsWant, VerdictsRight int
	// Problems lists every mismatch in words.
	Problems []string
}

// Add sums another result into r.
func (r *Result) Add(o Result) {
	r.ClustersWant += o.ClustersWant
	r.ClustersFound += o.ClustersFound
	r.FalseClusters += o.FalseClusters
	r.VerdictsWant += o.VerdictsWant
	r.VerdictsRight += o.VerdictsRight
	r.Problems = append(r.Problems, o.Problems...)
}

// String is the summary line: "clusters found X/Y, false clusters Z, verdicts A/B".
func (r Result) String() string {
	return fmt.Sprintf("clusters found %d/%d, false clusters %d, verdicts %d/%d",
		r.ClustersFound, r.ClustersWant, r.FalseClusters, r.VerdictsRight, r.VerdictsWant)
}

// OK reports whether the result meets the bar: every cluster found, no
// false cluster, at least 95 % of the verdicts right.
func (r Result) OK() bool {
	return r.ClustersFound == r.ClustersWant && r.FalseClusters == 0 &&
		float64(r.VerdictsRight) >= 0.95*float64(r.VerdictsWant)
}

// Worlds lists the world files of dir (X.json with an X.expect.json).
func Worlds(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.expect.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range m {
		out = append(out, strings.TrimSuffix(e, ".expect.json")+".json")
	}
	sort.Strings(out)
	return out, nil
}

// Check runs one world and compares it with its expectations.
func Check(ctx context.Context, world string) (Result, *pivot.Session, error) {
	var res Result
	b, err := os.ReadFile(strings.TrimSuffix(world, ".json") + ".expect.json")
	if err != nil {
		return res, nil, err
	}
	var exp Expect
	if err := json.Unmarshal(b, &exp); err != nil {
		return res, nil, fmt.Errorf("%s: %w", world, err)
	}
	w, err := lab.LoadWorldFile(world)
	if err != nil {
		return res, nil, err
	}
	l, err := lab.Start(ctx, w, lab.Options{})
	if err != nil {
		return res, nil, err
	}
	defer l.Close()
	sc := recon.NewScanner(l.Env(), modules.All())
	now := time.Now()
	s := pivot.NewSession(now)
	reports := make([]*recon.Report, len(exp.Roots))
	var wg sync.WaitGroup
	for i, d := range exp.Roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t, err := recon.ParseTarget(d)
			if err != nil {
				return
			}
			reports[i] = sc.Scan(ctx, t, recon.ScanOptions{})
		}()
	}
	wg.Wait()
	for i, d := range exp.Roots {
		if reports[i] == nil {
			return res, nil, fmt.Errorf("%s: bad root %q", world, d)
		}
		n := s.AddRoot(reports[i].Target)
		s.Attach(n.ID, reports[i], now)
	}
	name := filepath.Base(world)

	// Clusters: an expected cluster is found when one cluster has exactly
	// its members; every other cluster is false.
	got := s.Clusters()
	matched := make([]bool, len(got))
	res.ClustersWant = len(exp.Clusters)
	for _, want := range exp.Clusters {
		want = slices.Clone(want)
		slices.Sort(want)
		found := false
		for i, c := range got {
			if slices.Equal(c.Members, want) {
				found, matched[i] = true, true
			}
		}
		if found {
			res.ClustersFound++
		} else {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: cluster %v not found (clusters: %s)", name, want, describe(got)))
		}
	}
	for i, c := range got {
		if !matched[i] {
			res.FalseClusters++
			res.Problems = append(res.Problems, fmt.Sprintf("%s: false cluster %v sharing %s", name, c.Members, evidence(c)))
		}
	}

	// Verdicts.
	domains := make([]string, 0, len(exp.Verdicts))
	for d := range exp.Verdicts {
		domains = append(domains, d)
	}
	sort.Strings(domains)
	for _, d := range domains {
		want := exp.Verdicts[d]
		res.VerdictsWant++
		e := s.Entity(pivot.KeyOf(recon.PivotDomain, d))
		if e == nil || e.Scan == nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %s was not scanned", name, d))
			continue
		}
		a := e.Scan.Assessment
		text := a.Why
		for _, sg := range a.Signals {
			text += "\n" + sg.Text
		}
		var missing []string
		for _, m := range exp.Mentions[d] {
			if !strings.Contains(text, m) {
				missing = append(missing, m)
			}
		}
		if a.Level == want && len(missing) == 0 {
			res.VerdictsRight++
			continue
		}
		res.Problems = append(res.Problems, fmt.Sprintf("%s: %s is %s (%s), want %s; missing mentions %q", name, d, a.Level, a.Why, want, missing))
	}
	return res, s, nil
}

func describe(cs []pivot.Cluster) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprint(c.Members))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " ")
}

func evidence(c pivot.Cluster) string {
	var out []string
	for _, e := range c.Evidence {
		out = append(out, fmt.Sprintf("%s (%.2g)", e.Key, e.Weight))
	}
	return strings.Join(out, ", ")
}
