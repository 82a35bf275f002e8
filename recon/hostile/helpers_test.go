package hostile

import (
	"context"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// worldFile is the hostile world, relative to this package.
var worldFile = filepath.Join("..", "..", "testdata", "lab", "hostile.json")

// Short limits: every hostile case must end within them.
const (
	moduleTimeout = 3 * time.Second
	// cliTimeout is the module timeout of the CLI runs, which check what is
	// printed and saved, not how fast: each process builds its technology
	// index (~0.3 s of CPU, more on a busy 2-core machine), which the first
	// headers module may wait for.
	cliTimeout = 10 * time.Second
	dnsTimeout = time.Second
)

// loadWorld reads a fresh copy of the hostile world.
func loadWorld(t testing.TB) *lab.World {
	t.Helper()
	w, err := lab.LoadWorldFile(worldFile)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// startLab starts a lab for w and closes it when the test ends.
func startLab(t testing.TB, w *lab.World, opts lab.Options) *lab.Lab {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = time.Now().UTC().Truncate(time.Second)
	}
	l, err := lab.Start(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// shortLimits sets the test's short timeouts on env.
func shortLimits(env *recon.Env) {
	env.Limits.ModuleTimeout = moduleTimeout
	env.Limits.DNSTimeout = dnsTimeout
}

// domains lists the world's domains, sorted.
func domains(w *lab.World) []string {
	var out []string
	for d := range w.Domains {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// target parses s or fails the test.
func target(t testing.TB, s string) recon.Target {
	t.Helper()
	tg, err := recon.ParseTarget(s)
	if err != nil {
		t.Fatalf("ParseTarget(%q): %v", s, err)
	}
	return tg
}

// scanAll scans every target concurrently with every module.
func scanAll(env *recon.Env, targets []recon.Target) map[string]*recon.Report {
	sc := recon.NewScanner(env, modules.All())
	out := map[string]*recon.Report{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, tg := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep := sc.Scan(context.Background(), tg, recon.ScanOptions{})
			mu.Lock()
			out[tg.Value] = rep
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// heapPeak samples the live heap until stop is called and returns the
// highest HeapAlloc seen.
func heapPeak() (stop func() uint64) {
	done := make(chan struct{})
	res := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-done:
				res <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-res }
}
