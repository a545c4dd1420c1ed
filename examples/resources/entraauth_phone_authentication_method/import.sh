# By user (object id or user principal name) and phone type:
terraform import entraauth_phone_authentication_method.adele_mobile adele@contoso.com/mobile

# Or by user and Graph's phone method id:
terraform import entraauth_phone_authentication_method.adele_mobile 00000000-0000-0000-0000-000000000001/3179e48a-750b-4051-897c-87b9720928f7
