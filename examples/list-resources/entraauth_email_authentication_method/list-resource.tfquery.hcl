# terraform query (Terraform 1.14+): the email methods (self-service
# password reset addresses) of a group's users; add
# -generate-config-out=emails.tf to write a resource and an import block
# for each. Users without an email method give no result.
list "entraauth_email_authentication_method" "pilot" {
  provider = entraauth
  limit    = 1000

  config {
    group_id = "99999999-0000-4000-8000-00000000a001"
  }
}

# The email methods of named users (object ids or user principal names).
list "entraauth_email_authentication_method" "admins" {
  provider = entraauth

  config {
    user_ids = ["adele@contoso.com", "00000000-0000-0000-0000-000000000002"]
  }
}

# Every user of the tenant: raise limit to the number of email methods expected.
list "entraauth_email_authentication_method" "everyone" {
  provider = entraauth
  limit    = 100000

  config {
    all_users = true
  }
}
