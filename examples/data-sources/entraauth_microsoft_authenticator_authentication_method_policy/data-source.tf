data "entraauth_microsoft_authenticator_authentication_method_policy" "current" {}

# For example: who may use Microsoft Authenticator, and in which mode.
output "authenticator_targets" {
  value = {
    for t in data.entraauth_microsoft_authenticator_authentication_method_policy.current.include_targets : t.id => t.authentication_mode
  }
}
