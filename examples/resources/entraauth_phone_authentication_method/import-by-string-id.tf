# Terraform 1.5 and later: import with a block, reviewed in `terraform plan`.
import {
  to = entraauth_phone_authentication_method.adele_mobile
  id = "adele@contoso.com/mobile"
}

resource "entraauth_phone_authentication_method" "adele_mobile" {
  user_id      = "adele@contoso.com"
  phone_type   = "mobile"
  phone_number = "+1 5555551234"
}
