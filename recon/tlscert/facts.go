package tlscert

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/netspecter/netspecter-tui/recon"
)

// FactsFromCert extracts the facts intrinsic to a leaf certificate: names,
// validity (Expired and DaysLeft relative to now), fingerprints, SANs (at
// most maxSANs kept, 0 meaning no limit; SANsTotal and SANsCut say when the
// list was cut), self-signature and the PEM as evidence. It does not verify
// the chain: see Verify.
func FactsFromCert(leaf *x509.Certificate, now time.Time, maxSANs int) recon.CertFacts {
	f := recon.CertFacts{
		Subject:   leaf.Subject.String(),
		Issuer:    leaf.Issuer.String(),
		NotBefore: leaf.NotBefore.UTC(),
		NotAfter:  leaf.NotAfter.UTC(),
		SANs:      []string{},
	}
	if leaf.SerialNumber != nil {
		f.Serial = strings.ToLower(leaf.SerialNumber.Text(16))
	}
	sum := sha256.Sum256(leaf.Raw)
	f.SHA256 = hex.EncodeToString(sum[:])
	pk := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	f.PubkeySHA256 = hex.EncodeToString(pk[:])
	f.DaysLeft = int(math.Floor(leaf.NotAfter.Sub(now).Hours() / 24))
	f.Expired = now.After(leaf.NotAfter)
	f.SANsTotal = len(leaf.DNSNames)
	sans := leaf.DNSNames
	if maxSANs > 0 && len(sans) > maxSANs {
		sans = sans[:maxSANs]
		f.SANsCut = true
	}
	f.SANs = append(f.SANs, sans...)
	f.SelfSigned = SelfSigned(leaf)
	f.PEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}))
	return f
}

// SelfSigned reports whether the certificate's issuer is its subject and its
// signature checks with its own key.
func SelfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	return c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// Verify checks leaf against roots (nil: the system pool) with the
// intermediates the server sent, for name (a host name or an IP address;
// empty: no name check) at now, and records the outcome in f: Verified,
// VerifyError, Expired and NameMismatch. Each problem is detected on its own,
// so an expired certificate for the wrong name is reported as both.
func Verify(f *recon.CertFacts, leaf *x509.Certificate, intermediates []*x509.Certificate, roots *x509.CertPool, name string, now time.Time) {
	pool := x509.NewCertPool()
	for _, c := range intermediates {
		pool.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: pool, DNSName: name, CurrentTime: now}
	_, err := leaf.Verify(opts)
	f.Verified = err == nil
	f.VerifyError = ""
	if err != nil {
		f.VerifyError = describe(err)
	}
	f.Expired = now.After(leaf.NotAfter)
	if name != "" {
		f.NameMismatch = leaf.VerifyHostname(name) != nil
	}
	// The chain on its own (inside the validity period, no name): tells an
	// unknown authority apart from a certificate that only expired.
	if err != nil && !f.SelfSigned {
		mid := leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
		opts.CurrentTime, opts.DNSName = mid, ""
		if _, cerr := leaf.Verify(opts); cerr != nil && !strings.Contains(f.VerifyError, describe(cerr)) {
			f.VerifyError += "; " + describe(cerr)
		}
	}
}

// describe turns an x509 error into a short reason.
func describe(err error) string {
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var hn x509.HostnameError
	switch {
	case errors.As(err, &ua):
		return "signed by an unknown authority"
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "expired or not yet valid"
	case errors.As(err, &hn):
		return "not valid for " + hn.Host
	}
	return err.Error()
}
