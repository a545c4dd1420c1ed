# Workload identity federation from GitHub Actions: no secret at all. The job
# needs `permissions: id-token: write`; the provider reads GitHub's
# ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN itself.
# In Azure DevOps, set ARM_OIDC_REQUEST_URL / ARM_OIDC_REQUEST_TOKEN, or pass a
# token file with oidc_token_file_path.
provider "entraauth" {
  tenant_id = "00000000-0000-0000-0000-000000000000"
  client_id = "11111111-1111-1111-1111-111111111111"
  use_oidc  = true
}
