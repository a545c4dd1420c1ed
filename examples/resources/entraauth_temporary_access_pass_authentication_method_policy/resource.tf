# Temporary Access Passes for the onboarding group: new hires get a pass to
# register passkeys or Microsoft Authenticator on their first day. A pass
# lives one hour unless the administrator issuing it asks for up to eight,
# and may be used more than once within its lifetime.
resource "entraauth_temporary_access_pass_authentication_method_policy" "this" {
  state                       = "enabled"
  minimum_lifetime_in_minutes = 60
  default_lifetime_in_minutes = 60
  maximum_lifetime_in_minutes = 480
  default_length              = 8
  is_usable_once              = false

  include_targets = [
    { id = "00000000-0000-0000-0000-0000000000a3", target_type = "group" }, # onboarding
  ]
}
