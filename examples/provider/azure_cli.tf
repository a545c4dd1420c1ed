# On a laptop: the account signed in with `az login` (the default when no
# other credential is configured). The signed-in user needs the Authentication
# Administrator or Privileged Authentication Administrator role.
provider "entraauth" {
  tenant_id = "00000000-0000-0000-0000-000000000000"
}
