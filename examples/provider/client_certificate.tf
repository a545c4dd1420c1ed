# Service principal with a certificate (PKCS#12 / .pfx file).
provider "entraauth" {
  tenant_id                   = "00000000-0000-0000-0000-000000000000"
  client_id                   = "11111111-1111-1111-1111-111111111111"
  client_certificate_path     = "/secure/terraform-sp.pfx"
  client_certificate_password = var.certificate_password
}

variable "certificate_password" {
  type      = string
  sensitive = true
}
