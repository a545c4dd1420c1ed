# The tenant has one certificate-based authentication (X.509) configuration; its id is X509Certificate (any case).
terraform import entraauth_x509_certificate_authentication_method_policy.this X509Certificate
