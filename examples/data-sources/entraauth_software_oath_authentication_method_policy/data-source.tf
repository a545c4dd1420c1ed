data "entraauth_software_oath_authentication_method_policy" "current" {}

output "software_oath_enabled" {
  value = data.entraauth_software_oath_authentication_method_policy.current.state == "enabled"
}
