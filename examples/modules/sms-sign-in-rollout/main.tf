# A small identity module: give each user of a rollout their mobile phone
# and (by default) SMS sign-in. tests/ holds its terraform test suite, which
# runs offline against the mock Graph (see the guide "Testing modules
# offline with the mock Graph").

terraform {
  required_version = ">= 1.6"
  required_providers {
    entraauth = {
      source = "entraauth/entraauth"
    }
  }
}

variable "mobiles" {
  description = "The mobile number of each user in the rollout, keyed by user principal name or object id."
  type        = map(string)

  validation {
    condition     = alltrue([for n in values(var.mobiles) : can(regex("^\\+[1-9][0-9]{0,2} [0-9]{4,14}$", n))])
    error_message = "Every mobile must be in Graph's format \"+{country code} {number}\", for example \"+1 5555550100\"."
  }
}

variable "sms_sign_in" {
  description = "Whether the mobiles may be used for SMS sign-in."
  type        = bool
  default     = true
}

resource "entraauth_phone_authentication_method" "mobile" {
  for_each = var.mobiles

  user_id             = each.key
  phone_type          = "mobile"
  phone_number        = each.value
  sms_sign_in_enabled = var.sms_sign_in
}

output "sms_sign_in_state" {
  description = "Graph's smsSignInState of each user's mobile."
  value       = { for user, m in entraauth_phone_authentication_method.mobile : user => m.sms_sign_in_state }
}
