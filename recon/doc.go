// Package recon runs the passive reconnaissance of one target: it parses the
// input (ParseTarget), runs the modules concurrently (Scanner), and rolls
// their typed facts into the Overall Assessment (Assess, Rules).
//
// A module is declared once, in Modules (ModuleInfo: id, title, touch,
// target kinds, facts type); module ids, the facts types read back from
// JSON and the workbench's module picker derive from that list. The
// implementations live in their own packages, listed by recon/modules;
// recon itself imports none of them.
//
// Every module reaches the network only through an Env: the resolver
// address, the dialer, the HTTP client, the WHOIS server, the GeoIP readers
// and the API base URLs. The lab (recon/lab) builds an Env whose addresses
// are loopback servers; real mode builds one that points at the public
// services, dialling through a guard that refuses non-public addresses
// (and through a proxy when one is set). recon imports nothing of the
// terminal UI.
//
// Files:
//   - target.go: ParseTarget, Target, and address classification
//     (NonPublicReason, EmbeddedIPv4, RegisteredDomain).
//   - types.go, facts.go: reports (Report, ModuleResult, Signal, Pivot,
//     Assessment, FactsOf) and each module's typed facts.
//   - moduleinfo.go: the module ids, ModuleInfo and Modules, and Row.
//   - scanner.go: Module, Run, Scanner and the result helpers (OK, Failed,
//     Skipped, RateLimited).
//   - env.go: Env, Keys, Limits and the real-mode Defaults.
//   - dns.go: Exchange, ExchangeAt and address lookups, the only DNS path.
//   - dialer.go: GuardedDialer (non-public addresses refused) and
//     NewHTTPClient.
//   - proxy.go: UseNetwork, HTTP and SOCKS proxies, DNS-over-HTTPS.
//   - sources.go: request counts and rate limits per service (Sources),
//     Retry-After; retry.go: Retry with backoff.
//   - netcheck.go: the probe of the analyst's resolver (ResolverState) and
//     the Notices about the analyst's own network.
//   - trace.go: TraceEvent, the round trips the benchmarks measure.
//   - assess.go: the Rules table and Converge; rules.go, idn.go: the rules'
//     checks; parking.go: the parking services' name servers, addresses
//     and page phrases.
//   - merge.go: MergeReports, a run of chosen modules merged into an
//     entity's report (a new report; the attached one never changes).
//   - validate.go: Validate, for reports read from untrusted files.
package recon
