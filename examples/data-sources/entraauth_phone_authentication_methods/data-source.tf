data "entraauth_phone_authentication_methods" "adele" {
  user_id = "adele@contoso.com"
}

# Phone type => number, e.g. { mobile = "+1 5555551234", office = "+1 4255550100x123" }.
output "adele_phones" {
  value = { for m in data.entraauth_phone_authentication_methods.adele.phone_methods : m.phone_type => m.phone_number }
}
