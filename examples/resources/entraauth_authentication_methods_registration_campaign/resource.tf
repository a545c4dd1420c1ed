# Prompt every user who still signs in with a weaker method to set up
# Microsoft Authenticator. "Not now" postpones the prompt by one day; after
# three snoozes registration is required.
resource "entraauth_authentication_methods_registration_campaign" "this" {
  state                                      = "enabled"
  snooze_duration_in_days                    = 1
  enforce_registration_after_allowed_snoozes = true

  include_targets = [
    { id = "all_users", target_type = "group", targeted_authentication_method = "microsoftAuthenticator" },
  ]

  exclude_targets = [
    { id = "00000000-0000-0000-0000-0000000000a1", target_type = "group" }, # break-glass accounts
  ]
}
