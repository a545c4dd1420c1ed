# By phone type.
data "entraauth_phone_authentication_method" "adele_mobile" {
  user_id    = "adele@contoso.com"
  phone_type = "mobile"
}

# Or by Graph's phone method id.
data "entraauth_phone_authentication_method" "adele_office" {
  user_id   = "adele@contoso.com"
  method_id = "e37fc753-ff3b-4958-9484-eaa9425c82bc"
}

output "adele_can_use_sms_sign_in" {
  value = data.entraauth_phone_authentication_method.adele_mobile.sms_sign_in_enabled
}

output "adele_sms_sign_in_state" {
  value = data.entraauth_phone_authentication_method.adele_mobile.sms_sign_in_state
}
