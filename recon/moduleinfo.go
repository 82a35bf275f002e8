package recon

import (
	"slices"
	"time"
)

// Module ids. They are a contract (scan --json, session files, --modules,
// rule ids): never rename one.
const (
	ModuleDNS        = "dns"
	ModuleWhois      = "whois"
	ModuleSSL        = "ssl"
	ModuleGeoIP      = "geoip"
	ModuleThreat     = "threat"
	ModulePorts      = "ports"
	ModuleEmail      = "email"
	ModuleSubdomains = "subdomains"
	ModuleHeaders    = "headers"
)

// ModuleInfo declares one module of the Full Scan: everything the rest of
// the program (scanner, session files, CLI, workbench, exports) needs to
// know about it without importing its implementation. Modules lists them
// once; ModuleIDs, the facts types read back from JSON and the workbench's
// module picker are derived from it.
type ModuleInfo struct {
	// ID is the module id (one of the Module* constants).
	ID string
	// Title heads the module's block in the detail pane and reports.
	Title string
	// Touch says how the module touches the world.
	Touch Touch
	// Kinds lists the target kinds the module runs for.
	Kinds []Kind
	// NewFacts returns a new, empty value of the module's typed facts
	// (a pointer), so a report read back from JSON carries its Go types.
	NewFacts func() any
}

// Applies reports whether the module runs for target kind k.
func (m ModuleInfo) Applies(k Kind) bool { return slices.Contains(m.Kinds, k) }

var (
	allKinds    = []Kind{KindDomain, KindEmail, KindIP}
	domainKinds = []Kind{KindDomain, KindEmail}
)

// Modules declares every module of the Full Scan, in display order.
// Adding a module means adding its entry here (and its implementation to
// recon/modules).
var Modules = []ModuleInfo{
	{ModuleDNS, "DNS records", TouchThirdParty, allKinds, func() any { return new(DNSFacts) }},
	{ModuleWhois, "WHOIS registration", TouchThirdParty, domainKinds, func() any { return new(WhoisFacts) }},
	{ModuleSSL, "TLS certificate", TouchTarget, allKinds, func() any { return new(SSLFacts) }},
	{ModuleGeoIP, "GeoIP & routing", TouchThirdParty, allKinds, func() any { return new(GeoFacts) }},
	{ModuleThreat, "Threat listings", TouchThirdParty, allKinds, func() any { return new(ThreatFacts) }},
	{ModulePorts, "Ports & CVEs", TouchThirdParty, allKinds, func() any { return new(PortsFacts) }},
	{ModuleEmail, "E-mail security", TouchThirdParty, domainKinds, func() any { return new(EmailFacts) }},
	{ModuleSubdomains, "Subdomains (Certificate Transparency)", TouchThirdParty, domainKinds, func() any { return new(SubdomainFacts) }},
	{ModuleHeaders, "HTTP headers", TouchTarget, domainKinds, func() any { return new(HeadersFacts) }},
}

// ModuleIDs lists the module ids in the order they are shown (derived
// from Modules). The ids are a contract.
var ModuleIDs = func() []string {
	ids := make([]string, len(Modules))
	for i, m := range Modules {
		ids[i] = m.ID
	}
	return ids
}()

// factsTypes maps each module id to a constructor for its typed facts
// (derived from Modules).
var factsTypes = func() map[string]func() any {
	out := make(map[string]func() any, len(Modules))
	for _, m := range Modules {
		out[m.ID] = m.NewFacts
	}
	return out
}()

// Info returns the declaration of module id; ok is false for an unknown id.
func Info(id string) (ModuleInfo, bool) {
	for _, m := range Modules {
		if m.ID == id {
			return m, true
		}
	}
	return ModuleInfo{}, false
}

// MustInfo returns the declaration of module id and panics on an unknown
// id: for a module implementation naming its own constant.
func MustInfo(id string) ModuleInfo {
	m, ok := Info(id)
	if !ok {
		panic("recon: unknown module id " + id)
	}
	return m
}

// Title returns module id's block title, or the id itself when unknown.
func Title(id string) string {
	if m, ok := Info(id); ok {
		return m.Title
	}
	return id
}

// ModulesFor returns the ids of the modules that apply to target kind k,
// in display order.
func ModulesFor(k Kind) []string {
	var out []string
	for _, m := range Modules {
		if m.Applies(k) {
			out = append(out, m.ID)
		}
	}
	return out
}

// Row is one line of a module's facts as a reader sees them: a label and
// a value (a record with several values gives several rows with the same
// label, in order). Package recon/render turns facts into rows once; the
// CLI text and the workbench's detail pane only style and lay them out.
// Values are stored strings, as received: the front end sanitises them.
type Row struct {
	Label string
	Value string
	// List holds the items of a list-valued row (name servers, SANs,
	// CVEs), in order, after Value (which is then usually empty); a
	// narrow front end shows the first few and counts the rest.
	List []string
	// More counts the items that were cut before they were stored (a
	// certificate's SANs beyond the cap): the list had len(List)+More.
	More int
	// Note is secondary text about the value (where it came from, an
	// id, a reason): shown after the value, dimmed where there is colour.
	Note string
	// Level colours the value (LevelRed for a listing, LevelYellow for a
	// warning such as NXDOMAIN, LevelGreen for a good sign); LevelInfo
	// marks a remark without colour (could not check, nothing found),
	// shown dimmed; LevelNone a plain fact.
	Level Level
	// Err marks a row saying a question failed (Label names the question).
	Err bool
}

// Rower is a facts type that describes itself as rows; now is the
// reader's clock (for ages such as "17 years ago"). A new module's facts
// type implements it beside its declaration, and recon/render uses it
// before its own renderers (which describe the built-in facts types).
type Rower interface {
	Rows(now time.Time) []Row
}
