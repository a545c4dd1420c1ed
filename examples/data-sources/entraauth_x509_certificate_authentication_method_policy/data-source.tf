data "entraauth_x509_certificate_authentication_method_policy" "current" {}

# For example: how certificates are matched to users, in priority order.
output "certificate_user_bindings" {
  value = [
    for b in data.entraauth_x509_certificate_authentication_method_policy.current.certificate_user_bindings : "${b.priority}: ${b.x509_certificate_field} = ${b.user_property}"
  ]
}
