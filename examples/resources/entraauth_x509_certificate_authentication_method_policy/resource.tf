# Certificate-based authentication for the smart card users' group. A
# certificate is matched to a user by its UPN first, then by its subject key
# identifier (a high-affinity binding). Certificates count as one factor,
# except those issued by the smart card CA, which count as two.
# The certificate revocation list settings are not managed here.
resource "entraauth_x509_certificate_authentication_method_policy" "this" {
  state = "enabled"

  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 2, trust_affinity_level = "high" },
  ]

  authentication_mode_configuration = {
    x509_certificate_authentication_default_mode = "x509CertificateSingleFactor"
    rules = [
      {
        x509_certificate_rule_type           = "issuerSubject"
        identifier                           = "CN=Contoso Smart Card CA, O=Contoso, C=US"
        x509_certificate_authentication_mode = "x509CertificateMultiFactor"
      },
    ]
  }

  include_targets = [
    { id = "00000000-0000-0000-0000-0000000000a6", target_type = "group" }, # smart card users
  ]
}
