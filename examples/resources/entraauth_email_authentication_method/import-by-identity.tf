# Terraform 1.12 and later: import by the resource identity.
import {
  to = entraauth_email_authentication_method.adele
  identity = {
    user_id = "adele@contoso.com"
  }
}

resource "entraauth_email_authentication_method" "adele" {
  user_id       = "adele@contoso.com"
  email_address = "adele.vance@fabrikam.com"
}
