data "entraauth_authentication_methods_registration_campaign" "current" {}

output "registration_campaign_state" {
  value = data.entraauth_authentication_methods_registration_campaign.current.state
}
