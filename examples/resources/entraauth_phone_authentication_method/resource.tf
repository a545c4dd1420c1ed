# A user's mobile phone, usable for SMS sign-in.
resource "entraauth_phone_authentication_method" "adele_mobile" {
  user_id             = "adele@contoso.com"
  phone_type          = "mobile"
  phone_number        = "+1 5555551234"
  sms_sign_in_enabled = true
}

# An alternate mobile needs the mobile first. No depends_on is needed: the
# provider waits for the mobile on create and removes this one first on destroy.
resource "entraauth_phone_authentication_method" "adele_alternate" {
  user_id      = "adele@contoso.com"
  phone_type   = "alternateMobile"
  phone_number = "+1 5555555678"
}

# An office phone with an extension. Leaving out sms_sign_in_enabled means
# SMS sign-in is not managed (office phones are voice only anyway).
resource "entraauth_phone_authentication_method" "adele_office" {
  user_id      = "00000000-0000-0000-0000-000000000001"
  phone_type   = "office"
  phone_number = "+1 4255550100x123"

  timeouts {
    create = "10m"
  }
}
