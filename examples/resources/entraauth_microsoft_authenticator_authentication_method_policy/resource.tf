# Microsoft Authenticator push notifications for the Authenticator rollout
# group. Push notifications show the application signed in to and the
# location of the sign-in, so a user can tell a request they did not start.
# Number matching is always on; Graph does not let it be configured.
resource "entraauth_microsoft_authenticator_authentication_method_policy" "this" {
  state                    = "enabled"
  is_software_oath_enabled = false

  feature_settings = {
    display_app_information_required_state = {
      state = "enabled"
    }
    display_location_information_required_state = {
      state = "enabled"
    }
  }

  include_targets = [
    { id = "00000000-0000-0000-0000-0000000000a2", target_type = "group", authentication_mode = "push" },
  ]

  exclude_targets = [
    { id = "00000000-0000-0000-0000-0000000000a1", target_type = "group" }, # break-glass accounts
  ]
}
