# Terraform 1.12 and later: import by the resource identity.
# temporary_access_pass stays null: Graph returns the pass only when it is created.
import {
  to = entraauth_temporary_access_pass.adele
  identity = {
    user_id = "adele@contoso.com"
    id      = "00000000-0000-0000-0000-0000000000aa"
  }
}

resource "entraauth_temporary_access_pass" "adele" {
  user_id             = "adele@contoso.com"
  lifetime_in_minutes = 480
  is_usable_once      = true
}
