# A one-time pass for Adele's first morning, valid for eight hours from 08:00 UTC.
# The tenant's Temporary Access Pass policy must be enabled for her and allow
# this lifetime (entraauth_temporary_access_pass_authentication_method_policy).
resource "entraauth_temporary_access_pass" "adele" {
  user_id             = "adele@contoso.com"
  start_date_time     = "2027-01-04T08:00:00Z"
  lifetime_in_minutes = 480
  is_usable_once      = true
}

# Never shown in plan or apply output. Read it once, to hand it over:
#   terraform output -raw adele_temporary_access_pass
# It is in the state in plain text: protect the state.
output "adele_temporary_access_pass" {
  value     = entraauth_temporary_access_pass.adele.temporary_access_pass
  sensitive = true
}
