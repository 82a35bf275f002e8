// Package geoip is the geoip module: country, city, autonomous system and
// network of each address of a target. It reads MaxMind GeoLite2/GeoIP2 or
// DB-IP .mmdb databases found on disk (Open, SearchDirs) and asks Team
// Cymru's keyless DNS interface (origin.asn.cymru.com, origin6.asn.cymru.com,
// asn.cymru.com) for the announcing ASN, BGP prefix, registry and AS name,
// then merges both. The threat module reuses the lookups: LookupDB and
// LookupOrigin for the hosting ASN, ReverseName for blocklist questions.
package geoip
