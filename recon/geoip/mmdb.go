package geoip

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	geoip2 "github.com/oschwald/geoip2-golang/v2"

	"github.com/netspecter/netspecter-tui/recon"
)

// SearchDirs are the folders searched for .mmdb files when Open gets none:
// where geoipupdate writes by default — Debian/Ubuntu and RPM packages
// (/usr/share/GeoIP, /var/lib/GeoIP), MaxMind's tarball
// (/usr/local/share/GeoIP), Homebrew ($(brew --prefix)/var/GeoIP on Apple
// silicon, Intel macOS and Linux) and Windows. DefaultDirs adds
// $XDG_DATA_HOME/GeoIP.
var SearchDirs = []string{
	"/usr/share/GeoIP", "/var/lib/GeoIP", "/usr/local/share/GeoIP",
	"/opt/homebrew/var/GeoIP", "/usr/local/var/GeoIP", "/home/linuxbrew/.linuxbrew/var/GeoIP",
	`C:\ProgramData\MaxMind\GeoIPUpdate\GeoIP`,
}

// ErrNoDatabase is returned by Open when no usable database was found.
var ErrNoDatabase = errors.New("geoip: no GeoLite2/GeoIP2/DB-IP database found")

// Hint tells the user how to get a location database.
const Hint = "no GeoLite2 database found, so country and city come only from Team Cymru's registry data (or not at all). " +
	"To add them: create a free MaxMind account (https://www.maxmind.com/en/geolite2/signup), install geoipupdate " +
	"with EditionIDs \"GeoLite2-City GeoLite2-ASN\", run it, and keep GeoLite2-City.mmdb and GeoLite2-ASN.mmdb in " +
	"/usr/share/GeoIP, /var/lib/GeoIP, /usr/local/share/GeoIP, Homebrew's $(brew --prefix)/var/GeoIP or $XDG_DATA_HOME/GeoIP, or point --geoip-dir at their folder " +
	"(DB-IP's free dbip-city-lite-*.mmdb works too)"

// City database file names in order of preference; "*" globs (DB-IP names carry the month).
var cityFiles = []string{"GeoIP2-City.mmdb", "GeoLite2-City.mmdb", "dbip-city-lite*.mmdb"}

// ASN database file names in order of preference.
var asnFiles = []string{"GeoIP2-ISP.mmdb", "GeoLite2-ASN.mmdb", "dbip-asn-lite*.mmdb"}

// DefaultDirs returns SearchDirs plus $XDG_DATA_HOME/GeoIP (or
// ~/.local/share/GeoIP).
func DefaultDirs() []string {
	dirs := append([]string(nil), SearchDirs...)
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		dirs = append(dirs, filepath.Join(x, "GeoIP"))
	} else if h, err := os.UserHomeDir(); err == nil && h != "" {
		dirs = append(dirs, filepath.Join(h, ".local", "share", "GeoIP"))
	}
	return dirs
}

// Open opens the first City (GeoIP2-City, GeoLite2-City, dbip-city-lite) and
// the first ASN (GeoIP2-ISP, GeoLite2-ASN, dbip-asn-lite) database found in
// dirs, searched in order (DefaultDirs when none are given). A file that
// fails to open is skipped. It returns an error wrapping ErrNoDatabase, with
// the reasons, when neither kind was found.
func Open(dirs ...string) (*recon.GeoDB, error) {
	if len(dirs) == 0 {
		dirs = DefaultDirs()
	}
	db := &recon.GeoDB{}
	var problems []string
	open := func(patterns []string, want func(*geoip2.Reader) bool) *geoip2.Reader {
		for _, dir := range dirs {
			for _, pat := range patterns {
				matches, _ := filepath.Glob(filepath.Join(dir, pat))
				sort.Sort(sort.Reverse(sort.StringSlice(matches))) // newest dated DB-IP file first
				for _, f := range matches {
					r, err := geoip2.Open(f)
					if err != nil {
						problems = append(problems, fmt.Sprintf("%s: %v", f, err))
						continue
					}
					if !want(r) {
						problems = append(problems, fmt.Sprintf("%s: unexpected database type %q", f, r.Metadata().DatabaseType))
						_ = r.Close()
						continue
					}
					db.Files = append(db.Files, f)
					return r
				}
			}
		}
		return nil
	}
	db.City = open(cityFiles, func(r *geoip2.Reader) bool {
		_, err := r.City(netip.IPv4Unspecified())
		var inv geoip2.InvalidMethodError
		return !errors.As(err, &inv)
	})
	db.ASN = open(asnFiles, func(r *geoip2.Reader) bool {
		_, err := r.ASN(netip.IPv4Unspecified())
		var inv geoip2.InvalidMethodError
		return !errors.As(err, &inv)
	})
	if db.City == nil && db.ASN == nil {
		msg := "looked in " + strings.Join(dirs, ", ")
		if len(problems) > 0 {
			msg += "; " + strings.Join(problems, "; ")
		}
		return nil, fmt.Errorf("%w (%s); %s", ErrNoDatabase, msg, Hint)
	}
	return db, nil
}

// Close closes the readers of db (nil-safe).
func Close(db *recon.GeoDB) error {
	if db == nil {
		return nil
	}
	var errs []error
	if db.City != nil {
		errs = append(errs, db.City.Close())
	}
	if db.ASN != nil {
		errs = append(errs, db.ASN.Close())
	}
	return errors.Join(errs...)
}

// LookupDB returns what the databases in db know of a; ok is false when
// neither has data (db may be nil).
func LookupDB(db *recon.GeoDB, a netip.Addr) (g recon.IPGeo, ok bool) {
	a = a.Unmap()
	g.IP = a.String()
	if db == nil {
		return g, false
	}
	if db.City != nil {
		if c, err := db.City.City(a); err == nil && c != nil && c.HasData() {
			ok = true
			g.Country = c.Country.Names.English
			g.CountryCode = c.Country.ISOCode
			if g.CountryCode == "" {
				g.CountryCode = c.RegisteredCountry.ISOCode
				g.Country = c.RegisteredCountry.Names.English
			}
			g.City = c.City.Names.English
			if c.Traits.Network.IsValid() {
				g.Network = c.Traits.Network.String()
			}
		}
	}
	if db.ASN != nil {
		if r, err := db.ASN.ASN(a); err == nil && r != nil && r.HasData() {
			ok = true
			g.ASN = uint32(r.AutonomousSystemNumber)
			g.ASOrg = r.AutonomousSystemOrganization
			if r.Network.IsValid() {
				g.Network = r.Network.String() // the routing block beats the location block
			}
		}
	}
	return g, ok
}
