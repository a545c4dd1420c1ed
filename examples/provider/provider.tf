# Service principal with a client secret, global cloud. Every setting can come
# from the ARM_* environment variables instead (ARM_TENANT_ID, ARM_CLIENT_ID,
# ARM_CLIENT_SECRET), which keeps secrets out of the configuration.
provider "entraauth" {
  tenant_id     = "00000000-0000-0000-0000-000000000000"
  client_id     = "11111111-1111-1111-1111-111111111111"
  client_secret = var.client_secret
}

variable "client_secret" {
  type      = string
  sensitive = true
}
