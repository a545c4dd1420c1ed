# Text messages on for the SMS pilot group, usable for sign-in; break-glass
# accounts excluded. Every other authentication method is left untouched.
resource "entraauth_sms_authentication_method_policy" "this" {
  state = "enabled"

  include_targets = [
    { id = "11111111-1111-1111-1111-111111111111", target_type = "group", is_usable_for_sign_in = true },
  ]

  exclude_targets = [
    { id = "22222222-2222-2222-2222-222222222222", target_type = "group" },
  ]
}
