package provider

import (
	"fmt"
	"strings"
)

// phoneConfig renders one entraauth_phone_authentication_method block.
type phoneConfig struct {
	Name        string
	UserID      string
	PhoneType   string
	PhoneNumber string
	SMS         *bool
	Timeouts    map[string]string
	Extra       string // raw lines, e.g. depends_on
}

func (c phoneConfig) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"entraauth_phone_authentication_method\" %q {\n", c.Name)
	fmt.Fprintf(&b, "  user_id      = %q\n  phone_type   = %q\n  phone_number = %q\n", c.UserID, c.PhoneType, c.PhoneNumber)
	if c.SMS != nil {
		fmt.Fprintf(&b, "  sms_sign_in_enabled = %t\n", *c.SMS)
	}
	if len(c.Timeouts) > 0 {
		b.WriteString("  timeouts {\n")
		for k, v := range c.Timeouts {
			fmt.Fprintf(&b, "    %s = %q\n", k, v)
		}
		b.WriteString("  }\n")
	}
	b.WriteString(c.Extra)
	b.WriteString("}\n")
	return b.String()
}

func (c phoneConfig) address() string { return "entraauth_phone_authentication_method." + c.Name }

func boolPtr(b bool) *bool { return &b }

// config joins the provider block and the given blocks.
func (e *accEnv) config(blocks ...fmt.Stringer) string {
	parts := []string{e.providerConfig()}
	for _, b := range blocks {
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "\n")
}

// rawHCL is a literal block.
type rawHCL string

func (r rawHCL) String() string { return string(r) }
