package recon

import "testing"

func TestParking(t *testing.T) {
	ns := map[string]string{
		"ns1.sedoparking.com.": "Sedo parking", "NS2.BODIS.COM": "Bodis", "ns1.parkingcrew.net": "ParkingCrew",
		"ns1.afternic.com": "Afternic (for sale)", "ns1.dan.com": "Dan.com (for sale)",
		"ns1.notsedoparking.com": "", "ns1.example.com": "", "": "",
	}
	for h, want := range ns {
		if got := ParkingNS(h); got != want {
			t.Errorf("ParkingNS(%q) = %q, want %q", h, got, want)
		}
	}
	addrs := map[string]string{"91.195.240.94": "Sedo parking", "199.59.243.222": "Bodis", "185.53.178.10": "ParkingCrew",
		"185.220.101.47": "", "nonsense": "", "::ffff:91.195.240.94": "Sedo parking"}
	for a, want := range addrs {
		if got := ParkingAddr(a); got != want {
			t.Errorf("ParkingAddr(%q) = %q, want %q", a, got, want)
		}
	}
	pages := map[string]string{
		"<p>This Domain Is For Sale!</p>":                                    "this domain is for sale",
		"<p>Parked free, courtesy of GoDaddy</p>":                            "parked free, courtesy of",
		"<a href=https://www.hugedomains.com/domain_profile.cfm?d=x>buy</a>": "hugedomains.com/domain_profile",
		"<h1>Domain parking and registration services</h1>":                  "",
		"<h1>Welcome to our bakery</h1>":                                     "",
	}
	for body, want := range pages {
		if got := ParkingPage([]byte(body)); got != want {
			t.Errorf("ParkingPage(%q) = %q, want %q", body, got, want)
		}
	}
}
