# Voice calls for the frontline workers' group, whose members have no
# smartphone for Microsoft Authenticator. Office phones are not called.
resource "entraauth_voice_authentication_method_policy" "this" {
  state                   = "enabled"
  is_office_phone_allowed = false

  include_targets = [
    { id = "00000000-0000-0000-0000-0000000000a4", target_type = "group" }, # frontline workers
  ]
}
