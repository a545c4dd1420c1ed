data "entraauth_email_authentication_method_policy" "current" {}

# For example: whether guests (B2B) may sign in with email one-time passcodes.
output "guests_use_email_otp" {
  value = data.entraauth_email_authentication_method_policy.current.allow_external_id_to_use_email_otp
}
