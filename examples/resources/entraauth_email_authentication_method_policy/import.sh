# The tenant has one email one-time passcode configuration; its id is Email (any case).
terraform import entraauth_email_authentication_method_policy.this Email
