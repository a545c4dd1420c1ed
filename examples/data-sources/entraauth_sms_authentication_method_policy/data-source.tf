data "entraauth_sms_authentication_method_policy" "current" {}

# For example: only ask for SMS sign-in when the tenant has text messages on.
output "sms_enabled" {
  value = data.entraauth_sms_authentication_method_policy.current.state == "enabled"
}
