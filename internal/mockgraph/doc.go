// Package mockgraph is a stateful stand-in for the Microsoft Graph v1.0
// phone authentication methods API, the authentication methods policy (every
// method configuration, the SMS one typed for sign-in evaluation)
// and (through package identity) the Entra token endpoint. It is as strict
// as Graph is documented to be and fails the way Graph fails, so code that
// passes here should pass in a real tenant.
//
// # Use from Go
//
//	s, err := mockgraph.Start(mockgraph.Options{CA: sharedCA, Seed: seed})
//	t.Cleanup(s.Close)
//	// Graph base URL s.GraphEndpoint() (+ "/v1.0"), authority s.AuthorityHost(),
//	// token scope s.GraphEndpoint() + "/.default", trust s.CA().
//
// One server serves everything on one loopback port: /v1.0/... is Graph,
// /_mock/... the admin API (see admin.go; no token needed, loopback only),
// /_mock/oidc/... and every other path the authority (discovery and token
// endpoints under /{tenant}/...).
//
// # Graph surface
//
//	GET|POST         /v1.0/users/{id|UPN}/authentication/phoneMethods
//	GET|PATCH|DELETE /v1.0/users/{id|UPN}/authentication/phoneMethods/{methodId}
//	POST             /v1.0/users/{id|UPN}/authentication/phoneMethods/{methodId}/enableSmsSignIn
//	POST             /v1.0/users/{id|UPN}/authentication/phoneMethods/{methodId}/disableSmsSignIn
//	GET              /v1.0/me/authentication/phoneMethods[/{methodId}]  (delegated tokens)
//	DELETE           /v1.0/me/authentication/phoneMethods/{methodId}
//	POST             /v1.0/me/authentication/phoneMethods/{methodId}/(enable|disable)SmsSignIn
//	GET|PATCH        /v1.0/policies/authenticationMethodsPolicy
//	GET|PATCH        /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms
//	GET|PATCH        /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}  (Fido2, MicrosoftAuthenticator, ...)
//	GET|POST         /v1.0/users/{id|UPN}/authentication/emailMethods
//	GET|PATCH|DELETE /v1.0/users/{id|UPN}/authentication/emailMethods/{methodId}  (/me: GET, DELETE)
//	GET|POST         /v1.0/users/{id|UPN}/authentication/temporaryAccessPassMethods
//	GET|DELETE       /v1.0/users/{id|UPN}/authentication/temporaryAccessPassMethods/{methodId}  (/me: GET, DELETE)
//	GET              /v1.0/users/{id|UPN}/authentication/methods[/{methodId}]  (and /me)
//	GET              /v1.0/users                                                ($select, $top, $count; paged)
//	GET              /v1.0/users/{id|UPN}                                       ($select)
//	GET              /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user   ($select, $top, $count; paged)
//
// The directory reads (directory.go) page as Graph does: $top 1..999
// (default 100), @odata.nextLink on the mock's own base URL with an opaque
// $skiptoken, in object id order, so a link keeps working while users are
// added. Group members are transitive through nested groups (seed Group
// "groups"), each user once. Seeds add users in bulk with generateUsers.
//
// UPNs and literal path segments match case-insensitively. Bodies may be
// gzip-encoded; @odata.type is accepted; read-only (id, smsSignInState) and
// unknown properties are 400. A wrong method is 405 with Allow, an unknown
// path 404, all in Graph's error envelope with innerError request-id, date
// and the caller's client-request-id (or the request-id when none was
// sent), which also come back as response headers.
//
// Every status and code for a broken rule is in ruleTable (rules.go); where
// the docs are silent those are choices, marked there.
//
// # Authorization model
//
// Every /v1.0 call is authenticated (401 InvalidAuthenticationToken) and
// runs in the token's tenant. App tokens need UserAuthenticationMethod
// .ReadWrite.All or UserAuthMethod-Phone.ReadWrite.All to write, or the
// .Read.All variants to read (else 403 accessDenied "Request Authorization
// failed", as real tenants answer; the directory reads answer 403
// Authorization_RequestDenied). The SMS
// policy needs Policy.ReadWrite.AuthenticationMethod to write and that,
// Policy.Read.All or Policy.Read.AuthenticationMethod to read. Listing and
// getting users needs User.Read.All (delegated also User.ReadBasic.All),
// User.ReadWrite.All or Directory.Read(Write).All; a group's transitive
// members GroupMember.Read.All, Group.Read.All, their ReadBasic, ReadWrite
// and Directory variants. Delegated
// tokens: see reqCtx.phoneAccess (self-service list/get/delete/enable/disable
// with self scopes; other users and create/update need an .All scope plus
// Authentication Administrator or Privileged Authentication Administrator;
// an Authentication Administrator sees other users' numbers masked, e.g.
// "+1 XXXXXXXX34"). /me with an app token is 400, as in Graph.
//
// The email method (email_methods.go), Temporary Access Passes
// (temporary_access_pass_methods.go: creation follows the tenant's
// TemporaryAccessPass configuration at the time of the request; the pass is
// in the create response only) and the list of every method
// (authentication_methods.go, read-only types seeded or added with
// AddAuthenticationMethod) are described row by row in FIDELITY.md.
//
// # smsSignInState
//
// Derived on every read, so it follows policy, number and registration
// changes at once: notSupported (not mobile), notAllowedByPolicy, notEnabled,
// phoneNumberNotUnique (another user of the tenant registered the same
// number, extension and spelling ignored, earlier), ready, notConfigured. A
// mobile added through Graph for a user the policy allows reads
// notConfigured until enableSmsSignIn or disableSmsSignIn, as real tenants
// answer; SetNewMobilesNotConfigured(false) registers it at once instead,
// as the create docs say.
//
// # Phone numbers
//
// The documented '+{country code} {number}x{extension}' ("+1 5555551234x12")
// and, as real Graph accepts it, E.164 without the space ("+15555551234"),
// stored and returned as written (ValidPhoneNumber, FIDELITY.md).
//
// # Faults
//
// See Fault: latency and jitter, 429 with Retry-After (seconds or
// HTTP-date), 503/504, a dropped connection after the write was applied,
// a response held back after the write was applied (slow_response),
// read-after-write lag (404 or stale), raw responses, plus the per-tenant
// WriteBudget token bucket (Graph: 18,000 writes per 5 minutes).
package mockgraph
