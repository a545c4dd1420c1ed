# The tenant has one registration campaign; its id is authenticationMethodsRegistrationCampaign (any case).
terraform import entraauth_authentication_methods_registration_campaign.this authenticationMethodsRegistrationCampaign
