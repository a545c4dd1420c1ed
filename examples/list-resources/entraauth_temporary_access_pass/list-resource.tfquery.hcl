# terraform query (Terraform 1.14+): the Temporary Access Passes of a
# group's users; add -generate-config-out=passes.tf to write a resource and
# an import block for each. Graph never returns a pass after creating it:
# importing adopts the pass with temporary_access_pass null, and replacing
# it issues a new one.
list "entraauth_temporary_access_pass" "new_hires" {
  provider = entraauth
  limit    = 1000

  config {
    group_id = "99999999-0000-4000-8000-00000000a001"
  }
}

# The passes of named users (object ids or user principal names).
list "entraauth_temporary_access_pass" "admins" {
  provider = entraauth

  config {
    user_ids = ["adele@contoso.com", "00000000-0000-0000-0000-000000000002"]
  }
}

# Every user of the tenant: raise limit to the number of passes expected.
list "entraauth_temporary_access_pass" "everyone" {
  provider = entraauth
  limit    = 100000

  config {
    all_users = true
  }
}
