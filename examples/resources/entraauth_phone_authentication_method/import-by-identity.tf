# Terraform 1.12 and later: import by the resource identity.
import {
  to = entraauth_phone_authentication_method.adele_mobile
  identity = {
    user_id    = "adele@contoso.com"
    phone_type = "mobile"
  }
}

resource "entraauth_phone_authentication_method" "adele_mobile" {
  user_id      = "adele@contoso.com"
  phone_type   = "mobile"
  phone_number = "+1 5555551234"
}
