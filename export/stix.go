// stix.go writes a session as a STIX 2.1 bundle (writeSTIX): identity,
// observables, indicators, notes, groupings for clusters and relationships.

package export

import (
	"crypto/sha1"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
	"github.com/netspecter/netspecter-tui/recon/sanitize"
)

func writeSTIX(w io.Writer, s *pivot.Session, o Options) error {
	b := &stixBuilder{
		s: s, o: o, w: w, seen: map[uuid.UUID]struct{}{}, ids: sha1.New(), idHash: sha1.New(), ofEntity: map[*pivot.Entity]stixRef{},
		certs: map[string]recon.CertFacts{}, asOrg: map[uint64]string{},
		created: s.Created, modified: s.Updated,
	}
	if b.created.IsZero() {
		b.created = o.Now
	}
	if b.modified.Before(b.created) {
		b.modified = b.created
	}
	g, err := buildGraph(s, o)
	if err != nil {
		return err
	}
	b.favicons = faviconFacts(g.Entities)
	for _, e := range g.Entities {
		if e.Scan == nil {
			continue
		}
		if sf := recon.FactsOf[recon.SSLFacts](e.Scan, recon.ModuleSSL); sf != nil {
			for _, c := range sf.Certs {
				if _, ok := b.certs[strings.ToLower(c.SHA256)]; !ok {
					b.certs[strings.ToLower(c.SHA256)] = c
				}
			}
		}
		if gf := recon.FactsOf[recon.GeoFacts](e.Scan, recon.ModuleGeoIP); gf != nil {
			for _, x := range gf.IPs {
				if x.ASN != 0 && x.ASOrg != "" && b.asOrg[uint64(x.ASN)] == "" {
					b.asOrg[uint64(x.ASN)] = x.ASOrg
				}
			}
		}
	}
	b.buf = append(b.buf, "{\n  \"type\": \"bundle\",\n  \"objects\": ["...)

	// The tool's identity never changes, so its timestamps are fixed.
	since := ts(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	b.identity = b.add(newObject("type", "identity", "spec_version", "2.1", "id", sdoID("identity", "netspecter-tui"),
		"created", since, "modified", since, "name", "netspecter-tui", "identity_class", "system",
		"description", "Passive OSINT workbench that produced this bundle"))

	// Observables (and registrar identities), one per entity.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		if x := b.entityObject(e); x != nil {
			v, _ := x.get("value").(string)
			b.ofEntity[e] = stixRef{b.add(x), v}
		}
	}
	// Certificates seen in scans but not pivoted to.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		if e.Scan == nil || b.ofEntity[e].id == "" {
			continue
		}
		if sf := recon.FactsOf[recon.SSLFacts](e.Scan, recon.ModuleSSL); sf != nil {
			for _, c := range sf.Certs {
				if x := b.certObject(c.SHA256); x != nil {
					b.relationship(b.ofEntity[e].id, "related-to", b.add(x), "certificate presented at "+c.Address)
				}
			}
		}
	}
	// Relationships: the pivot edges.
	for i, ed := range g.Edges {
		if err := b.check(i); err != nil {
			return err
		}
		src, dst := b.ofEntity[ed.From].id, b.ofEntity[ed.To].id
		if src == "" || dst == "" || src == dst {
			continue
		}
		b.relationship(src, relationType(ed.Relation), dst, "pivot: "+ed.Relation)
	}
	// Analytics IDs, verification tokens and page hashes: notes.
	b.fingerprintNotes(g.Entities)
	// Indicators for red verdicts.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		ref := b.ofEntity[e]
		if e.Verdict() != recon.LevelRed || ref.id == "" {
			continue
		}
		typ := strings.SplitN(ref.id, "--", 2)[0]
		switch typ {
		case "domain-name", "ipv4-addr", "ipv6-addr", "email-addr":
		default:
			continue
		}
		pattern := fmt.Sprintf("[%s:value = '%s']", typ, stixString(ref.value))
		var reasons []string
		for _, sg := range signals(e) {
			if sg.Level == recon.LevelRed || sg.Level == recon.LevelYellow {
				reasons = append(reasons, sanitize.Line(fmt.Sprintf("%s: %s (%s/%s)", levelName(sg.Level), sg.Text, sg.Module, sg.Rule)))
			}
		}
		// created and valid_from: when the value entered the case (its
		// first_seen, which a rescan does not move); modified: the last scan.
		last := e.ScannedAt
		if last.IsZero() {
			last = b.created
		}
		at := e.FirstSeen
		if at.IsZero() || at.After(last) {
			at = last
		}
		ind := b.sdo("indicator", sdoID("indicator", pattern), at, maxTime(last, b.modified))
		ind.set("name", "netspecter red verdict: "+sanitize.Line(ref.value))
		ind.set("description", "Overall Assessment red. Reasons:\n"+strings.Join(reasons, "\n"))
		ind.set("indicator_types", []string{"anomalous-activity"})
		ind.set("pattern", pattern)
		ind.set("pattern_type", "stix")
		ind.set("pattern_version", "2.1")
		ind.set("valid_from", ts(at))
		ind.set("labels", []string{"netspecter", "verdict-red"})
		b.relationship(b.add(ind), "based-on", ref.id, "")
	}
	// Groupings for clusters: one per cluster, its members once.
	for i, c := range s.Clusters() {
		if err := b.check(i); err != nil {
			return err
		}
		var refs []string
		in := map[string]bool{}
		for _, m := range c.Members {
			if e := g.entityByValue(m); e != nil && b.ofEntity[e].id != "" && !in[b.ofEntity[e].id] {
				in[b.ofEntity[e].id] = true
				refs = append(refs, b.ofEntity[e].id)
			}
		}
		if len(refs) == 0 {
			continue
		}
		members := append([]string(nil), c.Members...)
		sort.Strings(members)
		gr := b.sdo("grouping", sdoID("grouping", members...), b.created, b.modified)
		gr.set("name", sanitize.Line(fmt.Sprintf("netspecter cluster %s: %s", clusterName(c, i), recon.ListSome(c.Members, 10))))
		gr.set("description", sanitize.Line(fmt.Sprintf("%d scanned domains sharing infrastructure (score %.2f): %s", len(c.Members), c.Score, recon.ListSome(c.Shared, 30))))
		gr.set("context", "suspicious-activity")
		gr.set("object_refs", refs)
		b.add(gr)
	}
	// Notes: analyst notes and false positives.
	for i, e := range g.Entities {
		if err := b.check(i); err != nil {
			return err
		}
		ref := b.ofEntity[e].id
		if ref == "" {
			ref = b.identity
		}
		for _, n := range e.Notes {
			at := n.At
			if at.IsZero() {
				at = b.created
			}
			no := b.sdo("note", sdoID("note", string(e.Key), ts(at), n.Text), at, at)
			no.set("abstract", sanitize.Line("Analyst note on "+e.Value))
			no.set("content", sanitize.Text(n.Text))
			no.set("object_refs", []string{ref})
			b.add(no)
		}
		keys := slices.Sorted(maps.Keys(e.FalsePositives))
		for _, k := range keys {
			no := b.sdo("note", sdoID("note", string(e.Key), "false-positive", k), b.created, b.modified)
			no.set("abstract", sanitize.Line("False positive on "+e.Value+": "+k))
			no.set("content", sanitize.Text(e.FalsePositives[k]))
			no.set("object_refs", []string{ref})
			b.add(no)
		}
	}
	b.buf = append(b.buf, "\n  ],\n  \"id\": "...)
	b.buf = appendJSONString(b.buf, "bundle--"+uuid.NewSHA1(SDONamespace, b.ids.Sum(nil)).String())
	b.buf = append(b.buf, "\n}\n"...)
	b.flush()
	return b.err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
