package ctlog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Issuance is one certificate seen in Certificate Transparency.
type Issuance struct {
	ID           string    `json:"id"`
	DNSNames     []string  `json:"dns_names"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	Issuer       string    `json:"issuer,omitempty"`
	Serial       string    `json:"serial,omitempty"`
	CertSHA256   string    `json:"cert_sha256,omitempty"`
	PubkeySHA256 string    `json:"pubkey_sha256,omitempty"`
	// CertDER is the certificate when the service returned it (Cert
	// Spotter expand=cert_der, or the older cert.data field).
	CertDER []byte `json:"-"`
	Revoked bool   `json:"revoked,omitempty"`
}

// flexString accepts a JSON string or number (Cert Spotter's id is a
// string today; crt.sh's is a number).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if string(b) == "null" {
		*f = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

type csIssuance struct {
	ID           flexString `json:"id"`
	DNSNames     []string   `json:"dns_names"`
	NotBefore    string     `json:"not_before"`
	NotAfter     string     `json:"not_after"`
	CertSHA256   string     `json:"cert_sha256"`
	PubkeySHA256 string     `json:"pubkey_sha256"`
	CertDER      string     `json:"cert_der"`
	Cert         *struct {
		SHA256 string `json:"sha256"`
		Data   string `json:"data"`
	} `json:"cert"`
	Issuer *struct {
		Name string `json:"name"`
	} `json:"issuer"`
	Revoked bool `json:"revoked"`
}

// DecodeCertspotter parses a Cert Spotter /v1/issuances answer: both the
// current shape (string id, cert_sha256, cert_der) and the 2021 shape
// (cert: {sha256, data}, dates with a -00:00 offset). Fields that do not
// parse (a bad date, bad base64) are left empty rather than failing the page.
func DecodeCertspotter(r io.Reader) ([]Issuance, error) {
	var raw []csIssuance
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("ctlog: Cert Spotter answer is not the expected JSON list: %w", err)
	}
	out := make([]Issuance, 0, len(raw))
	for _, x := range raw {
		is := Issuance{
			ID:           string(x.ID),
			DNSNames:     x.DNSNames,
			NotBefore:    parseTime(x.NotBefore),
			NotAfter:     parseTime(x.NotAfter),
			CertSHA256:   strings.ToLower(x.CertSHA256),
			PubkeySHA256: strings.ToLower(x.PubkeySHA256),
			Revoked:      x.Revoked,
		}
		if x.Issuer != nil {
			is.Issuer = x.Issuer.Name
		}
		der := x.CertDER
		if x.Cert != nil {
			if is.CertSHA256 == "" {
				is.CertSHA256 = strings.ToLower(x.Cert.SHA256)
			}
			if der == "" {
				der = x.Cert.Data
			}
		}
		if der != "" {
			if b, err := base64.StdEncoding.DecodeString(der); err == nil {
				is.CertDER = b
			}
		}
		out = append(out, is)
	}
	return out, nil
}

type crtshEntry struct {
	ID           flexString `json:"id"`
	IssuerName   string     `json:"issuer_name"`
	CommonName   string     `json:"common_name"`
	NameValue    string     `json:"name_value"`
	NotBefore    string     `json:"not_before"`
	NotAfter     string     `json:"not_after"`
	SerialNumber string     `json:"serial_number"`
}

// DecodeCrtsh parses a crt.sh output=json answer. name_value holds the
// certificate's names separated by newlines; it is split into DNSNames.
// issuer_ca_id -1 and a null entry_timestamp are accepted.
func DecodeCrtsh(r io.Reader) ([]Issuance, error) {
	var raw []crtshEntry
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("ctlog: crt.sh answer is not the expected JSON list: %w", err)
	}
	out := make([]Issuance, 0, len(raw))
	for _, x := range raw {
		var names []string
		for _, n := range strings.Split(x.NameValue, "\n") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		out = append(out, Issuance{
			ID:        string(x.ID),
			DNSNames:  names,
			NotBefore: parseTime(x.NotBefore),
			NotAfter:  parseTime(x.NotAfter),
			Issuer:    x.IssuerName,
			Serial:    strings.ToLower(x.SerialNumber),
		})
	}
	return out, nil
}

// parseTime reads RFC 3339 (with Z, +hh:mm or -00:00) and crt.sh's
// zone-less form (taken as UTC). It returns the zero time otherwise.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1<<40 {
		return time.Unix(n, 0).UTC()
	}
	return time.Time{}
}
