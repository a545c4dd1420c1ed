# Terraform 1.5 and later: import with a block, reviewed in `terraform plan`.
import {
  to = entraauth_sms_authentication_method_policy.this
  id = "Sms"
}

resource "entraauth_sms_authentication_method_policy" "this" {
  state = "enabled"
  include_targets = [
    { id = "all_users", target_type = "group", is_usable_for_sign_in = true },
  ]
}
