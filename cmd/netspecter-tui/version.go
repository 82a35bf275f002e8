package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Stamped by scripts/build and scripts/release (-ldflags "-X
// main.buildVersion=… -X main.buildRevision=… -X main.buildTime=…"); empty in
// other builds, which take both from the
// build info the Go toolchain embeds: the module version for `go install
// …@vX`, a pseudo-version and vcs.revision for `go build` in a git checkout.
var (
	buildVersion  string
	buildRevision string // commit hash, "-dirty" appended for a modified tree
	buildTime     string // commit time, RFC 3339
)

// versionInfo is what `version` prints.
type versionInfo struct {
	Version  string // v1.2.3, a pseudo-version, or devel-<rev>
	Revision string // full commit hash, "" if unknown
	Time     string // commit time
	Modified bool   // built from a tree with uncommitted changes
	Go       string
	Platform string
}

func currentVersion() versionInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	v := readVersion(bi, buildVersion, buildRevision)
	if buildTime != "" {
		v.Time = buildTime
	}
	return v
}

// readVersion works out the version from the build info and the stamped
// values. Without either (go build -buildvcs=false, go run) it says so
// instead of pretending.
func readVersion(bi *debug.BuildInfo, stamped, stampedRev string) versionInfo {
	v := versionInfo{Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if bi.GoVersion != "" {
			v.Go = bi.GoVersion
		}
		if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
			v.Version = mv
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			case "GOOS":
				v.Platform = s.Value + v.Platform[strings.Index(v.Platform, "/"):]
			case "GOARCH":
				v.Platform = v.Platform[:strings.Index(v.Platform, "/")+1] + s.Value
			}
		}
	}
	if stampedRev != "" {
		v.Revision = strings.TrimSuffix(stampedRev, "-dirty")
		v.Modified = v.Modified || strings.HasSuffix(stampedRev, "-dirty")
	}
	switch {
	case stamped != "":
		v.Version = stamped
	case v.Version != "":
	case v.Revision != "":
		v.Version = "devel-" + short(v.Revision)
		if v.Modified {
			v.Version += "-dirty"
		}
	default:
		v.Version = "(devel, built without VCS information: build with scripts/build, or go build in a git clone)"
	}
	return v
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// String is the text of `version`: the version on the first line.
func (v versionInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", progName, v.Version)
	if v.Revision != "" {
		fmt.Fprintf(&b, "revision %s", v.Revision)
		if v.Time != "" {
			fmt.Fprintf(&b, " (%s)", v.Time)
		}
		if v.Modified {
			b.WriteString(" with uncommitted changes")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "built with %s for %s\n", v.Go, v.Platform)
	return b.String()
}
