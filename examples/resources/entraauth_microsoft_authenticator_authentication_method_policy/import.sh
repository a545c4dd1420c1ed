# The tenant has one Microsoft Authenticator configuration; its id is MicrosoftAuthenticator (any case).
terraform import entraauth_microsoft_authenticator_authentication_method_policy.this MicrosoftAuthenticator
