# Throttling: Graph answers the next writes with 429 Too Many Requests and
# Retry-After (a fault installed through the mock's admin API); the rollout
# still converges, and the mock's request log shows the 429s were served.

provider "entraauth" {
  tenant_id     = "4f3c1a2b-7e6d-4c5b-9a8f-000000000a01"
  client_id     = "9b8a7c6d-5e4f-4a3b-8c2d-000000000a02"
  client_secret = "mock-secret-terraform-test"
  use_cli       = false
}

variables {
  mobiles = {
    "adele@contoso.onmicrosoft.com" = "+1 5555550101"
    "dana@contoso.onmicrosoft.com"  = "+1 5555550104"
  }
}

run "reset_request_log" {
  module {
    source = "./tests/mockgraph-admin"
  }

  variables {
    method = "DELETE"
    path   = "/requests"
  }
}

run "throttle_the_next_writes" {
  module {
    source = "./tests/mockgraph-admin"
  }

  variables {
    method = "POST"
    path   = "/faults"
    body   = { id = "throttle-writes", kind = "throttle", match = "write", count = 3, retry_after_seconds = 1 }
  }

  assert {
    condition     = output.response[0].remaining == 3
    error_message = "the mock did not install the fault: ${jsonencode(output.response)}"
  }
}

run "rollout_under_throttling" {
  assert {
    condition     = alltrue([for state in values(output.sms_sign_in_state) : state == "ready"])
    error_message = "the rollout should converge despite 429s: ${jsonencode(output.sms_sign_in_state)}"
  }
}

run "the_writes_were_throttled" {
  module {
    source = "./tests/mockgraph-admin"
  }

  variables {
    method = "GET"
    path   = "/requests?status=429"
  }

  assert {
    condition     = length(output.response) == 3 && alltrue([for r in output.response : r.fault == "throttle"])
    error_message = "want the 3 throttled writes in the request log, got ${jsonencode(output.response)}"
  }
}

run "clear_faults" {
  module {
    source = "./tests/mockgraph-admin"
  }

  variables {
    method = "DELETE"
    path   = "/faults"
  }
}
