package hostile

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
	"github.com/netspecter/netspecter-tui/recon/modules"
)

// TestBoundedReads: the 20 MB WHOIS answer, the 1 GB CT answer and the
// 5,000-SAN certificate are read only up to the limits.
func TestBoundedReads(t *testing.T) {
	w := loadWorld(t)
	l := startLab(t, w, lab.Options{})
	env := l.Env()
	shortLimits(env)
	// The bound is what is tested, not its size: with the default 8 MiB body
	// limit the race detector on a busy 2-core machine took longer than the
	// 3 s module timeout to read up to it (a timeout, not the limit, ended
	// the read). 1 MiB and a 10 s budget make the limit the one that ends it.
	env.Limits.MaxBody = 1 << 20
	env.Limits.ModuleTimeout = 10 * time.Second

	// The lab really sends 20 MB to whoever reads to the end.
	c, err := env.Dial(context.Background(), "tcp", "whois.verisign-grs.com:43")
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(c, "huge-whois.com\r\n")
	n, err := io.Copy(io.Discard, c)
	c.Close()
	if err != nil || n != 20<<20 {
		t.Fatalf("the lab's WHOIS answer is %d bytes (%v), want 20 MiB", n, err)
	}

	sc := recon.NewScanner(env, modules.All())
	scan := func(d, id string) *recon.ModuleResult {
		return sc.Scan(context.Background(), target(t, d), recon.ScanOptions{Only: []string{id}}).Module(id)
	}

	m := scan("huge-whois.com", "whois")
	wf, _ := m.Facts.(*recon.WhoisFacts)
	if wf == nil || int64(len(wf.Raw)) > 2*env.Limits.MaxWhois {
		t.Fatalf("whois facts %v: raw evidence not bounded", m.Facts != nil)
	}
	if !strings.Contains(wf.Raw, "Registrar: Hostile Lab Registrar") {
		t.Errorf("whois kept no evidence of the huge answer")
	}
	t.Logf("20 MiB WHOIS: %s in %d ms, %d bytes of raw evidence kept (limit %d per answer)", m.Status, m.DurationMS, len(wf.Raw), env.Limits.MaxWhois)

	m = scan("ct-flood.com", "subdomains")
	if m.Status != recon.StatusError || !strings.Contains(m.Err, "larger than the limit") {
		t.Errorf("1 GiB CT answer: subdomains %s %q, want the body limit error", m.Status, m.Err)
	}
	t.Logf("1 GiB CT: %s in %d ms: %.200s", m.Status, m.DurationMS, m.Err)

	m = scan("many-sans.com", "ssl")
	sf, _ := m.Facts.(*recon.SSLFacts)
	if m.Status != recon.StatusOK || sf == nil || len(sf.Certs) != 1 {
		t.Fatalf("5,000 SANs: ssl %s %q", m.Status, m.Err)
	}
	if cf := sf.Certs[0]; cf.SANsTotal != 5001 || len(cf.SANs) > env.Limits.MaxSANs {
		t.Errorf("5,000 SANs: total %d, kept %d (limit %d)", cf.SANsTotal, len(cf.SANs), env.Limits.MaxSANs)
	}
	t.Logf("5,001 SANs: %s in %d ms, %d pivots", m.Status, m.DurationMS, len(m.Pivots))
}
