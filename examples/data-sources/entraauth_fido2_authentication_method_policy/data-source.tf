data "entraauth_fido2_authentication_method_policy" "current" {}

# For example: check in a pipeline that only allowed passkey models can be
# registered.
output "passkey_models_restricted" {
  value = try(data.entraauth_fido2_authentication_method_policy.current.key_restrictions.is_enforced, false)
}
