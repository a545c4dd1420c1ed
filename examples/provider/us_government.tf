# US Government L4 (GCC High). Use "usgovernmentl5" for DoD (L5) and "china"
# for Microsoft Azure operated by 21Vianet, where Graph does not offer
# enable/disable SMS sign-in.
provider "entraauth" {
  environment = "usgovernmentl4"
  tenant_id   = "00000000-0000-0000-0000-000000000000"
  client_id   = "11111111-1111-1111-1111-111111111111"
  use_oidc    = true
}
