# Terraform 1.5 and later: import with a block, reviewed in `terraform plan`.
import {
  to = entraauth_email_authentication_method.adele
  id = "adele@contoso.com"
}

resource "entraauth_email_authentication_method" "adele" {
  user_id       = "adele@contoso.com"
  email_address = "adele.vance@fabrikam.com"
}
