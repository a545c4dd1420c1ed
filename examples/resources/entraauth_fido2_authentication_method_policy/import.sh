# The tenant has one passkey (FIDO2) configuration; its id is Fido2 (any case).
terraform import entraauth_fido2_authentication_method_policy.this Fido2
