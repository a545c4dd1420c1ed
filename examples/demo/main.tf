# The configuration `make demo` applies against the built-in mock Graph.
# The provider reads its settings from the ARM_* variables the demo sets.

terraform {
  required_providers {
    entraauth = {
      source = "entraauth/entraauth"
    }
  }
}

provider "entraauth" {}

locals {
  sms_pilot_group    = "9e8d7c6b-2222-4a1b-8c3d-000000000001"
  sms_excluded_group = "9e8d7c6b-2222-4a1b-8c3d-000000000002"

  # Each user's mobile phone and whether it may be used for SMS sign-in.
  mobiles = {
    adele  = { user = "adele@fabrikam.onmicrosoft.com", number = "+1 5555550101", sms = true }
    bianca = { user = "bianca@fabrikam.onmicrosoft.com", number = "+44 7700900102", sms = true }
    carlos = { user = "carlos@fabrikam.onmicrosoft.com", number = "+1 5555550103", sms = false }
    dana   = { user = "dana@fabrikam.onmicrosoft.com", number = "+1 5555550104", sms = null }
  }
}

# The tenant starts with text messages off. Turn them on for the pilot group,
# usable for sign-in, and keep the excluded group out. Only the SMS
# configuration is written; destroy leaves it as it is.
resource "entraauth_sms_authentication_method_policy" "this" {
  state = "enabled"
  include_targets = [
    { id = local.sms_pilot_group, target_type = "group", is_usable_for_sign_in = true },
  ]
  exclude_targets = [
    { id = local.sms_excluded_group, target_type = "group" },
  ]
}

# Passkeys for everyone, limited to Microsoft Authenticator's passkeys (by
# their AAGUIDs), with the same group kept out. Only the FIDO2
# configuration is written; attributes left out (self-service
# registration) stay as the tenant has them.
resource "entraauth_fido2_authentication_method_policy" "this" {
  state                   = "enabled"
  is_attestation_enforced = true
  key_restrictions = {
    is_enforced      = true
    enforcement_type = "allow"
    aa_guids = [
      "90a3ccdf-635c-4729-a248-9b709135078f", # Microsoft Authenticator (iOS)
      "de1e552d-db1d-4423-a619-566b625cdc84", # Microsoft Authenticator (Android)
    ]
  }
  include_targets = [
    { id = "all_users", target_type = "group" },
  ]
  exclude_targets = [
    { id = local.sms_excluded_group, target_type = "group" },
  ]
}

# No depends_on on the policy: a phone refused because the policy change has
# not reached sign-in yet waits while the provider changes the policy.
resource "entraauth_phone_authentication_method" "mobile" {
  for_each = local.mobiles

  user_id             = each.value.user
  phone_type          = "mobile"
  phone_number        = each.value.number
  sms_sign_in_enabled = each.value.sms
}

# An alternate mobile needs the mobile first; the provider orders that itself.
resource "entraauth_phone_authentication_method" "adele_alternate" {
  user_id      = "adele@fabrikam.onmicrosoft.com"
  phone_type   = "alternateMobile"
  phone_number = "+1 5555550201"
}

resource "entraauth_phone_authentication_method" "bianca_office" {
  user_id      = "bianca@fabrikam.onmicrosoft.com"
  phone_type   = "office"
  phone_number = "+44 2079460958x42"
}

# Read back what Graph reports, including each mobile's smsSignInState.
data "entraauth_phone_authentication_method" "mobile" {
  for_each = entraauth_phone_authentication_method.mobile

  user_id    = each.value.user_id
  phone_type = "mobile"
}

data "entraauth_phone_authentication_methods" "adele" {
  user_id    = "adele@fabrikam.onmicrosoft.com"
  depends_on = [entraauth_phone_authentication_method.mobile, entraauth_phone_authentication_method.adele_alternate]
}

output "sms_sign_in_state" {
  description = "Graph's smsSignInState of each user's mobile phone."
  value       = { for k, d in data.entraauth_phone_authentication_method.mobile : k => d.sms_sign_in_state }
}

output "adele_phone_methods" {
  description = "All of Adele's phone methods as Graph lists them."
  value       = [for m in data.entraauth_phone_authentication_methods.adele.phone_methods : "${m.phone_type}: ${m.phone_number}"]
}

output "sms_policy" {
  description = "The tenant's SMS authentication method policy after the apply."
  value = {
    state   = entraauth_sms_authentication_method_policy.this.state
    include = [for t in entraauth_sms_authentication_method_policy.this.include_targets : "${t.id} (sign-in: ${t.is_usable_for_sign_in})"]
  }
}

output "passkey_policy" {
  description = "The tenant's passkey (FIDO2) configuration after the apply."
  value = {
    state    = entraauth_fido2_authentication_method_policy.this.state
    aa_guids = entraauth_fido2_authentication_method_policy.this.key_restrictions.aa_guids
  }
}
