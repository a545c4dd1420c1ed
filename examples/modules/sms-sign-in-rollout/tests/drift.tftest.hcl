# Drift: an administrator disables SMS sign-in by hand (set up through the
# mock's admin API); a refresh-only plan sees it, and apply repairs it.

provider "entraauth" {
  tenant_id     = "4f3c1a2b-7e6d-4c5b-9a8f-000000000a01"
  client_id     = "9b8a7c6d-5e4f-4a3b-8c2d-000000000a02"
  client_secret = "mock-secret-terraform-test"
  use_cli       = false
}

variables {
  mobiles = {
    "carlos@contoso.onmicrosoft.com" = "+1 5555550103"
  }
}

run "rollout" {
  assert {
    condition     = output.sms_sign_in_state["carlos@contoso.onmicrosoft.com"] == "ready"
    error_message = "carlos should be ready for SMS sign-in"
  }
}

run "disable_sms_sign_in_by_hand" {
  module {
    source = "./tests/mockgraph-admin"
  }

  variables {
    method = "PATCH"
    # 3179e48a-... is Graph's fixed id of the mobile phone method.
    path = "/tenants/contoso.onmicrosoft.com/users/carlos@contoso.onmicrosoft.com/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7"
    body = { smsSignInEnabled = false }
  }
}

run "plan_sees_the_drift" {
  command = plan

  plan_options {
    mode = refresh-only
  }

  assert {
    condition     = entraauth_phone_authentication_method.mobile["carlos@contoso.onmicrosoft.com"].sms_sign_in_enabled == false
    error_message = "the refresh should read SMS sign-in as disabled"
  }

  assert {
    condition     = entraauth_phone_authentication_method.mobile["carlos@contoso.onmicrosoft.com"].sms_sign_in_state == "notEnabled"
    error_message = "the refresh should read smsSignInState notEnabled"
  }
}

run "apply_repairs_the_drift" {
  assert {
    condition     = output.sms_sign_in_state["carlos@contoso.onmicrosoft.com"] == "ready"
    error_message = "apply should enable SMS sign-in again"
  }
}
