// ratelimit.go recognises a registry's throttling answer (rateLimitPhrases)
// and picks the line that says so.

package whoismod

import (
	"strings"
)

// rateLimitPhrases are lower-case phrases of registries' throttling answers.
// They are checked only when an answer holds no registration data, so a
// terms-of-use paragraph that mentions limits cannot turn a record into a
// refusal.
var rateLimitPhrases = []string{
	"too many requests",                     // AFNIC
	"access control limit",                  // DENIC "access control limit reached"
	"exceeded your quota",                   // MarkMonitor
	"quota of queries",                      //
	"request per second allowed",            // SIDN "only 1 request per second allowed"
	"requests per second allowed",           //
	"limit exceeded",                        // PIR "WHOIS LIMIT EXCEEDED"
	"quota exceeded",                        //
	"server too busy",                       //
	"too many queries",                      //
	"exceeded the maximum allowable",        //
	"exceeded your query limit",             //
	"restricted due to excessive queries",   //
	"due to query limit controls",           //
	"you have exceeded your allotted",       //
	"maximum daily connection limit",        //
	"maximum query rate reached",            //
	"number of allowed queries exceeded",    // GoDaddy
	"queries exceeded",                      //
	"rate limit exceeded",                   //
	"temporarily blocked",                   //
	"please wait a moment and try again",    //
	"try again after",                       //
	"your connection limit exceeded",        //
	"connection refused; access control",    //
	"lookup quota exceeded",                 //
	"you have reached the query limit",      //
	"has exceeded the established limit",    // .br
	"reached the maximum number of queries", //
}

// rateLimitLine returns the line of text that says the query was throttled, or "".
func rateLimitLine(text string) string {
	low := strings.ToLower(text)
	for _, p := range rateLimitPhrases {
		if i := strings.Index(low, p); i >= 0 {
			return lineAt(text, i)
		}
	}
	return ""
}

// lineAt returns the trimmed line of text containing byte offset i.
func lineAt(text string, i int) string {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += i
	}
	return clip(strings.Trim(strings.TrimSpace(text[start:end]), "%# "), 200)
}

func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return clip(l, 200)
		}
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
