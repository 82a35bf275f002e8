package recon

// DecodeStream is the reference decoding of a report (Report.decodeStream),
// for BenchmarkDecodeReports to set beside UnmarshalJSON.
func DecodeStream(r *Report, b []byte) error { return r.decodeStream(b) }
