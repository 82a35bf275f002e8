package lab

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	geoip2 "github.com/oschwald/geoip2-golang/v2"

	"github.com/netspecter/netspecter-tui/recon"
)

func ipNet(p netip.Prefix) *net.IPNet {
	a := p.Addr()
	return &net.IPNet{IP: net.IP(a.AsSlice()), Mask: net.CIDRMask(p.Bits(), a.BitLen())}
}

// startGeoIP writes GeoLite2-City and GeoLite2-ASN databases for the
// world's IPs into a temporary folder and opens them.
func (l *Lab) startGeoIP() error {
	city, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-City", IncludeReservedNetworks: true,
		RecordSize: 28, Description: map[string]string{"en": "NetSpecter lab GeoLite2-City"}, Languages: []string{"en"}})
	if err != nil {
		return fmt.Errorf("lab: GeoIP: %w", err)
	}
	asn, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-ASN", IncludeReservedNetworks: true,
		RecordSize: 24, Description: map[string]string{"en": "NetSpecter lab GeoLite2-ASN"}, Languages: []string{"en"}})
	if err != nil {
		return fmt.Errorf("lab: GeoIP: %w", err)
	}
	for a, ip := range l.c.ips {
		if ip.CountryCode != "" || ip.City != "" {
			country := mmdbtype.Map{"iso_code": mmdbtype.String(ip.CountryCode), "names": mmdbtype.Map{"en": mmdbtype.String(ip.Country)}}
			rec := mmdbtype.Map{"country": country, "registered_country": country}
			if ip.City != "" {
				rec["city"] = mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(ip.City)}}
			}
			if err := city.Insert(ipNet(netip.PrefixFrom(a, a.BitLen())), rec); err != nil {
				return fmt.Errorf("lab: GeoIP city %s: %w", a, err)
			}
		}
		if ip.ASN != 0 {
			rec := mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(ip.ASN), "autonomous_system_organization": mmdbtype.String(ip.ASOrg)}
			if err := asn.Insert(ipNet(l.c.nets[a]), rec); err != nil {
				return fmt.Errorf("lab: GeoIP ASN %s: %w", a, err)
			}
		}
	}
	dir, err := os.MkdirTemp("", "netspecter-lab-geoip-")
	if err != nil {
		return fmt.Errorf("lab: GeoIP: %w", err)
	}
	l.geoDir = dir
	geo := &recon.GeoDB{}
	for _, db := range []struct {
		tree *mmdbwriter.Tree
		name string
		dst  **geoip2.Reader
	}{{city, "GeoLite2-City.mmdb", &geo.City}, {asn, "GeoLite2-ASN.mmdb", &geo.ASN}} {
		path := filepath.Join(dir, db.name)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("lab: GeoIP: %w", err)
		}
		_, err = db.tree.WriteTo(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("lab: GeoIP write %s: %w", path, err)
		}
		r, err := geoip2.Open(path)
		if err != nil {
			return fmt.Errorf("lab: GeoIP open %s: %w", path, err)
		}
		*db.dst = r
		geo.Files = append(geo.Files, path)
	}
	l.geo = geo
	return nil
}
