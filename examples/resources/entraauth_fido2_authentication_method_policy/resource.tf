# Passkeys for every user. Attestation is enforced, so only the models on the
# allow list below can be registered: passkeys in Microsoft Authenticator on
# iOS and Android. The break-glass accounts are excluded so that a mistake in
# this policy can never change how they sign in.
resource "entraauth_fido2_authentication_method_policy" "this" {
  state                                = "enabled"
  is_attestation_enforced              = true
  is_self_service_registration_allowed = true

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
    { id = "00000000-0000-0000-0000-0000000000a1", target_type = "group" }, # break-glass accounts
  ]
}
