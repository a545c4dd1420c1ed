# An HR feed spells numbers as people type them; Graph stores one spelling.
variable "hr_mobile_numbers" {
  description = "Mobile number of each user, keyed by user principal name, as the HR system exports them."
  type        = map(string)
  default = {
    "adele@contoso.com"  = "+1 (555) 555-1234"
    "bianca@contoso.com" = "+44 20 7946 0958 ext. 12"
  }
}

resource "entraauth_phone_authentication_method" "mobile" {
  for_each = var.hr_mobile_numbers

  user_id      = each.key
  phone_type   = "mobile"
  phone_number = provider::entraauth::normalize_phone_number(each.value)
}

# "+1 5555551234" and "+44 2079460958x12": what the Entra portal and Graph show.
output "mobile_numbers_as_graph_stores_them" {
  value = { for upn, number in var.hr_mobile_numbers : upn => provider::entraauth::normalize_phone_number(number) }
}
