# The rollout: phones and smsSignInState, checked in Terraform's state and
# read back from Graph. Run with the mock started from
# tests/mockgraph-seed.json (see the guide).

# The app registered in tests/mockgraph-seed.json. The endpoints come from
# ARM_MSGRAPH_ENDPOINT and ARM_AUTHORITY_HOST (mockgraph --env-file writes
# them) and the mock's CA from SSL_CERT_FILE.
provider "entraauth" {
  tenant_id     = "4f3c1a2b-7e6d-4c5b-9a8f-000000000a01"
  client_id     = "9b8a7c6d-5e4f-4a3b-8c2d-000000000a02"
  client_secret = "mock-secret-terraform-test"
  use_cli       = false
}

variables {
  mobiles = {
    "adele@contoso.onmicrosoft.com"  = "+1 5555550101"
    "bianca@contoso.onmicrosoft.com" = "+44 7700900102"
  }
}

run "rejects_numbers_graph_would_refuse" {
  command = plan

  variables {
    mobiles = {
      "adele@contoso.onmicrosoft.com" = "+15555550101"
    }
  }

  expect_failures = [var.mobiles]
}

run "rollout" {
  assert {
    condition     = entraauth_phone_authentication_method.mobile["adele@contoso.onmicrosoft.com"].phone_number == "+1 5555550101"
    error_message = "adele's mobile is not the configured number"
  }

  assert {
    condition     = alltrue([for state in values(output.sms_sign_in_state) : state == "ready"])
    error_message = "every rolled-out mobile should be ready for SMS sign-in: ${jsonencode(output.sms_sign_in_state)}"
  }
}

# Read Graph itself, not Terraform's state.
run "graph_has_the_phones" {
  module {
    source = "./tests/read-phones"
  }

  variables {
    user_id = "bianca@contoso.onmicrosoft.com"
  }

  assert {
    condition     = length(data.entraauth_phone_authentication_methods.user.phone_methods) == 1
    error_message = "bianca should have exactly one phone"
  }

  assert {
    condition     = data.entraauth_phone_authentication_methods.user.phone_methods[0].phone_number == "+44 7700900102" && data.entraauth_phone_authentication_methods.user.phone_methods[0].sms_sign_in_state == "ready"
    error_message = "Graph holds ${jsonencode(data.entraauth_phone_authentication_methods.user.phone_methods)}"
  }
}

run "opt_out_of_sms_sign_in" {
  variables {
    sms_sign_in = false
  }

  assert {
    condition     = alltrue([for state in values(output.sms_sign_in_state) : state == "notEnabled"])
    error_message = "with sms_sign_in = false every mobile should be notEnabled: ${jsonencode(output.sms_sign_in_state)}"
  }
}
