# Terraform 1.12 and later: import by the resource identity.
# The plan shows what the tenant holds: copy what should stay into the
# resource before applying. exclude_targets defaults to none, so an exclusion
# left out here is removed.
import {
  to = entraauth_email_authentication_method_policy.this
  identity = {
    id = "Email"
  }
}

resource "entraauth_email_authentication_method_policy" "this" {
  state = "enabled"
  include_targets = [
    { id = "all_users", target_type = "group" },
  ]
}
