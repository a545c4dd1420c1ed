# By user (object id or user principal name) and Graph's id of the pass.
# The pass itself cannot be imported: Graph returns it only when it is created.
terraform import entraauth_temporary_access_pass.adele adele@contoso.com/00000000-0000-0000-0000-0000000000aa
