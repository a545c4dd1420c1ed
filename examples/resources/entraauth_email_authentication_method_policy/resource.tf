# Email one-time passcodes for every user (self-service password reset) and
# for guests (B2B) signing in.
resource "entraauth_email_authentication_method_policy" "this" {
  state                              = "enabled"
  allow_external_id_to_use_email_otp = "enabled"

  include_targets = [
    { id = "all_users", target_type = "group" },
  ]
}
