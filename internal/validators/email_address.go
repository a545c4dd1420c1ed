package validators

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = emailAddressValidator{}

type emailAddressValidator struct{}

// EmailAddress accepts an address Graph takes as a user's email
// authentication method: a plain address (no display name or angle
// brackets), with a domain that has at least one dot.
func EmailAddress() validator.String { return emailAddressValidator{} }

// EmailAddressExample is the valid address every refusal shows.
const EmailAddressExample = "adele.vance@contoso.com"

// EmailAddressProblem says why v cannot be an email address, or returns ""
// when it can.
func EmailAddressProblem(v string) string {
	at := strings.LastIndex(v, "@")
	switch {
	case v == "":
		return "it is empty"
	case strings.TrimSpace(v) != v:
		return "it has leading or trailing spaces"
	case strings.ContainsAny(v, " \t<>\"(),;:[]\\"):
		return "it contains a space or one of < > \" ( ) , ; : [ ] \\: give the address alone, without a display name"
	case strings.Count(v, "@") != 1:
		return `it must contain exactly one "@"`
	case at == 0:
		return `nothing comes before "@"`
	case at > 64:
		return `the part before "@" is longer than 64 characters`
	case len(v) > 254:
		return "it is longer than 254 characters"
	}
	domain := v[at+1:]
	if !strings.Contains(domain, ".") {
		return fmt.Sprintf("the domain %q has no dot", domain)
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return fmt.Sprintf("the domain %q has an empty label or one that starts or ends with \"-\"", domain)
		}
		for _, r := range label {
			if ok := r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127; !ok {
				return fmt.Sprintf("the domain %q contains %q", domain, r)
			}
		}
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
		return "it is not an RFC 5322 address"
	}
	return ""
}

func (emailAddressValidator) Description(ctx context.Context) string {
	return emailAddressValidator{}.MarkdownDescription(ctx)
}

func (emailAddressValidator) MarkdownDescription(context.Context) string {
	return "value must be an email address such as " + EmailAddressExample
}

func (emailAddressValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if problem := EmailAddressProblem(v); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid email address",
			fmt.Sprintf("%q is not an email address: %s. Use a plain address such as %q.", v, problem, EmailAddressExample))
	}
}
