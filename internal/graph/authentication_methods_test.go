package graph

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// everyMethodType is a GET /users/{id}/authentication/methods answer with
// one method of every type, as Graph's reference pages show them
// (fido2 with Graph's own example's creationDateTime spelling), and a type
// Graph may add later with a property nobody knows.
const everyMethodType = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('adele%40contoso.com')/authentication/methods",
  "value": [
    {"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": "28c10230-6103-485e-b985-444c60001490", "password": null, "createdDateTime": "2023-01-05T10:11:12Z"},
    {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "3179e48a-750b-4051-897c-87b9720928f7", "phoneNumber": "+1 5555550100", "phoneType": "mobile", "smsSignInState": "ready"},
    {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "e37fc753-ff3b-4958-9484-eaa9425c82bc", "phoneNumber": "+1 42XXXXXX12", "phoneType": "office", "smsSignInState": "notSupported"},
    {"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "id": "3ddfcfc8-9383-446f-83cc-3ab9be4be18f", "emailAddress": "adele@fabrikam.example"},
    {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod", "id": "6f1f3bd5-5e6f-4c4e-b8f3-0ac6d9e6e8a4", "temporaryAccessPass": "TAPRFH#ox4la", "createdDateTime": "2024-02-03T04:05:06.1234567Z",
     "startDateTime": "2024-02-03T04:05:06Z", "lifetimeInMinutes": 60, "isUsableOnce": false, "isUsable": true, "methodUsabilityReason": "EnabledByPolicy"},
    {"@odata.type": "#microsoft.graph.fido2AuthenticationMethod", "id": "-2_GRUg2-HYz6_1YG4YRAQ2", "displayName": "Red key", "creationDateTime": "2020-08-10T06:44:09Z",
     "aaGuid": "2fc0579f-8113-47ea-b116-555a8db9202a", "model": "NFC key", "attestationCertificates": ["dbe793efdf1945e2df25d93653a1e8a3268a9075"], "attestationLevel": "attested"},
    {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "6ed6c5f7-0a5d-4f0e-a2b8-0d4e3b9c8a11", "displayName": "Adele's iPhone", "createdDateTime": "2022-05-06T07:08:09Z",
     "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.2204.2757"},
    {"@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod", "id": "b5e01f81-1f81-b5e0-811f-e0b5811fe0b5", "displayName": "Jordan's Surface Book", "createdDateTime": "2020-11-27T23:12:49Z", "keyStrength": "normal"},
    {"@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod", "id": "b172893e-893e-b172-3e89-72b13e8972b1", "secretKey": null},
    {"@odata.type": "#microsoft.graph.platformCredentialAuthenticationMethod", "id": "7f1e9b6c-2d3a-4e5f-8a9b-0c1d2e3f4a5b", "displayName": "Adele's MacBook", "createdDateTime": "2024-06-07T08:09:10Z", "keyStrength": "strong", "platform": "macOS"},
    {"@odata.type": "#microsoft.graph.futureAuthenticationMethod", "id": "f0f0f0f0-0000-4000-8000-00000000f0f0", "displayName": "Something new", "createdDateTime": "2026-01-01T00:00:00Z",
     "phoneNumber": "+1 5555550199", "keyStrength": "quantum", "futureProperty": {"nested": [1, 2]}}
  ]
}`

func ptr[T any](v T) *T { return &v }

func utc(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// everyMethodTypeWant is everyMethodType as ListAuthenticationMethods
// returns it.
var everyMethodTypeWant = []AuthenticationMethod{
	{ID: "28c10230-6103-485e-b985-444c60001490", Type: MethodTypePassword, CreatedDateTime: utc("2023-01-05T10:11:12Z")},
	{ID: "3179e48a-750b-4051-897c-87b9720928f7", Type: MethodTypePhone, PhoneType: ptr("mobile"), PhoneNumber: ptr("+1 5555550100"), SMSSignInState: ptr("ready")},
	{ID: "e37fc753-ff3b-4958-9484-eaa9425c82bc", Type: MethodTypePhone, PhoneType: ptr("office"), PhoneNumber: ptr("+1 42XXXXXX12"), SMSSignInState: ptr("notSupported")},
	{ID: "3ddfcfc8-9383-446f-83cc-3ab9be4be18f", Type: MethodTypeEmail, EmailAddress: ptr("adele@fabrikam.example")},
	{ID: "6f1f3bd5-5e6f-4c4e-b8f3-0ac6d9e6e8a4", Type: MethodTypeTemporaryAccessPass, CreatedDateTime: utc("2024-02-03T04:05:06.1234567Z"),
		IsUsable: ptr(true), MethodUsabilityReason: ptr("EnabledByPolicy"), LifetimeInMinutes: ptr(int64(60))},
	{ID: "-2_GRUg2-HYz6_1YG4YRAQ2", Type: MethodTypeFido2, DisplayName: ptr("Red key"), CreatedDateTime: utc("2020-08-10T06:44:09Z"),
		AAGUID: ptr("2fc0579f-8113-47ea-b116-555a8db9202a"), Model: ptr("NFC key")},
	{ID: "6ed6c5f7-0a5d-4f0e-a2b8-0d4e3b9c8a11", Type: MethodTypeAuthenticator, DisplayName: ptr("Adele's iPhone"), CreatedDateTime: utc("2022-05-06T07:08:09Z"),
		DeviceTag: ptr("SoftwareTokenActivated"), PhoneAppVersion: ptr("6.2204.2757")},
	{ID: "b5e01f81-1f81-b5e0-811f-e0b5811fe0b5", Type: MethodTypeWindowsHello, DisplayName: ptr("Jordan's Surface Book"), CreatedDateTime: utc("2020-11-27T23:12:49Z"), KeyStrength: ptr("normal")},
	{ID: "b172893e-893e-b172-3e89-72b13e8972b1", Type: MethodTypeSoftwareOath},
	{ID: "7f1e9b6c-2d3a-4e5f-8a9b-0c1d2e3f4a5b", Type: MethodTypePlatformCredential, DisplayName: ptr("Adele's MacBook"), CreatedDateTime: utc("2024-06-07T08:09:10Z"), KeyStrength: ptr("strong")},
	// Unknown: the common properties only, none of another type's.
	{ID: "f0f0f0f0-0000-4000-8000-00000000f0f0", Type: "futureAuthenticationMethod", DisplayName: ptr("Something new"), CreatedDateTime: utc("2026-01-01T00:00:00Z")},
}

var jsonHeaders = map[string]string{"Content-Type": "application/json"}

func TestListAuthenticationMethodsEveryType(t *testing.T) {
	t.Parallel()
	c, ss := newScriptClient(t, scriptedResponse{status: 200, headers: jsonHeaders, body: everyMethodType})
	got, err := c.ListAuthenticationMethods(context.Background(), "adele@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(everyMethodTypeWant) {
		t.Fatalf("got %d methods, want %d: %s", len(got), len(everyMethodTypeWant), describeMethods(got))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], everyMethodTypeWant[i]) {
			t.Errorf("method %d:\n got %s\nwant %s", i, describeMethods(got[i:i+1]), describeMethods(everyMethodTypeWant[i:i+1]))
		}
	}
	if s := describeMethods(got); strings.Contains(s, "TAPRFH") {
		t.Errorf("the pass reached the result: %s", s)
	}
	reqs := ss.requests()
	if len(reqs) != 1 || reqs[0].method != "GET" || reqs[0].path != "/v1.0/users/adele@contoso.com/authentication/methods" {
		t.Errorf("requests: %+v", reqs)
	}
	for _, typ := range []string{MethodTypePassword, MethodTypePhone, MethodTypeEmail, MethodTypeFido2, MethodTypeAuthenticator,
		MethodTypeWindowsHello, MethodTypeSoftwareOath, MethodTypeTemporaryAccessPass, MethodTypePlatformCredential} {
		if !KnownMethodType(typ) {
			t.Errorf("KnownMethodType(%q) = false", typ)
		}
	}
	if KnownMethodType("futureAuthenticationMethod") {
		t.Error("KnownMethodType(futureAuthenticationMethod) = true")
	}
}

// describeMethods prints pointers' values, for failure messages.
func describeMethods(ms []AuthenticationMethod) string {
	var parts []string
	for _, m := range ms {
		v := reflect.ValueOf(m)
		var fields []string
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					continue
				}
				f = f.Elem()
			}
			fields = append(fields, fmt.Sprintf("%s=%v", v.Type().Field(i).Name, f.Interface()))
		}
		parts = append(parts, "{"+strings.Join(fields, " ")+"}")
	}
	return strings.Join(parts, ", ")
}

func TestAuthenticationMethodFromJSONOddShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		want       AuthenticationMethod
	}{
		{"no @odata.type", `{"id":"x"}`, AuthenticationMethod{ID: "x", Type: "authenticationMethod"}},
		{"type without hash", `{"@odata.type":"microsoft.graph.emailAuthenticationMethod","id":"e","emailAddress":"a@b.example"}`,
			AuthenticationMethod{ID: "e", Type: MethodTypeEmail, EmailAddress: ptr("a@b.example")}},
		{"wrong JSON types left out", `{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethod","id":"t","isUsable":"yes","lifetimeInMinutes":"60","createdDateTime":"yesterday"}`,
			AuthenticationMethod{ID: "t", Type: MethodTypeTemporaryAccessPass}},
		{"nulls", `{"@odata.type":"#microsoft.graph.fido2AuthenticationMethod","id":"f","displayName":null,"aaGuid":null,"model":null,"createdDateTime":null}`,
			AuthenticationMethod{ID: "f", Type: MethodTypeFido2}},
		{"offset time to UTC", `{"@odata.type":"#microsoft.graph.passwordAuthenticationMethod","id":"p","createdDateTime":"2024-01-01T02:00:00+02:00"}`,
			AuthenticationMethod{ID: "p", Type: MethodTypePassword, CreatedDateTime: utc("2024-01-01T00:00:00Z")}},
	}
	for _, tc := range cases {
		c, _ := newScriptClient(t, scriptedResponse{status: 200, headers: jsonHeaders, body: `{"value":[` + tc.body + `]}`})
		got, err := c.ListAuthenticationMethods(context.Background(), "u")
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: %v %s", tc.name, err, describeMethods(got))
		}
		if !reflect.DeepEqual(got[0], tc.want) || (got[0].CreatedDateTime != nil && got[0].CreatedDateTime.Location() != time.UTC) {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, describeMethods(got), describeMethods([]AuthenticationMethod{tc.want}))
		}
	}
}

func TestListAuthenticationMethodsEmpty(t *testing.T) {
	t.Parallel()
	c, _ := newScriptClient(t, scriptedResponse{status: 200, headers: jsonHeaders, body: `{"value":[]}`})
	got, err := c.ListAuthenticationMethods(context.Background(), "u")
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("got %#v, %v; want an empty, non-nil list", got, err)
	}
}

// TestListAuthenticationMethodsPaging follows @odata.nextLink on Graph's
// endpoint, retrying a throttled second page alone, and refuses one that
// leaves it.
func TestListAuthenticationMethodsPaging(t *testing.T) {
	t.Parallel()
	c, ss := newScriptClient(t)
	next := c.Endpoints().GraphBaseURL() + "/users/u/authentication/methods/next-page?$skiptoken=abc"
	ss.mu.Lock()
	ss.script = []scriptedResponse{
		{status: 200, headers: jsonHeaders, body: `{"value":[{"@odata.type":"#microsoft.graph.passwordAuthenticationMethod","id":"p"}],"@odata.nextLink":"` + next + `"}`},
		{status: 429, headers: map[string]string{"Retry-After": "0", "Content-Type": "application/json"}, body: `{"error":{"code":"TooManyRequests","message":"throttled"}}`},
		{status: 200, headers: jsonHeaders, body: `{"value":[{"@odata.type":"#microsoft.graph.emailAuthenticationMethod","id":"e","emailAddress":"a@b.example"}]}`},
	}
	ss.mu.Unlock()
	got, err := c.ListAuthenticationMethods(context.Background(), "u")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "p" || got[1].ID != "e" || *got[1].EmailAddress != "a@b.example" {
		t.Errorf("got %s", describeMethods(got))
	}
	reqs := ss.requests()
	if len(reqs) != 3 || reqs[1].path != "/v1.0/users/u/authentication/methods/next-page" || reqs[2].path != reqs[1].path {
		t.Errorf("requests: %+v", reqs)
	}

	c, ss = newScriptClient(t, scriptedResponse{status: 200, headers: jsonHeaders,
		body: `{"value":[],"@odata.nextLink":"https://attacker.example/v1.0/users/u/authentication/methods?$skiptoken=abc"}`})
	_, err = c.ListAuthenticationMethods(context.Background(), "u")
	if err == nil || !strings.Contains(err.Error(), "not on the Graph endpoint") {
		t.Errorf("off-endpoint nextLink: %v", err)
	}
	if n := len(ss.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestListAuthenticationMethodsErrors: Graph's refusals carry the status,
// code and request-id; an empty user id sends nothing.
func TestListAuthenticationMethodsErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		code   string
		is     func(error) bool
	}{
		{403, "Authorization_RequestDenied", IsForbidden},
		{404, "Request_ResourceNotFound", IsUserNotFound},
	}
	for _, tc := range cases {
		c, _ := newScriptClient(t, scriptedResponse{status: tc.status, headers: map[string]string{"Content-Type": "application/json", "request-id": "rid-42"},
			body: `{"error":{"code":"` + tc.code + `","message":"refused","innerError":{"request-id":"rid-42"}}}`})
		_, err := c.ListAuthenticationMethods(context.Background(), "u")
		if !tc.is(err) || StatusCode(err) != tc.status {
			t.Fatalf("%d: %v", tc.status, err)
		}
		want := fmt.Sprintf("list authentication methods: HTTP %d %s: refused (request-id: rid-42", tc.status, tc.code)
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q, want it to start with %q", err, want)
		}
	}

	c, ss := newScriptClient(t, scriptedResponse{status: 200, headers: jsonHeaders, body: `{"value":[]}`})
	if _, err := c.ListAuthenticationMethods(context.Background(), " "); err == nil || !strings.Contains(err.Error(), "user id must not be empty") {
		t.Errorf("empty user: %v", err)
	}
	if n := len(ss.requests()); n != 0 {
		t.Errorf("%d requests for an empty user id", n)
	}
}
