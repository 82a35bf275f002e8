package hostile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/lab"
)

const secret = "SECRET-KEY-123"

// TestKeysNeverLeak: with fake keys set, the keyed sources answer 401 in
// the lab; the key is in no report, error message or source counter.
func TestKeysNeverLeak(t *testing.T) {
	l := startLab(t, lab.Demo(), lab.Options{})
	env := l.Env()
	shortLimits(env)
	env.Keys = recon.Keys{VirusTotal: secret, AbuseIPDB: secret + "-abuse", Certspotter: secret + "-cs"}
	reps := scanAll(env, []recon.Target{target(t, "nova-parcels.com"), target(t, "185.220.101.47")})
	keyedTried := false
	for tg, rep := range reps {
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s: the report holds the API key", tg)
		}
		if f := recon.FactsOf[recon.ThreatFacts](rep, "threat"); f != nil && len(f.Keyed) > 0 {
			keyedTried = true
		}
	}
	if !keyedTried {
		t.Error("no keyed source was asked: the test did not exercise the keys")
	}
	sb, _ := json.Marshal(env.Sources.Snapshot())
	if bytes.Contains(sb, []byte(secret)) {
		t.Errorf("the source counters hold the API key: %s", sb)
	}
	if len(l.Requests("keyed")) == 0 {
		t.Error("the lab's keyed API saw no request")
	}
}

// TestCLIKeysNeverLeak: keys from the environment appear in no output,
// session file or export of the CLI.
func TestCLIKeysNeverLeak(t *testing.T) {

	bin := binary(t)
	dir := t.TempDir()
	session := filepath.Join(dir, "s.json")
	var all [][]byte
	run := func(args ...string) {
		o, e, err := runCLIEnv(bin, []string{"NETSPECTER_VIRUSTOTAL_KEY=" + secret, "NETSPECTER_ABUSEIPDB_KEY=" + secret, "NETSPECTER_CERTSPOTTER_KEY=" + secret}, args...)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, o, e)
	}
	run("scan", "--demo", "--json", "185.220.101.47")
	run("investigate", "--demo", "--depth", "0", "-o", session, "nova-parcels.com")
	for _, f := range []string{"md", "json", "csv", "stix"} {
		run("export", "--format", f, session)
	}
	b, err := os.ReadFile(session)
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, b)
	for i, b := range all {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("output %d holds the API key: %s", i, strings.TrimSpace(string(b[:min(len(b), 300)])))
		}
	}
	if !bytes.Contains(all[0], []byte("virustotal")) {
		t.Error("scan --json does not mention the keyed source: the keys were not used")
	}
}
