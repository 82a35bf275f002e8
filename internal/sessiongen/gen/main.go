// Command gen writes a generated session file of about -nodes nodes
// (package sessiongen), for measuring exports and the workbench at scale:
//
//	go run ./internal/sessiongen/gen -nodes 1000000 -o /tmp/big1m.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netspecter/netspecter-tui/internal/sessiongen"
	"github.com/netspecter/netspecter-tui/pivot"
)

func main() {
	nodes := flag.Int("nodes", 1000000, "nodes to reach")
	sans := flag.Int("sans", 190, "SAN names per certificate")
	perCert := flag.Int("per-cert", 50, "domains sharing one certificate")
	out := flag.String("o", "", "session file to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen [-nodes N] [-sans N] [-per-cert N] -o FILE")
		os.Exit(2)
	}
	o := sessiongen.DefaultOptions(*nodes)
	o.SANs, o.PerCert = *sans, *perCert
	s := sessiongen.Build(o)
	if err := pivot.Save(s, *out); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d nodes, %d entities\n", *out, s.Len(), len(s.Entities()))
}
