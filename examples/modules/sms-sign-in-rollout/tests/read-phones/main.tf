# A test helper, not part of the module: reads a user's phones from Graph,
# so a run block can assert on what Graph holds rather than on state.

terraform {
  required_providers {
    entraauth = {
      source = "entraauth/entraauth"
    }
  }
}

variable "user_id" {
  type = string
}

data "entraauth_phone_authentication_methods" "user" {
  user_id = var.user_id
}
