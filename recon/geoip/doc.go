// Package geoip is the geoip module: country, city, autonomous system and
// network of each address of a target. It reads MaxMind GeoLite2/GeoIP2 or
// DB-IP .mmdb databases found on disk (Open, SearchDirs) and asks Team
// Cymru's keyless DNS interface (origin.asn.cymru.com, origin6.asn.cymru.com,
// asn.cymru.com) for the announcing ASN, BGP prefix, registry and AS name,
// then merges both. The Cymru helpers (OriginName, ParseOrigin, ParseASName,
// Cymru) are exported for the threat module and the lab.
package geoip
