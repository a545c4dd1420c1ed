# The address self-service password reset sends Adele's one-time codes to.
# A user has at most one email method; changing the address updates it in place.
resource "entraauth_email_authentication_method" "adele" {
  user_id       = "adele@contoso.com"
  email_address = "adele.vance@fabrikam.com"
}
