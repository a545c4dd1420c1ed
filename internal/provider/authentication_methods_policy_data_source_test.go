package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestAccAuthenticationMethodsPolicyDataSource: with read permission only,
// the policy root lists every configuration, those the provider does not
// model (hardware OATH, an external method with a GUID id) included, each
// with the resource type that manages it or null.
func TestAccAuthenticationMethodsPolicyDataSource(t *testing.T) {
	const address = "data.entraauth_authentication_methods_policy.current"
	e := newPolicyAccEnv(t, nil, []string{"Policy.Read.All"})
	summary := func(id, kind, state string, resource knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(id), "type": knownvalue.StringExact(kind), "state": knownvalue.StringExact(state),
			"display_name": knownvalue.Null(), "resource_type": resource,
		})
	}
	managed := func(t string) knownvalue.Check { return knownvalue.StringExact("entraauth_" + t) }
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(rawHCL("data \"entraauth_authentication_methods_policy\" \"current\" {}\n")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact("authenticationMethodsPolicy")),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("policy_migration_state"), knownvalue.StringExact("migrationComplete")),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("registration_campaign").AtMapKey("state"), knownvalue.StringExact("default")),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("registration_campaign").AtMapKey("snooze_duration_in_days"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("authentication_method_configurations"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(mockgraph.ExternalAuthMethodID), "type": knownvalue.StringExact("externalAuthenticationMethodConfiguration"),
						"state": knownvalue.StringExact("disabled"), "display_name": knownvalue.StringExact("Contoso external MFA"), "resource_type": knownvalue.Null(),
					}),
					summary("Email", "emailAuthenticationMethodConfiguration", "enabled", managed("email_authentication_method_policy")),
					summary("Fido2", "fido2AuthenticationMethodConfiguration", "disabled", managed("fido2_authentication_method_policy")),
					summary("HardwareOath", "hardwareOathAuthenticationMethodConfiguration", "disabled", knownvalue.Null()),
					summary("MicrosoftAuthenticator", "microsoftAuthenticatorAuthenticationMethodConfiguration", "disabled", managed("microsoft_authenticator_authentication_method_policy")),
					summary("Sms", "smsAuthenticationMethodConfiguration", "disabled", managed("sms_authentication_method_policy")),
					summary("SoftwareOath", "softwareOathAuthenticationMethodConfiguration", "disabled", managed("software_oath_authentication_method_policy")),
					summary("TemporaryAccessPass", "temporaryAccessPassAuthenticationMethodConfiguration", "disabled", managed("temporary_access_pass_authentication_method_policy")),
					summary("Voice", "voiceAuthenticationMethodConfiguration", "disabled", managed("voice_authentication_method_policy")),
					summary("X509Certificate", "x509CertificateAuthenticationMethodConfiguration", "disabled", managed("x509_certificate_authentication_method_policy")),
				})),
			},
		}},
	})
	e.requireNoPolicyWrites(t)
}

// TestAccMethodPolicyDataSources: the FIDO2 and TAP data sources read
// their configuration with read permission only; without it the error
// names the permission.
func TestAccMethodPolicyDataSources(t *testing.T) {
	t.Parallel()
	read := rawHCL("data \"entraauth_fido2_authentication_method_policy\" \"current\" {}\ndata \"entraauth_temporary_access_pass_authentication_method_policy\" \"current\" {}\n")
	t.Run("read_only_app", func(t *testing.T) {
		e := newPolicyAccEnv(t, nil, []string{"Policy.Read.AuthenticationMethod"})
		const fido2, tap = "data.entraauth_fido2_authentication_method_policy.current", "data.entraauth_temporary_access_pass_authentication_method_policy.current"
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config: e.config(read),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fido2, tfjsonpath.New("id"), knownvalue.StringExact("Fido2")),
					statecheck.ExpectKnownValue(fido2, tfjsonpath.New("key_restrictions"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"is_enforced": knownvalue.Bool(false), "enforcement_type": knownvalue.StringExact("block"), "aa_guids": knownvalue.SetExact(nil),
					})),
					statecheck.ExpectKnownValue(fido2, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact("all_users"), "target_type": knownvalue.StringExact("group")}),
					})),
					statecheck.ExpectKnownValue(tap, tfjsonpath.New("default_lifetime_in_minutes"), knownvalue.Int64Exact(60)),
					statecheck.ExpectKnownValue(tap, tfjsonpath.New("maximum_lifetime_in_minutes"), knownvalue.Int64Exact(480)),
					statecheck.ExpectKnownValue(tap, tfjsonpath.New("default_length"), knownvalue.Int64Exact(8)),
				},
			}},
		})
		e.requireNoPolicyWrites(t)
	})
	t.Run("no_policy_permission", func(t *testing.T) {
		e := newPolicyAccEnv(t, nil, []string{"UserAuthenticationMethod.ReadWrite.All"})
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      e.config(rawHCL("data \"entraauth_fido2_authentication_method_policy\" \"current\" {}\n")),
				ExpectError: errorRE("Cannot read the passkey (FIDO2) authentication method policy", "HTTP 403", "plans need Policy.Read.All"),
			}},
		})
	})
}

// TestAccFido2Policy_readOnlyApp: an app that may read the policy plans,
// but its apply is refused with the missing permission named, and the
// configuration stays as it was.
func TestAccFido2Policy_readOnlyApp(t *testing.T) {
	e := newPolicyAccEnv(t, nil, []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.Read.All"})
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(fido2Acc.block(fido2Acc.adopt)),
			ExpectError: errorRE("Cannot update the passkey (FIDO2) authentication method policy", "HTTP 403",
				"applying needs the application permission Policy.ReadWrite.AuthenticationMethod"),
		}},
	})
	if err := e.checkPolicyHolds(fido2Acc, map[string]any{"state": "disabled", "includeTargets": []any{graphTarget("all_users")}})(nil); err != nil {
		t.Error(err)
	}
}
