package provider

import "testing"

// The certificate-based authentication configuration's suite (methodPolicyAcc).
var x509Acc = methodPolicyAcc{
	resourceType: "entraauth_x509_certificate_authentication_method_policy", graphID: "X509Certificate",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID)}, "excludeTargets": []any{}},
	change: `  state = "disabled"
  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 2, trust_affinity_level = "high" },
  ]
  authentication_mode_configuration = {
    x509_certificate_authentication_default_mode = "x509CertificateMultiFactor"
    rules = [{
      x509_certificate_rule_type           = "issuerSubject"
      identifier                           = "CN=Contoso Issuing CA"
      x509_certificate_authentication_mode = "x509CertificateSingleFactor"
    }]
  }
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled",
		"certificateUserBindings": []any{
			map[string]any{"x509CertificateField": "PrincipalName", "userProperty": "userPrincipalName", "priority": 1, "trustAffinityLevel": "low"},
			map[string]any{"x509CertificateField": "SubjectKeyIdentifier", "userProperty": "certificateUserIds", "priority": 2, "trustAffinityLevel": "high"},
		},
		"authenticationModeConfiguration": map[string]any{"x509CertificateAuthenticationDefaultMode": "x509CertificateMultiFactor",
			"rules": []any{map[string]any{"x509CertificateRuleType": "issuerSubject", "identifier": "CN=Contoso Issuing CA",
				"x509CertificateAuthenticationMode": "x509CertificateSingleFactor", "x509CertificateRequiredAffinityLevel": "low"}}},
		"includeTargets": []any{graphTarget("all_users")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{"certificateUserBindings": []any{map[string]any{"x509CertificateField": "RFC822Name", "userProperty": "userPrincipalName", "priority": 0, "trustAffinityLevel": "low"}}},
	drift:     map[string]any{"authenticationModeConfiguration": map[string]any{"x509CertificateAuthenticationDefaultMode": "x509CertificateSingleFactor"}},
	badInputs: []policyBadInput{
		{"duplicate_priority", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    { x509_certificate_field = "RFC822Name", user_property = "userPrincipalName", priority = 1 },
  ]`,
			"Duplicate certificate binding priority", `More than one certificate_user_bindings has priority = 1; each binding needs its own priority, for example 1, 2 and 3.`},
		{"rule_without_identifier", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  authentication_mode_configuration = {
    x509_certificate_authentication_default_mode = "x509CertificateSingleFactor"
    rules = [{ x509_certificate_rule_type = "policyOID", x509_certificate_authentication_mode = "x509CertificateMultiFactor" }]
  }`,
			"Incomplete certificate rule", `A rule with x509_certificate_rule_type = "policyOID" needs identifier, for example { x509_certificate_rule_type = "issuerSubject", identifier = "CN=Contoso Issuing CA", x509_certificate_authentication_mode = "x509CertificateMultiFactor" }.`},
	},
}

// TestAccX509Policy_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccX509Policy_lifecycle(t *testing.T) { x509Acc.run(t) }

// TestAccBadInput_x509Policy: bad configurations and import ids.
func TestAccBadInput_x509Policy(t *testing.T) {
	x509Acc.runBadInputs(t)
	t.Run("import", x509Acc.runBadImport)
}
