# A managed identity of the VM, container or agent Terraform runs on. For a
# user-assigned identity, set client_id to the identity's client id.
provider "entraauth" {
  tenant_id = "00000000-0000-0000-0000-000000000000"
  use_msi   = true
}
