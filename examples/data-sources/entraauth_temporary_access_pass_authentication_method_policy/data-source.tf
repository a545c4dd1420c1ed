data "entraauth_temporary_access_pass_authentication_method_policy" "current" {}

# For example: the longest pass an onboarding process may request.
output "tap_maximum_lifetime_in_minutes" {
  value = data.entraauth_temporary_access_pass_authentication_method_policy.current.maximum_lifetime_in_minutes
}
