package compare

import (
	"github.com/netspecter/netspecter-tui/pivot"
	"github.com/netspecter/netspecter-tui/recon"
)

// Profile is what one scanned domain looks like along the pivot attributes:
// pivot's Profile (the matrix reads Domain, Entity, IPs, Nets, ASNs and
// ASOrgs, Registrar, NS, Certs, Created, FirstIssuance, Posture and Verdict).
type Profile = pivot.Profile

// Profiles returns one profile per scanned domain of s (entities of kind
// domain, subdomain or e-mail address — an address stands for its domain —
// that have a scan), in session order; the first entity of a domain wins,
// as in pivot's clusters. It is s.Profiles().
func Profiles(s *pivot.Session) []Profile { return s.Profiles() }

// ProfileOf extracts a profile from one report (Domain, Entity and Verdict
// are left for the caller); it is pivot.ReportProfile.
func ProfileOf(r *recon.Report) Profile { return pivot.ReportProfile(r) }
