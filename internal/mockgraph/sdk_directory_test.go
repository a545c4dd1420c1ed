package mockgraph_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	azauth "github.com/microsoft/kiota-authentication-azure-go"
	nethttplibrary "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

const (
	sdkDirReader = "5dk00000-0000-4000-8000-0000000000b1"
	sdkDirPhones = "5dk00000-0000-4000-8000-0000000000b2"
	sdkGroupTop  = "5dk00000-0000-4000-8000-00000000a001"
	sdkGroupSub  = "5dk00000-0000-4000-8000-00000000a002"
)

// sdkGraphClient signs in as clientID with the client-secret credential and
// returns a msgraph-sdk-go client for the mock, built as in TestMSGraphSDK.
func sdkGraphClient(t *testing.T, s *mockgraph.Server, tenant, clientID, secret string) (*msgraphsdk.GraphServiceClient, *msgraphsdk.GraphRequestAdapter) {
	t.Helper()
	base := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CA().Pool()}}
	cred, err := azidentity.NewClientSecretCredential(tenant, clientID, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: s.AuthorityHost()}, Transport: &http.Client{Transport: base}},
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := azauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred, []string{s.GraphEndpoint() + "/.default"}, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	httpClient := &http.Client{Transport: nethttplibrary.NewCustomTransportWithParentTransport(base,
		nethttplibrary.NewCompressionHandler(), nethttplibrary.NewRetryHandler())}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(s.GraphEndpoint() + "/v1.0")
	return msgraphsdk.NewGraphServiceClient(adapter), adapter
}

// TestMSGraphSDKDirectory: the real SDK parses the directory pages and its
// PageIterator follows @odata.nextLink to the end, for /users and for a
// group's transitive user members (the SDK's graph.user cast).
func TestMSGraphSDKDirectory(t *testing.T) {
	s, err := mockgraph.Start(mockgraph.Options{Seed: &mockgraph.Seed{Tenants: []mockgraph.SeedTenant{{
		ID: sdkTenant, Domain: "sdk.example",
		Apps: []identity.App{
			{ClientID: sdkDirReader, Secrets: []string{sdkSecret}, Roles: []string{"User.Read.All", "GroupMember.Read.All"}},
			{ClientID: sdkDirPhones, Secrets: []string{sdkSecret}, Roles: []string{"UserAuthenticationMethod.ReadWrite.All"}},
		},
		Users: []mockgraph.SeedUser{{User: mockgraph.User{UserPrincipalName: sdkUser, DisplayName: "Sam"}}},
		Groups: []mockgraph.Group{
			{ID: sdkGroupTop, Members: []string{sdkUser}, Groups: []string{sdkGroupSub}},
			{ID: sdkGroupSub, Members: []string{sdkUser}},
		},
		GenerateUsers: &mockgraph.GenerateUsers{Count: 25, UPNPattern: "gen%03d@sdk.example", Groups: []string{sdkGroupSub}},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, adapter := sdkGraphClient(t, s, sdkTenant, sdkDirReader, sdkSecret)

	// /users with $select and $top=4: 26 users in 7 pages.
	top := int32(4)
	page, err := client.Users().Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: []string{"id", "userPrincipalName"}, Top: &top},
	})
	if err != nil {
		t.Fatalf("users: %v", describe(err))
	}
	if page.GetOdataNextLink() == nil || len(page.GetValue()) != 4 {
		t.Fatalf("first page: %d users, nextLink %v", len(page.GetValue()), page.GetOdataNextLink())
	}
	seen := map[string]int{}
	it, err := msgraphcore.NewPageIterator[models.Userable](page, adapter, models.CreateUserCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatal(err)
	}
	err = it.Iterate(ctx, func(u models.Userable) bool {
		if u.GetId() == nil || u.GetUserPrincipalName() == nil || u.GetDisplayName() != nil {
			t.Errorf("user %v: want id and userPrincipalName only", u.GetId())
			return false
		}
		seen[*u.GetUserPrincipalName()]++
		return true
	})
	if err != nil {
		t.Fatalf("iterate users: %v", describe(err))
	}
	if len(seen) != 26 || seen[sdkUser] != 1 || seen["gen025@sdk.example"] != 1 {
		t.Fatalf("users seen: %d %v", len(seen), seen)
	}
	if n := len(s.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpUserList, Status: 200})); n != 7 {
		t.Fatalf("user.list requests: %d, want 7", n)
	}

	// One user by UPN with $select.
	u, err := client.Users().ByUserId(sdkUser).Get(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: []string{"id", "userPrincipalName", "displayName"}},
	})
	if err != nil || *u.GetUserPrincipalName() != sdkUser || *u.GetDisplayName() != "Sam" {
		t.Fatalf("get user: %v", describe(err))
	}

	// Transitive user members through the nested group, each user once.
	top = 10
	members, err := client.Groups().ByGroupId(sdkGroupTop).TransitiveMembers().GraphUser().Get(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.ItemTransitiveMembersGraphUserRequestBuilderGetQueryParameters{Select: []string{"id", "userPrincipalName"}, Top: &top},
	})
	if err != nil {
		t.Fatalf("members: %v", describe(err))
	}
	it, err = msgraphcore.NewPageIterator[models.Userable](members, adapter, models.CreateUserCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatal(err)
	}
	memberSeen := map[string]int{}
	if err := it.Iterate(ctx, func(u models.Userable) bool { memberSeen[*u.GetId()]++; return true }); err != nil {
		t.Fatalf("iterate members: %v", describe(err))
	}
	if len(memberSeen) != 26 {
		t.Fatalf("members seen: %d", len(memberSeen))
	}
	for id, n := range memberSeen {
		if n != 1 {
			t.Fatalf("member %s seen %d times", id, n)
		}
	}
	if n := len(s.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpGroupMembers, Status: 200})); n != 3 {
		t.Fatalf("group.transitiveMembers requests: %d, want 3", n)
	}

	// Unknown group: 404 Request_ResourceNotFound as an ODataError.
	_, err = client.Groups().ByGroupId("5dk00000-0000-4000-8000-00000000dead").TransitiveMembers().GraphUser().Get(ctx, nil)
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) || oe.ResponseStatusCode != 404 || *oe.GetErrorEscaped().GetCode() != "Request_ResourceNotFound" {
		t.Fatalf("unknown group: %v", describe(err))
	}

	// An app with only phone permissions: 403 Authorization_RequestDenied.
	phones, _ := sdkGraphClient(t, s, sdkTenant, sdkDirPhones, sdkSecret)
	_, err = phones.Users().Get(ctx, nil)
	if !errors.As(err, &oe) || oe.ResponseStatusCode != 403 || *oe.GetErrorEscaped().GetCode() != "Authorization_RequestDenied" {
		t.Fatalf("phone-only app: %v", describe(err))
	}
}
