# The tenant has one software OATH token configuration; its id is SoftwareOath (any case).
terraform import entraauth_software_oath_authentication_method_policy.this SoftwareOath
