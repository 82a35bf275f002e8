//go:build tools

// Package tools pins dependencies that packages will import as they are written.
package tools

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/charmbracelet/bubbles/list"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/x/exp/teatest"
	_ "github.com/google/uuid"
	_ "github.com/likexian/whois"
	_ "github.com/likexian/whois-parser"
	_ "github.com/maxmind/mmdbwriter"
	_ "github.com/oschwald/geoip2-golang/v2"
	_ "github.com/projectdiscovery/wappalyzergo"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/muesli/termenv"
)
