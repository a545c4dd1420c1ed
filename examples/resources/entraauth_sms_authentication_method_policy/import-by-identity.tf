# Terraform 1.12 and later: import by the resource identity.
import {
  to = entraauth_sms_authentication_method_policy.this
  identity = {
    id = "Sms"
  }
}

resource "entraauth_sms_authentication_method_policy" "this" {
  state = "enabled"
  include_targets = [
    { id = "all_users", target_type = "group", is_usable_for_sign_in = true },
  ]
}
