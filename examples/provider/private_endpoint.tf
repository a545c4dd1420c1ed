# A private Graph endpoint or a local mock: both endpoints can be overridden.
# Plain http:// is accepted only for loopback hosts.
provider "entraauth" {
  tenant_id        = "00000000-0000-0000-0000-000000000000"
  client_id        = "11111111-1111-1111-1111-111111111111"
  client_secret    = var.client_secret
  msgraph_endpoint = "https://graph.contoso.internal"
  authority_host   = "https://login.contoso.internal/"
}

variable "client_secret" {
  type      = string
  sensitive = true
}
