package provider

import (
	"fmt"
	"strings"
)

// methodListBlock is a list block of any of the users' method list
// resources (listBlock is the phone's); Config holds the lines of its
// config block.
type methodListBlock struct {
	Type            string // e.g. "entraauth_email_authentication_method"
	Name            string
	Config          []string
	IncludeResource bool
}

func (l methodListBlock) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "list %q %q {\n  provider = entraauth\n  limit    = 1000\n", l.Type, l.Name)
	if l.IncludeResource {
		b.WriteString("  include_resource = true\n")
	}
	fmt.Fprintf(&b, "  config {\n    %s\n  }\n}\n", strings.Join(l.Config, "\n    "))
	return b.String()
}

func (l methodListBlock) address() string { return l.Type + "." + l.Name }

// methodQueryConfig is a query step's .tfquery.hcl.
func methodQueryConfig(blocks ...methodListBlock) string {
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		parts[i] = b.String()
	}
	return strings.Join(parts, "\n")
}
