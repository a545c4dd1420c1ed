data "entraauth_voice_authentication_method_policy" "current" {}

output "voice_enabled" {
  value = data.entraauth_voice_authentication_method_policy.current.state == "enabled"
}
