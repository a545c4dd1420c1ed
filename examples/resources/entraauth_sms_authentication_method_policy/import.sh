# The tenant has one SMS configuration; its id is Sms (any case).
terraform import entraauth_sms_authentication_method_policy.this Sms
