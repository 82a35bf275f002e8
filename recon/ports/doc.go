// Package ports is the ports module: what Shodan's keyless InternetDB
// (https://internetdb.shodan.io) has recorded for each address of a target —
// open ports, CPEs, known CVEs, tags and hostnames. It is passive: it asks
// InternetDB and never touches the address itself. Decode is the bounded,
// panic-free decoder of one InternetDB answer.
package ports
