# A test helper, not part of the module: one call to the mock Graph's admin
# API per run block, through `mockgraph admin` (no curl needed). Use it to
# change Graph behind Terraform's back (drift), install faults, or read the
# mock's request log; the JSON answer is the output "response".
#
#   run "disable_sms_sign_in_by_hand" {
#     module { source = "./tests/mockgraph-admin" }
#     variables {
#       method = "PATCH"
#       path   = "/tenants/contoso.onmicrosoft.com/users/adele@contoso.onmicrosoft.com/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7"
#       body   = { smsSignInEnabled = false }
#     }
#   }
#
# The mock's admin URL and CA come from MOCKGRAPH_ADMIN_URL and
# MOCKGRAPH_CA_FILE (mockgraph --env-file writes both).

terraform {
  # Declared so the test files' provider "entraauth" block means the same
  # provider in every run block; this helper never calls it.
  required_providers {
    entraauth = {
      source = "entraauth/entraauth"
    }
  }
}

variable "method" {
  description = "HTTP method: GET, POST, PUT, PATCH or DELETE."
  type        = string
}

variable "path" {
  description = "The route below the admin URL, e.g. /faults (mockgraph --help lists them)."
  type        = string
}

variable "body" {
  description = "The request body, sent as JSON; null sends none."
  type        = any
  default     = null
}

variable "mockgraph" {
  description = "The mockgraph command (a name on PATH or a path)."
  type        = string
  default     = "mockgraph"
}

locals {
  # local-exec passes command as the last argument after interpreter, with
  # no shell in between, so JSON needs no quoting on any OS.
  args = var.body == null ? [var.path] : [var.path, jsonencode(var.body)]
  out  = "${path.cwd}/.terraform/mockgraph-admin/${terraform_data.call.id}.json"
}

resource "terraform_data" "call" {
  # A new call on every run, even with the same arguments.
  triggers_replace = timestamp()
  input            = { method = var.method, path = var.path }

  provisioner "local-exec" {
    interpreter = concat([var.mockgraph, "admin", "--out", "${path.cwd}/.terraform/mockgraph-admin/${self.id}.json", var.method], slice(local.args, 0, length(local.args) - 1))
    command     = local.args[length(local.args) - 1]
  }
}

output "response" {
  description = "The admin API's JSON answer (null for 204 No Content)."
  value       = jsondecode(file(local.out))
}
