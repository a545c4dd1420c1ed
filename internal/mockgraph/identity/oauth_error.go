package identity

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"time"
)

// aadError is one refusal of the token or discovery endpoints.
type aadError struct {
	status int    // HTTP status
	err    string // OAuth "error"
	code   int    // the AADSTS number, also in error_codes
	desc   string // text after "AADSTSnnn: "
}

// The refusals the mock produces, in one table. Status, "error" and code are
// what Entra returns where public error reports show it (7000215, 90002,
// 700016, 70011, 700024, 700027, 70021 and its newer 7002xx variants); the
// rest follow the same pattern and are the mock's best guess.
func errUnknownTenant(tenant string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf(
		"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant)}
}

func errDiscoveryUnknownTenant(tenant string) aadError {
	e := errUnknownTenant(tenant)
	e.err = "invalid_tenant" // the discovery document uses its own error name
	return e
}

func errPostOnly(method string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 900561, fmt.Sprintf(
		"The endpoint only accepts POST, OPTIONS requests. Received a %s request.", method)}
}

func errMissingParam(name string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 900144, fmt.Sprintf(
		"The request body must contain the following parameter: '%s'.", name)}
}

func errBadBody() aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 900144,
		"The request body must be application/x-www-form-urlencoded."}
}

func errUnsupportedGrant(grant string) aadError {
	return aadError{http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf(
		"The app requested an unsupported grant type '%s'. The mock supports client_credentials only.", grant)}
}

func errUnknownApp(clientID, tenant string) aadError {
	return aadError{http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf(
		"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, tenant)}
}

func errInvalidScope(scope string) aadError {
	return aadError{http.StatusBadRequest, "invalid_scope", 70011, fmt.Sprintf(
		"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", scope)}
}

func errNoCredential() aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

func errTwoCredentials() aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 7000219,
		"The request must contain either client_secret or client_assertion, not both."}
}

func errCertNotRegistered() aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 700027,
		"The certificate with identifier used to sign the client assertion is not registered on application."}
}

func errServer() aadError {
	return aadError{http.StatusInternalServerError, "server_error", 90033,
		"A transient error has occurred. Please try again."}
}

func errBadSecret(clientID string) aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf(
		"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)}
}

// errExpiredSecret is Entra's answer to a client secret past its end date.
func errExpiredSecret(clientID string) aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 7000222, fmt.Sprintf(
		"The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", clientID)}
}

func errAssertionType(t string) aadError {
	return aadError{http.StatusBadRequest, "invalid_request", 700025, fmt.Sprintf(
		"client_assertion_type '%s' is not supported; use urn:ietf:params:oauth:client-assertion-type:jwt-bearer.", t)}
}

func errMalformedAssertion() aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 50027,
		"JWT token is invalid or malformed."}
}

func errAssertionSignature(reason string) aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 700027,
		"Client assertion failed signature validation. [Reason - " + reason + "]"}
}

func errAssertionAudience() aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 700023,
		"Client assertion audience claim does not match Realm issuer (the token endpoint of this tenant)."}
}

func errAssertionClientMismatch() aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 700021,
		"Client assertion application identifier doesn't match 'client_id' parameter."}
}

func errAssertionTime(now time.Time, nbf, exp *time.Time) aadError {
	f := func(t *time.Time) string {
		if t == nil {
			return "(absent)"
		}
		return t.UTC().Format("1/2/2006 3:04:05 PM")
	}
	return aadError{http.StatusUnauthorized, "invalid_client", 700024, fmt.Sprintf(
		"Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s.",
		now.UTC().Format(time.RFC3339), f(nbf), f(exp))}
}

func errNoFederatedMatch(iss, sub string, aud []string) aadError {
	return aadError{http.StatusUnauthorized, "invalid_client", 70021, fmt.Sprintf(
		"No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '%v'.", iss, sub, aud)}
}

func errExternalIssuer(iss string) aadError {
	// The mock cannot fetch keys from any issuer but its own: it never sends
	// traffic off the machine.
	return aadError{http.StatusUnauthorized, "invalid_client", 50166, fmt.Sprintf(
		"Request to External OIDC endpoint failed. The mock only verifies tokens from its own issuer, not '%s'.", iss)}
}

// aadErrorBody is the JSON body Entra returns with every OAuth refusal.
type aadErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// guidPattern accepts a client-request-id only when it looks like the GUID
// MSAL sends, so arbitrary header text is never reflected in a response.
var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (a *Authority) writeAADError(w http.ResponseWriter, r *http.Request, e aadError) {
	trace := newGUID()
	corr := r.Header.Get("client-request-id")
	if !guidPattern.MatchString(corr) {
		corr = newGUID()
	}
	ts := a.now().UTC().Format("2006-01-02 15:04:05Z")
	body := aadErrorBody{
		Error: e.err,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			e.code, e.desc, trace, corr, ts),
		ErrorCodes:    []int{e.code},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: corr,
		ErrorURI:      fmt.Sprintf("%s/error?code=%d", a.base(r), e.code),
	}
	w.Header().Set("client-request-id", corr)
	w.Header().Set("x-ms-request-id", trace)
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client hung up; nothing to do
}
