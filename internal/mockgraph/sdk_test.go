package mockgraph_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	azauth "github.com/microsoft/kiota-authentication-azure-go"
	nethttplibrary "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

const (
	sdkTenant = "5dk00000-0000-4000-8000-000000000001"
	sdkApp    = "5dk00000-0000-4000-8000-0000000000a1"
	sdkSecret = "sdk-secret"
	sdkUser   = "sam@sdk.example"
)

// encodingRecorder notes the Content-Encoding of each write the SDK sends.
type encodingRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (e *encodingRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		e.mu.Lock()
		e.seen = append(e.seen, r.Method+" "+r.Header.Get("Content-Encoding"))
		e.mu.Unlock()
	}
	return e.next.RoundTrip(r)
}

// TestMSGraphSDK drives the mock with the real msgraph-sdk-go client and
// azidentity's client-secret credential over TLS, as the provider will.
func TestMSGraphSDK(t *testing.T) {
	s, err := mockgraph.Start(mockgraph.Options{Seed: &mockgraph.Seed{Tenants: []mockgraph.SeedTenant{{
		ID: sdkTenant, Domain: "sdk.example",
		Apps:      []identity.App{{ClientID: sdkApp, Secrets: []string{sdkSecret}, Roles: []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod"}}},
		Users:     []mockgraph.SeedUser{{User: mockgraph.User{UserPrincipalName: sdkUser}}},
		SMSPolicy: &mockgraph.SMSPolicy{State: "enabled", IncludeTargets: []mockgraph.SMSIncludeTarget{{ID: mockgraph.AllUsers, TargetType: "group", IsUsableForSignIn: true}}},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	base := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CA().Pool()}}
	cred, err := azidentity.NewClientSecretCredential(sdkTenant, sdkApp, sdkSecret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: s.AuthorityHost()}, Transport: &http.Client{Transport: base}},
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Allowed hosts are host names without the port (the SDK checks URL.Hostname()).
	auth, err := azauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred, []string{s.GraphEndpoint() + "/.default"}, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &encodingRecorder{next: base}
	// Explicit order: compression outside retry, so a retried write is
	// re-sent compressed (kiota-http-go issue 183).
	httpClient := &http.Client{Transport: nethttplibrary.NewCustomTransportWithParentTransport(rec,
		nethttplibrary.NewCompressionHandler(),
		// NewRetryHandlerWithOptions without ShouldRetry panics (nil func): use the default.
		nethttplibrary.NewRetryHandler(),
	)}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(s.GraphEndpoint() + "/v1.0")
	client := msgraphsdk.NewGraphServiceClient(adapter)
	phones := client.Users().ByUserId(sdkUser).Authentication().PhoneMethods()

	// A 429 on the first read: the SDK's retry handler honours Retry-After.
	// The throttled call is a GET on purpose: kiota-http-go's RetryHandler
	// rewinds a write's body with Seek while net/http may still be sending
	// the first attempt's copy (the mock answers 429 before reading the
	// body), a data race the race detector reports. The provider does not
	// use that handler for this reason; internal/graph retries by building
	// a new request.
	if _, err := s.AddFaults(mockgraph.Fault{Kind: mockgraph.FaultThrottle, Match: mockgraph.OpGet, Count: 1, RetryAfterSeconds: 1}); err != nil {
		t.Fatal(err)
	}
	body := models.NewPhoneAuthenticationMethod()
	num, typ := "+1 5555550123", models.MOBILE_AUTHENTICATIONPHONETYPE
	body.SetPhoneNumber(&num)
	body.SetPhoneType(&typ)
	created, err := phones.Post(ctx, body, nil)
	if err != nil {
		t.Fatalf("create: %v", describe(err))
	}
	if *created.GetId() != mockgraph.MobileMethodID || created.GetSmsSignInState() == nil || created.GetSmsSignInState().String() != "notConfigured" {
		t.Fatalf("created %v %v", *created.GetId(), created.GetSmsSignInState())
	}
	item := phones.ByPhoneAuthenticationMethodId(mockgraph.MobileMethodID)
	if err := item.DisableSmsSignIn().Post(ctx, nil); err != nil {
		t.Fatalf("disable: %v", describe(err))
	}
	got, err := item.Get(ctx, nil)
	if err != nil || got.GetSmsSignInState().String() != "notEnabled" {
		t.Fatalf("get after disable: %v %v", got, describe(err))
	}
	if err := item.EnableSmsSignIn().Post(ctx, nil); err != nil {
		t.Fatalf("enable: %v", describe(err))
	}
	patch := models.NewPhoneAuthenticationMethod()
	newNum := "+1 5555550124"
	patch.SetPhoneNumber(&newNum)
	if res, err := item.Patch(ctx, patch, nil); err != nil || res != nil {
		t.Fatalf("patch: %v %v", res, describe(err))
	}
	list, err := phones.Get(ctx, nil)
	if err != nil || len(list.GetValue()) != 1 || *list.GetValue()[0].GetPhoneNumber() != newNum {
		t.Fatalf("list: %v", describe(err))
	}

	// A rule violation arrives as an ODataError with status, code and request-id.
	_, err = phones.Post(ctx, body, nil)
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) || oe.ResponseStatusCode != 400 || oe.GetErrorEscaped() == nil || *oe.GetErrorEscaped().GetCode() != "invalidRequest" {
		t.Fatalf("duplicate mobile: %v", describe(err))
	}
	if inner := oe.GetErrorEscaped().GetInnerError(); inner == nil || inner.GetRequestId() == nil || *inner.GetRequestId() == "" {
		t.Fatal("no innerError.request-id")
	}

	// Policy round trip with the SDK's @odata.type-bearing bodies.
	cfgs := client.Policies().AuthenticationMethodsPolicy().AuthenticationMethodConfigurations()
	pol := models.NewSmsAuthenticationMethodConfiguration()
	state := models.DISABLED_AUTHENTICATIONMETHODSTATE
	pol.SetState(&state)
	target := models.NewSmsAuthenticationMethodTarget()
	tid, ttype, usable := mockgraph.AllUsers, models.GROUP_AUTHENTICATIONMETHODTARGETTYPE, true
	target.SetId(&tid)
	target.SetTargetType(&ttype)
	target.SetIsUsableForSignIn(&usable)
	pol.SetIncludeTargets([]models.SmsAuthenticationMethodTargetable{target})
	if _, err := cfgs.ByAuthenticationMethodConfigurationId("Sms").Patch(ctx, pol, nil); err != nil {
		t.Fatalf("policy patch: %v", describe(err))
	}
	cfg, err := cfgs.ByAuthenticationMethodConfigurationId("Sms").Get(ctx, nil)
	if err != nil {
		t.Fatalf("policy get: %v", describe(err))
	}
	sms, ok := cfg.(models.SmsAuthenticationMethodConfigurationable)
	if !ok || sms.GetState().String() != "disabled" || len(sms.GetIncludeTargets()) != 1 {
		t.Fatalf("policy %T", cfg)
	}
	got, err = item.Get(ctx, nil)
	if err != nil || got.GetSmsSignInState().String() != "notAllowedByPolicy" {
		t.Fatalf("state after policy disable: %v", describe(err))
	}
	if err := item.Delete(ctx, nil); err != nil {
		t.Fatalf("delete: %v", describe(err))
	}

	// The create and every PATCH went out gzip-compressed, and the mock read them
	// (enable and disable have no body).
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.seen) == 0 || rec.seen[0] != "POST gzip" {
		t.Fatalf("write encodings %v", rec.seen)
	}
	for _, e := range rec.seen {
		if e == "PATCH " {
			t.Fatalf("uncompressed PATCH among %v", rec.seen)
		}
	}
	if n := len(s.RequestLog(mockgraph.RequestLogFilter{Status: 429})); n != 1 {
		t.Fatalf("429s in log: %d", n)
	}
}

func describe(err error) string {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) && oe.GetErrorEscaped() != nil && oe.GetErrorEscaped().GetCode() != nil {
		return oe.Error() + " code=" + *oe.GetErrorEscaped().GetCode()
	}
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
