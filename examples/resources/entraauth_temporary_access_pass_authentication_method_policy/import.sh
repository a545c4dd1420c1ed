# The tenant has one Temporary Access Pass configuration; its id is TemporaryAccessPass (any case).
terraform import entraauth_temporary_access_pass_authentication_method_policy.this TemporaryAccessPass
