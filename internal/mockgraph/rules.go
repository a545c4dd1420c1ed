package mockgraph

import (
	"net/http"
	"regexp"
)

// rule names one failure the mock can report. Its HTTP status, Graph error
// code and message live in ruleTable, the single place to change them.
type rule string

const (
	ruleInvalidPhoneNumber       rule = "invalidPhoneNumber"
	ruleInvalidPhoneType         rule = "invalidPhoneType"
	ruleMissingProperty          rule = "missingProperty"
	rulePhoneTypeExists          rule = "phoneTypeExists"
	ruleAlternateWithoutMobile   rule = "alternateMobileWithoutMobile"
	ruleDeleteMobileWithAlt      rule = "deleteMobileWhileAlternateMobileExists"
	ruleDeleteDefaultMethod      rule = "deleteDefaultMethodWithOtherMethods"
	rulePhoneTypeChange          rule = "phoneTypeChange"
	ruleSmsNotMobile             rule = "smsSignInNotMobile"
	ruleSmsNotAllowedByPolicy    rule = "smsSignInNotAllowedByPolicy"
	ruleSmsNumberNotUnique       rule = "smsSignInNumberNotUnique"
	ruleNumberNotUniqueApplied   rule = "phoneNumberNotUniqueApplied"
	ruleUserNotFound             rule = "userNotFound"
	ruleMethodNotFound           rule = "methodNotFound"
	ruleUnknownProperty          rule = "unknownProperty"
	ruleReadOnlyProperty         rule = "readOnlyProperty"
	ruleInvalidBody              rule = "invalidBody"
	ruleInvalidPolicy            rule = "invalidPolicy"
	ruleConfigurationNotFound    rule = "configurationNotFound"
	ruleUnexpectedBody           rule = "unexpectedBody"
	ruleMethodNotAllowed         rule = "methodNotAllowed"
	ruleRouteNotFound            rule = "routeNotFound"
	ruleMeNotDelegated           rule = "meWithoutDelegatedToken"
	ruleUnauthenticated          rule = "invalidAuthenticationToken"
	ruleTenantUnknown            rule = "tenantUnknown"
	ruleForbidden                rule = "authorizationRequestDenied"
	rulePhoneAccessDenied        rule = "phoneAccessDenied"
	ruleThrottled                rule = "throttled"
	ruleServiceUnavailable       rule = "serviceUnavailable"
	ruleGatewayTimeout           rule = "gatewayTimeout"
	ruleReadAfterWriteLagMissing rule = "readAfterWriteLagNotFound"
	// Directory reads (directory.go).
	ruleInvalidPageSize           rule = "invalidPageSize"
	ruleDirectoryBadQuery         rule = "directoryBadQuery"
	ruleDirectoryUnsupportedQuery rule = "directoryUnsupportedQuery"
	// A user's email method, Temporary Access Passes and all methods.
	ruleEmailMethodNotFound   rule = "emailMethodNotFound"
	ruleEmailMethodExists     rule = "emailMethodExists"
	ruleInvalidEmailAddress   rule = "invalidEmailAddress"
	ruleEmailODataTypeRefused rule = "emailPatchODataTypeRefused"
	ruleTAPNotFound           rule = "temporaryAccessPassNotFound"
	ruleTAPPolicyRefused      rule = "temporaryAccessPassPolicyRefused"
	ruleTAPInvalidLifetime    rule = "temporaryAccessPassInvalidLifetime"
	ruleTAPMultiUseNotAllowed rule = "temporaryAccessPassMultiUseNotAllowed"
	ruleTAPExists             rule = "temporaryAccessPassExists"
	ruleTAPForSelf            rule = "temporaryAccessPassForSelf"
	ruleAuthMethodNotFound    rule = "authenticationMethodNotFound"
)

// ruleOutcome is what Graph answers when a rule is broken.
type ruleOutcome struct {
	Status  int
	Code    string
	Message string
}

// ruleTable maps every rule to its answer.
//
// FIDELITY.md beside this file says, for every behaviour of the mock,
// whether it is documented, observed in real tenants, or chosen.
//
// THESE ARE CHOICES. Microsoft's reference pages state the rules
// (https://learn.microsoft.com/graph/api/resources/phoneauthenticationmethod
// and the pages of its operations) but mostly not the status and code Graph
// returns when one is broken. Where the docs or well-known Graph behaviour
// give the answer it is used (401 InvalidAuthenticationToken, 403
// Authorization_RequestDenied, 404 Request_ResourceNotFound for users, the
// /me message, 429 with Retry-After); everything else is the most plausible
// pick from Graph's documented code list (concepts/errors). Clients must
// branch on status and smsSignInState, never on messages.
var ruleTable = map[rule]ruleOutcome{
	ruleInvalidPhoneNumber:     {http.StatusBadRequest, "invalidRequest", "Invalid phone number format. Phone numbers must use the format '+{country code} {number}x{extension}', for example '+1 5555551234' or '+1 5555551234x123'."},
	ruleInvalidPhoneType:       {http.StatusBadRequest, "invalidRequest", "Invalid value for phoneType. Possible values are: mobile, alternateMobile, office."},
	ruleMissingProperty:        {http.StatusBadRequest, "invalidRequest", "A required property is missing."},
	rulePhoneTypeExists:        {http.StatusBadRequest, "invalidRequest", "A phone method of this phoneType already exists for the user. A user may only have one phone of each type."},
	ruleAlternateWithoutMobile: {http.StatusBadRequest, "invalidRequest", "A mobile phone must exist before an alternateMobile phone can be added."},
	ruleDeleteMobileWithAlt:    {http.StatusBadRequest, "invalidRequest", "The mobile phone cannot be deleted while an alternateMobile phone exists. Update the mobile phone instead."},
	// Observed text and code (microsoft-graph-docs issues 14470, 18091).
	ruleDeleteDefaultMethod:   {http.StatusBadRequest, "badRequest", "Cannot delete default method with other methods configured. Please change default method before deletion."},
	rulePhoneTypeChange:       {http.StatusBadRequest, "invalidRequest", "phoneType cannot be changed. Add a phone of the new type, then delete the old one."},
	ruleSmsNotMobile:          {http.StatusBadRequest, "invalidRequest", "SMS sign-in is only supported on the mobile phone."},
	ruleSmsNotAllowedByPolicy: {http.StatusBadRequest, "invalidRequest", "The user is not enabled for SMS sign-in by the authentication methods policy."},
	ruleSmsNumberNotUnique:    {http.StatusBadRequest, "invalidRequest", "The phone number is already used for SMS sign-in by another user in the tenant."},
	ruleUserNotFound:          {http.StatusNotFound, "Request_ResourceNotFound", "Resource does not exist or one of its queried reference-property objects are not present."},
	ruleMethodNotFound:        {http.StatusNotFound, "itemNotFound", "The phone authentication method was not found."},
	// Observed, not documented: the write is applied and 409 is answered
	// anyway (see FIDELITY.md, "409 that was applied").
	ruleNumberNotUniqueApplied: {http.StatusConflict, "phoneNumberNotUnique", "The phone number is already used for SMS sign-in by another user in the tenant."},
	ruleUnknownProperty:        {http.StatusBadRequest, "BadRequest", "The request body contains a property that does not exist on the type."},
	ruleReadOnlyProperty:       {http.StatusBadRequest, "BadRequest", "The request body contains a read-only property."},
	ruleInvalidBody:            {http.StatusBadRequest, "BadRequest", "The request body is not valid JSON for this operation."},
	ruleInvalidPolicy:          {http.StatusBadRequest, "BadRequest", "Invalid authentication method configuration."},
	// Chosen: an authentication method configuration id Graph does not know.
	ruleConfigurationNotFound: {http.StatusNotFound, "itemNotFound", "The authentication method configuration was not found."},
	ruleUnexpectedBody:        {http.StatusBadRequest, "BadRequest", "This action does not accept a request body."},
	ruleMethodNotAllowed:      {http.StatusMethodNotAllowed, "Request_BadRequest", "The HTTP method is not allowed on this resource."},
	// Observed: unsupported routes come from the backend with UnknownError
	// (microsoft-graph-docs-contrib issue 3981).
	ruleRouteNotFound:   {http.StatusNotFound, "UnknownError", "No HTTP resource was found that matches the request URI."},
	ruleMeNotDelegated:  {http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow."},
	ruleUnauthenticated: {http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid."},
	ruleTenantUnknown:   {http.StatusUnauthorized, "InvalidAuthenticationToken", "The token's tenant is unknown to this service."},
	ruleForbidden:       {http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."},
	// Observed on the authentication methods routes (msgraph-sdk-go issue
	// 441, msgraph-sdk-powershell issue 2602).
	rulePhoneAccessDenied:        {http.StatusForbidden, "accessDenied", "Request Authorization failed"},
	ruleThrottled:                {http.StatusTooManyRequests, "TooManyRequests", "Too many requests. Retry after the number of seconds in the Retry-After header."},
	ruleServiceUnavailable:       {http.StatusServiceUnavailable, "serviceNotAvailable", "The service is temporarily unavailable. Try again later."},
	ruleGatewayTimeout:           {http.StatusGatewayTimeout, "UnknownError", "The gateway timed out."},
	ruleReadAfterWriteLagMissing: {http.StatusNotFound, "itemNotFound", "The phone authentication method was not found."},
	// Observed: $top outside 1..999 on a directory collection
	// (turbot/steampipe-plugin-azuread quotes the answer). The message is
	// built with the value sent.
	ruleInvalidPageSize: {http.StatusBadRequest, "Request_UnsupportedQuery", "Invalid page size specified. Must be between 1 and 999 inclusive."},
	// Chosen: Graph's directory answers malformed query options with
	// Request_BadRequest; each message is written where it is detected.
	ruleDirectoryBadQuery: {http.StatusBadRequest, "Request_BadRequest", "Invalid query."},
	// Chosen: query options the mock does not implement ($filter, $orderby,
	// $search, $expand) are refused rather than ignored.
	ruleDirectoryUnsupportedQuery: {http.StatusBadRequest, "Request_UnsupportedQuery", "This query option is not implemented by the mock."},
	// Chosen, as for phones: a user without an email method, or another id.
	ruleEmailMethodNotFound: {http.StatusNotFound, "itemNotFound", "The email authentication method was not found."},
	// Chosen: the docs say a user may have only one email method but not
	// what a second create answers.
	ruleEmailMethodExists: {http.StatusBadRequest, "badRequest", "The user already has an email authentication method. Update it instead."},
	// Chosen: no public report of the answer to a malformed address.
	ruleInvalidEmailAddress: {http.StatusBadRequest, "badRequest", "Invalid email address."},
	// Observed (msgraph-sdk-dotnet issues 1616, 1901): a PATCH whose body
	// carries @odata.type is refused with this code and text.
	ruleEmailODataTypeRefused: {http.StatusBadRequest, "badRequest", "Unable to parse request body as an authentication method."},
	ruleTAPNotFound:           {http.StatusNotFound, "itemNotFound", "The temporary access pass authentication method was not found."},
	// Observed text (azure-docs issue 111778, glueckkanja/MyWorkID issue
	// 47); status and code chosen.
	ruleTAPPolicyRefused: {http.StatusBadRequest, "badRequest", "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass]."},
	// Observed text (microsoft-graph-docs PR 12187), built with the
	// configuration's range; status and code chosen.
	ruleTAPInvalidLifetime: {http.StatusBadRequest, "badRequest", "Invalid LifetimeInMinutes specified."},
	// Documented rule (create page: a multi-use pass only when the policy
	// allows it); status, code and text chosen.
	ruleTAPMultiUseNotAllowed: {http.StatusBadRequest, "badRequest", "The Temporary Access Pass policy requires one-time use passes: isUsableOnce cannot be false."},
	// Chosen: scripts report a second create refused until the first pass
	// is deleted, without quoting the answer.
	ruleTAPExists: {http.StatusBadRequest, "badRequest", "The user already has a Temporary Access Pass. Delete it before creating a new one."},
	// Chosen: administrators cannot issue a pass to themselves (entra-docs);
	// no public report quotes the answer.
	ruleTAPForSelf: {http.StatusForbidden, "accessDenied", "An administrator cannot create a Temporary Access Pass for themselves."},
	// Chosen, as for phones.
	ruleAuthMethodNotFound: {http.StatusNotFound, "itemNotFound", "The authentication method was not found."},
}

// phoneNumberPattern is the accepted phoneNumber format, a choice made
// precise from the documented '+{country code} {number}x{extension}':
//   - country code: 1-3 digits, no leading 0 (ITU E.164 codes);
//   - exactly one space;
//   - subscriber number: 4-14 digits (E.164 caps the whole number at 15
//     digits; 4 admits the shortest national numbers);
//   - optional 'x' and a 1-10 digit extension;
//
// or the same without the space, E.164 as real Graph accepts it (observed,
// FIDELITY.md): '+' and 5-17 digits, exactly the digit strings some spaced
// form above has once its space is removed. Such a number is stored and
// returned as written (the mock cannot know where its country code ends).
//
// No other spaces, dashes or parentheses are accepted.
var phoneNumberPattern = regexp.MustCompile(`^\+[1-9]([0-9]{0,2} [0-9]{4,14}|[0-9]{4,16})(x[0-9]{1,10})?$`)

// ValidPhoneNumber reports whether n matches a format Graph accepts: the
// documented '+{country code} {number}x{extension}' or E.164 without the
// space ('+15555551234').
func ValidPhoneNumber(n string) bool { return phoneNumberPattern.MatchString(n) }
