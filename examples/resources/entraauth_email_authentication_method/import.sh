# By user (object id or user principal name): a user has one email method.
terraform import entraauth_email_authentication_method.adele adele@contoso.com
