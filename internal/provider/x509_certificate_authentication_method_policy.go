package provider

import (
	"fmt"
	"math"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	x509CertificateFields = []string{"PrincipalName", "RFC822Name", "SubjectKeyIdentifier", "SHA1PublicKey", "IssuerAndSubject", "Subject", "IssuerAndSerialNumber"}
	x509UserProperties    = []string{"userPrincipalName", "onPremisesUserPrincipalName", "certificateUserIds"}
	x509AffinityLevels    = []string{"low", "high"}
	x509AuthModes         = []string{"x509CertificateSingleFactor", "x509CertificateMultiFactor"}
	x509RuleTypes         = []string{"issuerSubject", "policyOID", "issuerSubjectAndPolicyOID"}
)

// x509Policy is entraauth_x509_certificate_authentication_method_policy:
// certificate-based authentication.
var x509Policy = &methodPolicyType{
	typeName: "x509_certificate_authentication_method_policy",
	part:     graph.MethodConfiguration("X509Certificate", "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration"),
	id:       "X509Certificate",
	title:    "certificate-based authentication method policy",
	noun:     "certificate-based authentication",
	one:      "certificate-based authentication (X.509) configuration",
	description: configurationDescription("certificate-based authentication (X.509)", "x509CertificateAuthenticationMethodConfiguration", "x509Certificate",
		"whether users may sign in with a certificate, for which groups, how a certificate is bound to a user, and whether a certificate counts as one factor or two "+
			"(by default and by issuer or policy OID rules). The certificate revocation list settings (`crlValidationConfiguration`) are not managed"),
	dataSourceDescription: "Reads the certificate-based authentication (X.509) configuration of the tenant's authentication methods policy.",
	fields: []policyField{
		methodStateField("certificate-based"),
		{name: "certificate_user_bindings", graph: "certificateUserBindings", kind: objectSetField,
			description: "How a certificate is matched to a user: which certificate field is compared with which user property, in priority order. " + setSentWhole + " " + unmanagedWhenOmitted,
			fields: []policyField{
				{name: "x509_certificate_field", graph: "x509CertificateField", kind: stringField, required: true, oneOf: x509CertificateFields,
					description: fmt.Sprintf("The certificate field: one of %s.", quoteList(x509CertificateFields))},
				{name: "user_property", graph: "userProperty", kind: stringField, required: true, oneOf: x509UserProperties,
					description: fmt.Sprintf("The user property it must equal: one of %s.", quoteList(x509UserProperties))},
				{name: "priority", graph: "priority", kind: int64Field, required: true, between: [2]int64{0, math.MaxInt32},
					description: "The binding's priority, a non-negative integer (the lowest is tried first); each binding has its own."},
				{name: "trust_affinity_level", graph: "trustAffinityLevel", kind: stringField, defaultValue: "low", oneOf: x509AffinityLevels,
					description: fmt.Sprintf("One of %s: `high` bindings (such as SubjectKeyIdentifier or SHA1PublicKey) are harder to forge. Defaults to `low`.", quoteList(x509AffinityLevels))},
			}},
		{name: "authentication_mode_configuration", graph: "authenticationModeConfiguration", kind: objectField,
			description: "Whether a certificate counts as single-factor or multifactor authentication. " + unmanagedWhenOmitted,
			fields: []policyField{
				{name: "x509_certificate_authentication_default_mode", graph: "x509CertificateAuthenticationDefaultMode", kind: stringField, required: true, oneOf: x509AuthModes,
					description: fmt.Sprintf("What a certificate counts as when no rule matches it: one of %s.", quoteList(x509AuthModes))},
				{name: "x509_certificate_default_required_affinity_level", graph: "x509CertificateDefaultRequiredAffinityLevel", kind: stringField, oneOf: x509AffinityLevels,
					description: fmt.Sprintf("The binding affinity a certificate needs when no rule matches it: one of %s. %s", quoteList(x509AffinityLevels), keptWhenOmitted)},
				{name: "rules", graph: "rules", kind: objectSetField, defaultValue: emptySet,
					description: "Rules that set the mode for certificates of an issuer or with a policy OID. " + setSentWhole + " Defaults to none.",
					fields: []policyField{
						{name: "x509_certificate_rule_type", graph: "x509CertificateRuleType", kind: stringField, required: true, oneOf: x509RuleTypes,
							description: fmt.Sprintf("What the rule matches: one of %s.", quoteList(x509RuleTypes))},
						{name: "identifier", graph: "identifier", kind: stringField, optionalOnly: true,
							description: "The issuer subject (`issuerSubject`) or the policy OID (`policyOID`) the rule matches."},
						{name: "issuer_subject_identifier", graph: "issuerSubjectIdentifier", kind: stringField, optionalOnly: true,
							description: "The issuer subject, for `issuerSubjectAndPolicyOID` rules."},
						{name: "policy_oid_identifier", graph: "policyOidIdentifier", kind: stringField, optionalOnly: true,
							description: "The policy OID, for `issuerSubjectAndPolicyOID` rules."},
						{name: "x509_certificate_authentication_mode", graph: "x509CertificateAuthenticationMode", kind: stringField, required: true, oneOf: x509AuthModes,
							description: fmt.Sprintf("What a matching certificate counts as: one of %s.", quoteList(x509AuthModes))},
						{name: "x509_certificate_required_affinity_level", graph: "x509CertificateRequiredAffinityLevel", kind: stringField, defaultValue: "low", oneOf: x509AffinityLevels,
							description: fmt.Sprintf("The binding affinity a matching certificate needs: one of %s. Defaults to `low`.", quoteList(x509AffinityLevels))},
					}},
			}},
		includeTargetsField("Who may sign in with a certificate.", ""),
		excludeTargetsField("Who may not sign in with a certificate, even when an include target covers them."),
	},
	validate:       validateX509Policy,
	offForEveryone: `To turn certificate-based authentication off for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_x509_certificate_authentication_method_policy", "certificate-based authentication configuration", "signs in with a certificate"),
}

// validateX509Policy refuses bindings sharing a priority and rules that
// lack the identifier their type matches on.
func validateX509Policy(cfg map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	if set, ok := cfg["certificate_user_bindings"].(types.Set); ok && !set.IsUnknown() {
		seen := map[int64]bool{}
		for _, e := range set.Elements() {
			o, ok := e.(types.Object)
			if !ok || o.IsUnknown() {
				continue
			}
			p, _ := o.Attributes()["priority"].(types.Int64)
			if p.IsUnknown() || p.IsNull() {
				continue
			}
			if seen[p.ValueInt64()] {
				diags.AddAttributeError(path.Root("certificate_user_bindings"), "Duplicate certificate binding priority",
					fmt.Sprintf("More than one certificate_user_bindings has priority = %d; each binding needs its own priority, for example 1, 2 and 3.", p.ValueInt64()))
			}
			seen[p.ValueInt64()] = true
		}
	}
	mode, ok := cfg["authentication_mode_configuration"].(types.Object)
	if !ok || mode.IsNull() || mode.IsUnknown() {
		return diags
	}
	rules, ok := mode.Attributes()["rules"].(types.Set)
	if !ok || rules.IsNull() || rules.IsUnknown() {
		return diags
	}
	for _, e := range rules.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsUnknown() {
			continue
		}
		a := o.Attributes()
		kind, _ := a["x509_certificate_rule_type"].(types.String)
		set := func(name string) bool {
			v, _ := a[name].(types.String)
			return v.IsUnknown() || (!v.IsNull() && v.ValueString() != "")
		}
		var missing string
		switch kind.ValueString() {
		case "issuerSubject", "policyOID":
			if !set("identifier") {
				missing = "identifier"
			}
		case "issuerSubjectAndPolicyOID":
			if !set("issuer_subject_identifier") || !set("policy_oid_identifier") {
				missing = "issuer_subject_identifier and policy_oid_identifier"
			}
		}
		if missing != "" {
			diags.AddAttributeError(path.Root("authentication_mode_configuration").AtName("rules"), "Incomplete certificate rule",
				fmt.Sprintf("A rule with x509_certificate_rule_type = %q needs %s, for example { x509_certificate_rule_type = \"issuerSubject\", identifier = \"CN=Contoso Issuing CA\", x509_certificate_authentication_mode = \"x509CertificateMultiFactor\" }.", kind.ValueString(), missing))
		}
	}
	return diags
}
