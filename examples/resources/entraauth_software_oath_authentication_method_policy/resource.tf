# One-time codes from third-party authenticator apps, for the engineers'
# group that already uses one; break-glass accounts excluded.
resource "entraauth_software_oath_authentication_method_policy" "this" {
  state = "enabled"

  include_targets = [
    { id = "00000000-0000-0000-0000-0000000000a5", target_type = "group" }, # engineers
  ]

  exclude_targets = [
    { id = "00000000-0000-0000-0000-0000000000a1", target_type = "group" }, # break-glass accounts
  ]
}
