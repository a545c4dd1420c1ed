# An audit of who has signed up for what: every method of each user, of
# every type (including types Graph adds later, listed with id and type).
variable "users" {
  type    = set(string)
  default = ["adele@contoso.com", "bianca@contoso.com"]
}

data "entraauth_user_authentication_methods" "user" {
  for_each = var.users
  user_id  = each.value
}

locals {
  # User => the types of method they have, e.g. ["passwordAuthenticationMethod", "phoneAuthenticationMethod"].
  method_types = { for u, d in data.entraauth_user_authentication_methods.user : u => distinct([for m in d.methods : m.type]) }

  weak_types = ["passwordAuthenticationMethod", "phoneAuthenticationMethod", "emailAuthenticationMethod"]
}

# Users who still sign in with only a password, phone or email: no
# passkey, Authenticator or Windows Hello yet.
output "users_without_strong_methods" {
  value = sort([for u, types in local.method_types : u if length(setsubtract(types, local.weak_types)) == 0])
}

# Which passkey and security key models are registered, and by whom.
output "passkey_models" {
  value = {
    for u, d in data.entraauth_user_authentication_methods.user : u => [
      for m in d.methods : "${coalesce(m.model, "unknown model")} (${coalesce(m.aaguid, "no AAGUID")})" if m.type == "fido2AuthenticationMethod"
    ]
  }
}

# Temporary Access Passes that can still be used to sign in.
output "usable_temporary_access_passes" {
  value = {
    for u, d in data.entraauth_user_authentication_methods.user : u => [
      for m in d.methods : m.id if m.type == "temporaryAccessPassAuthenticationMethod" && coalesce(m.is_usable, false)
    ]
  }
}
