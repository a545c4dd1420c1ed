# The tenant has one voice call configuration; its id is Voice (any case).
terraform import entraauth_voice_authentication_method_policy.this Voice
