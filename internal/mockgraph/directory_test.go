package mockgraph

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

var (
	// appDir may read users and group members (and phones).
	appDir = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-dir", Roles: []string{"UserAuthenticationMethod.Read.All", "User.Read.All", "GroupMember.Read.All"}})
	// appUsersOnly may list users but not group members.
	appUsersOnly = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-users", Roles: []string{"User.Read.All"}})
	// appBasic holds User.ReadBasic.All, which Graph grants to delegated callers only.
	appBasic = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-basic", Roles: []string{"User.ReadBasic.All", "Group.Read.All"}})
)

// Nested groups of dirSeed: top holds mid, mid holds inner; alice is in
// inner and directly in top (reached twice), bob in mid, carol in inner.
const (
	groupTop   = "77777777-0000-4000-8000-000000000001"
	groupMid   = "77777777-0000-4000-8000-000000000002"
	groupInner = "77777777-0000-4000-8000-000000000003"
	groupCycle = "77777777-0000-4000-8000-000000000004"
)

func dirSeed() *Seed {
	sd := testSeed()
	sd.Tenants[0].Groups = append(sd.Tenants[0].Groups,
		// top nests a group listed after it: seeds add every group first.
		Group{ID: groupTop, DisplayName: "top", Members: []string{aliceID}, Groups: []string{groupMid}},
		Group{ID: groupMid, DisplayName: "mid", Members: []string{bobID}, Groups: []string{groupInner, groupCycle}},
		Group{ID: groupInner, DisplayName: "inner", Members: []string{aliceUPN, carolID}},
		// A cycle back to top must not loop.
		Group{ID: groupCycle, DisplayName: "cycle", Groups: []string{groupTop}},
	)
	return sd
}

// getURL sends a GET to an absolute URL (a nextLink).
func getURL(t testing.TB, s *Server, token, u string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := testClient(s).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// userPage is a directory collection page.
type userPage struct {
	Context  string           `json:"@odata.context"`
	Count    *int             `json:"@odata.count"`
	NextLink string           `json:"@odata.nextLink"`
	Value    []map[string]any `json:"value"`
}

func decodePage(t testing.TB, r response) userPage {
	t.Helper()
	mustStatus(t, r, 200)
	var p userPage
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("page: %v: %s", err, r.Body)
	}
	return p
}

// collect follows nextLinks from path and returns every item's id, in
// order, with the number of pages.
func collect(t testing.TB, s *Server, token, path string) (ids []string, pages int) {
	t.Helper()
	u := s.GraphEndpoint() + path
	for u != "" {
		p := decodePage(t, getURL(t, s, token, u))
		pages++
		for _, v := range p.Value {
			id, _ := v["id"].(string)
			ids = append(ids, id)
		}
		if p.NextLink != "" && !strings.HasPrefix(p.NextLink, s.GraphEndpoint()+"/v1.0/") {
			t.Fatalf("nextLink %q is not on the mock's base URL %s", p.NextLink, s.GraphEndpoint())
		}
		u = p.NextLink
		if pages > 100000 {
			t.Fatal("paging does not end")
		}
	}
	return ids, pages
}

func TestListUsersPagingSelectAndContext(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	r := call(t, s, appDir, "GET", "/v1.0/users?$select=id,userPrincipalName&$top=2", nil)
	p := decodePage(t, r)
	if p.Context != "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)" {
		t.Errorf("context %q", p.Context)
	}
	if len(p.Value) != 2 || p.NextLink == "" {
		t.Fatalf("first page: %s", r.Body)
	}
	for _, v := range p.Value {
		if len(v) != 2 || v["id"] == nil || v["userPrincipalName"] == nil {
			t.Errorf("selected properties only, got %v", v)
		}
	}
	// The nextLink keeps the other options and carries an opaque $skiptoken, last.
	nl, err := url.Parse(p.NextLink)
	if err != nil {
		t.Fatal(err)
	}
	if q := nl.Query(); q.Get("$top") != "2" || q.Get("$select") != "id,userPrincipalName" || !strings.HasPrefix(q.Get("$skiptoken"), "X'") {
		t.Errorf("nextLink query %v", q)
	}
	if !strings.Contains(nl.RawQuery, "&$skiptoken=X%27") || strings.Index(nl.RawQuery, "$skiptoken") < strings.Index(nl.RawQuery, "$top") {
		t.Errorf("nextLink %s", p.NextLink)
	}
	// Following nextLinks: every user of the tenant once, in id order, 2 per page.
	ids, pages := collect(t, s, appDir, "/v1.0/users?$select=id,userPrincipalName&$top=2")
	want := []string{aliceID, bobID, carolID, daveID}
	if !slices.Equal(ids, want) || pages != 2 {
		t.Fatalf("ids %v in %d pages, want %v in 2", ids, pages, want)
	}

	// Without $select: Graph's default property set, in Graph's order.
	r = call(t, s, appDir, "GET", "/v1.0/users", nil)
	p = decodePage(t, r)
	if p.Context != "https://graph.microsoft.com/v1.0/$metadata#users" || p.NextLink != "" || len(p.Value) != 4 {
		t.Fatalf("default page: %s", r.Body)
	}
	for _, k := range []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"} {
		if _, ok := p.Value[0][k]; !ok {
			t.Errorf("default set lacks %s: %v", k, p.Value[0])
		}
	}
	if !strings.Contains(string(r.Body), `{"businessPhones":[],"displayName":"Alice","givenName":null`) {
		t.Errorf("default user shape: %s", r.Body)
	}

	// $select names are case-insensitive and come back in Graph's spelling.
	p = decodePage(t, call(t, s, appDir, "GET", "/v1.0/users?$select=DisplayName,ID&$top=1", nil))
	if p.Value[0]["displayName"] != "Alice" || p.Value[0]["id"] != aliceID {
		t.Errorf("case-insensitive select: %v", p.Value[0])
	}
}

func TestListUsersQueryErrors(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	for _, c := range []struct {
		query, code, msg string
	}{
		{"$top=0", "Request_UnsupportedQuery", "Invalid page size specified: '0'. Must be between 1 and 999 inclusive."},
		{"$top=1000", "Request_UnsupportedQuery", "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."},
		{"$top=many", "Request_UnsupportedQuery", ""},
		{"$select=id,nonsense", "Request_BadRequest", "Parsing OData Select and Expand failed: Could not find a property named 'nonsense' on type 'microsoft.graph.user'."},
		{"$skiptoken=garbage", "Request_BadRequest", ""},
		{"$skip=2", "Request_BadRequest", ""},
		{"$filter=accountEnabled%20eq%20true", "Request_UnsupportedQuery", ""},
		{"$count=true", "Request_BadRequest", ""}, // without ConsistencyLevel: eventual
		{"$top=1&$top=2", "Request_BadRequest", ""},
	} {
		r := call(t, s, appDir, "GET", "/v1.0/users?"+c.query, nil)
		if r.Status != 400 || r.errorCode(t) != c.code {
			t.Errorf("%s: %d %s", c.query, r.Status, r.Body)
			continue
		}
		if c.msg != "" {
			if m := errorField(t, r, "message"); m != c.msg {
				t.Errorf("%s: message %q", c.query, m)
			}
		}
	}
	// $top=999 is the largest page; 1 the smallest.
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users?$top=999", nil), 200)
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users?$top=1", nil), 200)
	// A users token is refused on a group's members and the other way round.
	p := decodePage(t, call(t, s, appDir, "GET", "/v1.0/users?$top=1", nil))
	tok := mustQuery(t, p.NextLink).Get("$skiptoken")
	r := call(t, s, appDir, "GET", "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user?$skiptoken="+url.QueryEscape(tok), nil)
	if r.Status != 400 {
		t.Errorf("users token on group members: %d %s", r.Status, r.Body)
	}
	// $count=true with ConsistencyLevel: eventual counts on the first page.
	p = decodePage(t, getURL(t, s, appDir, s.GraphEndpoint()+"/v1.0/users?$count=true&$top=3", "ConsistencyLevel", "eventual"))
	if p.Count == nil || *p.Count != 4 || len(p.Value) != 3 {
		t.Errorf("count page: %+v", p)
	}
	p = decodePage(t, getURL(t, s, appDir, p.NextLink, "ConsistencyLevel", "eventual"))
	if p.Count != nil || len(p.Value) != 1 {
		t.Errorf("second page of a count: %+v", p)
	}
	// Query option names without "$" are not query options: ignored.
	p = decodePage(t, call(t, s, appDir, "GET", "/v1.0/users?top=1", nil))
	if len(p.Value) != 4 {
		t.Errorf("top without $: %d users", len(p.Value))
	}
}

// errorField is error.{name} of a Graph error body.
func errorField(t testing.TB, r response, name string) any {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	return e[name]
}

func mustQuery(t testing.TB, link string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestGetUser(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	for _, key := range []string{aliceID, strings.ToUpper(aliceID), aliceUPN, "ALICE@one.example"} {
		r := call(t, s, appDir, "GET", "/v1.0/users/"+key+"?$select=id,userPrincipalName,displayName", nil)
		mustStatus(t, r, 200)
		m := r.json(t)
		if m["id"] != aliceID || m["userPrincipalName"] != aliceUPN || m["displayName"] != "Alice" || len(m) != 4 {
			t.Errorf("%s: %s", key, r.Body)
		}
		if m["@odata.context"] != "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,displayName)/$entity" {
			t.Errorf("context %v", m["@odata.context"])
		}
	}
	r := call(t, s, appDir, "GET", "/v1.0/users/"+bobID, nil)
	mustStatus(t, r, 200)
	if m := r.json(t); m["@odata.context"] != "https://graph.microsoft.com/v1.0/$metadata#users/$entity" || m["mail"] != nil || m["userPrincipalName"] != "bob@one.example" {
		t.Errorf("default get: %s", r.Body)
	}
	// Unknown users: 404 Request_ResourceNotFound, as on the phone routes.
	for _, key := range []string{"00000000-0000-4000-8000-00000000dead", "nobody@one.example", "erin@two.example"} {
		r := call(t, s, appDir, "GET", "/v1.0/users/"+key, nil)
		if r.Status != 404 || r.errorCode(t) != "Request_ResourceNotFound" {
			t.Errorf("%s: %d %s", key, r.Status, r.Body)
		}
		if !strings.Contains(string(r.Body), "Resource '"+key+"' does not exist") {
			t.Errorf("%s: message %s", key, r.Body)
		}
	}
	if r := call(t, s, appDir, "GET", "/v1.0/users/"+aliceID+"?$top=2", nil); r.Status != 400 {
		t.Errorf("$top on one user: %d", r.Status)
	}
}

// TestDirectoryReplicationDelay: a user created moments ago is missing
// from get and list, on the phone routes' clock, then appears.
func TestDirectoryReplicationDelay(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	if err := s.SetUserReplicationDelay(tenantID, bobID, 400*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if r := call(t, s, appDir, "GET", "/v1.0/users/"+bobID, nil); r.Status != 404 || r.errorCode(t) != "Request_ResourceNotFound" {
		t.Fatalf("replicating user: %d %s", r.Status, r.Body)
	}
	if r := call(t, s, appDir, "GET", phonesPath(bobID), nil); r.Status != 404 {
		t.Fatalf("phone route disagrees: %d", r.Status)
	}
	ids, _ := collect(t, s, appDir, "/v1.0/users?$top=1")
	if slices.Contains(ids, bobID) || len(ids) != 3 {
		t.Fatalf("list while replicating: %v", ids)
	}
	ids, _ = collect(t, s, appDir, "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user")
	if slices.Contains(ids, bobID) {
		t.Fatalf("group members while replicating: %v", ids)
	}
	time.Sleep(450 * time.Millisecond)
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users/"+bobID, nil), 200)
	if ids, _ := collect(t, s, appDir, "/v1.0/users?$top=1"); len(ids) != 4 {
		t.Fatalf("after replication: %v", ids)
	}
}

func TestGroupTransitiveUserMembers(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	// Alice is reached directly and through mid -> inner, and the cycle
	// leads back to top: each user still appears once.
	for _, c := range []struct {
		group string
		want  []string
	}{
		{groupTop, []string{aliceID, bobID, carolID}},
		{groupMid, []string{aliceID, bobID, carolID}},
		{groupInner, []string{aliceID, carolID}},
		{groupCycle, []string{aliceID, bobID, carolID}},
		{groupBlk, []string{daveID}},
	} {
		for _, cast := range []string{"microsoft.graph.user", "graph.user", "Microsoft.Graph.User"} {
			ids, _ := collect(t, s, appDir, "/v1.0/groups/"+c.group+"/transitiveMembers/"+cast+"?$top=1&$select=id")
			if !slices.Equal(ids, c.want) {
				t.Errorf("%s %s: %v, want %v", c.group, cast, ids, c.want)
			}
		}
	}
	r := call(t, s, appDir, "GET", "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user?$select=displayName,id", nil)
	p := decodePage(t, r)
	if p.Context != "https://graph.microsoft.com/v1.0/$metadata#users(displayName,id)" || len(p.Value) != 3 || p.Value[0]["displayName"] != "Alice" {
		t.Errorf("page %s", r.Body)
	}
	// Upper-case group id in the path.
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/groups/"+strings.ToUpper(groupTop)+"/transitiveMembers/microsoft.graph.user", nil), 200)
	// Unknown group.
	r = call(t, s, appDir, "GET", "/v1.0/groups/00000000-0000-4000-8000-00000000beef/transitiveMembers/microsoft.graph.user", nil)
	if r.Status != 404 || r.errorCode(t) != "Request_ResourceNotFound" {
		t.Errorf("unknown group: %d %s", r.Status, r.Body)
	}
	// $top bounds hold here too.
	if r := call(t, s, appDir, "GET", "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user?$top=1000", nil); r.Status != 400 || r.errorCode(t) != "Request_UnsupportedQuery" {
		t.Errorf("$top=1000: %d %s", r.Status, r.Body)
	}
	// A replacement naming an unknown nested group fails and keeps the group as it was.
	if err := s.AddGroup(tenantID, Group{ID: groupInner, Members: []string{daveID}, Groups: []string{"nope"}}); err == nil {
		t.Fatal("unknown nested group accepted")
	}
	if ids, _ := collect(t, s, appDir, "/v1.0/groups/"+groupInner+"/transitiveMembers/microsoft.graph.user"); !slices.Equal(ids, []string{aliceID, carolID}) {
		t.Fatalf("after a failed replacement: %v", ids)
	}
	if v, _ := s.User(tenantID, carolID); !slices.Contains(v.Groups, groupInner) {
		t.Fatalf("carol lost her group: %v", v.Groups)
	}
	// A membership change shows on the next read.
	if err := s.AddGroup(tenantID, Group{ID: groupInner, Members: []string{daveID}}); err != nil {
		t.Fatal(err)
	}
	ids, _ := collect(t, s, appDir, "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user")
	if want := []string{aliceID, bobID, daveID}; !slices.Equal(ids, want) {
		t.Errorf("after change: %v, want %v", ids, want)
	}
}

func TestDirectoryPermissions(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	users := "/v1.0/users?$select=id"
	user := "/v1.0/users/" + aliceID
	members := "/v1.0/groups/" + groupTop + "/transitiveMembers/microsoft.graph.user"
	deleg := func(userID string, scopes ...string) string {
		return fakeToken(identity.Principal{TenantID: tenantID, UserID: userID, Scopes: scopes})
	}
	for _, c := range []struct {
		name, token, path string
		status            int
	}{
		// The phone permissions do not reach the directory.
		{"phone app lists users", appRW, users, 403},
		{"phone app gets a user", appRW, user, 403},
		{"phone app lists members", appRW, members, 403},
		{"no roles", appNone, users, 403},
		// The existence of a user is not revealed without permission.
		{"no roles, unknown user", appNone, "/v1.0/users/nobody@one.example", 403},
		{"no roles, unknown group", appNone, "/v1.0/groups/x/transitiveMembers/microsoft.graph.user", 403},
		{"User.Read.All lists users", appUsersOnly, users, 200},
		{"User.Read.All gets a user", appUsersOnly, user, 200},
		{"User.Read.All lists members", appUsersOnly, members, 403},
		// Application User.ReadBasic.All does not list users; Group.Read.All lists members.
		{"app User.ReadBasic.All", appBasic, users, 403},
		{"app Group.Read.All", appBasic, members, 200},
		{"Directory.Read.All", fakeToken(identity.Principal{TenantID: tenantID, AppID: "d", Roles: []string{"Directory.Read.All"}}), members, 200},
		{"delegated User.ReadBasic.All", deleg(bobID, "User.ReadBasic.All"), users, 200},
		{"delegated User.Read lists", deleg(bobID, "User.Read"), users, 403},
		{"delegated User.Read self", deleg(aliceID, "User.Read"), user, 200},
		{"delegated User.Read other", deleg(bobID, "User.Read"), user, 403},
		{"delegated GroupMember.Read.All", deleg(bobID, "GroupMember.Read.All"), members, 200},
	} {
		r := call(t, s, c.token, "GET", c.path, nil)
		if r.Status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, r.Status, c.status, r.Body)
			continue
		}
		if c.status == 403 {
			if errorField(t, r, "code") != "Authorization_RequestDenied" || errorField(t, r, "message") != "Insufficient privileges to complete the operation." {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
	}
	// No token at all.
	if r := call(t, s, "", "GET", users, nil); r.Status != 401 {
		t.Errorf("anonymous: %d", r.Status)
	}
}

// TestDirectoryWithIssuedTokens: app roles reach the directory routes
// through real tokens (the roles claim of a client-credentials token).
func TestDirectoryWithIssuedTokens(t *testing.T) {
	const reader, phoneOnly = "d0000000-0000-4000-8000-0000000000d1", "d0000000-0000-4000-8000-0000000000d2"
	sd := dirSeed()
	sd.Tenants[0].Apps = []identity.App{
		{ClientID: reader, Secrets: []string{"s"}, Roles: []string{"User.Read.All", "GroupMember.Read.All"}},
		{ClientID: phoneOnly, Secrets: []string{"s"}, Roles: []string{"UserAuthenticationMethod.ReadWrite.All"}},
	}
	s, err := Start(Options{CA: sharedCA(t), Seed: sd})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	tok, st := tokenFor(t, s, tenantID, reader, "s")
	if st != 200 {
		t.Fatalf("token: %d", st)
	}
	if ids, _ := collect(t, s, tok, "/v1.0/users?$top=3"); len(ids) != 4 {
		t.Fatalf("users %v", ids)
	}
	if ids, _ := collect(t, s, tok, "/v1.0/groups/"+groupInner+"/transitiveMembers/microsoft.graph.user"); len(ids) != 2 {
		t.Fatalf("members %v", ids)
	}
	tok, _ = tokenFor(t, s, tenantID, phoneOnly, "s")
	if r := call(t, s, tok, "GET", "/v1.0/users", nil); r.Status != 403 || r.errorCode(t) != "Authorization_RequestDenied" {
		t.Fatalf("phone-only app: %d %s", r.Status, r.Body)
	}
}

func TestDirectoryReadBudgetAndRequestLog(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed(), ReadBudget: &ReadBudget{Capacity: 3, Window: Duration(30 * time.Second)}})
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users?$top=2", nil), 200)
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users/"+aliceID, nil), 200)
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user", nil), 200)
	for _, p := range []string{"/v1.0/users", "/v1.0/users/" + aliceID, "/v1.0/groups/" + groupTop + "/transitiveMembers/microsoft.graph.user"} {
		r := call(t, s, appDir, "GET", p, nil)
		if r.Status != 429 || r.Header.Get("Retry-After") == "" || r.errorCode(t) != "TooManyRequests" {
			t.Errorf("%s over budget: %d %v %s", p, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	}
	for op, want := range map[string]int{OpUserList: 2, OpUserGet: 2, OpGroupMembers: 2} {
		log := s.RequestLog(RequestLogFilter{Operation: op})
		if len(log) != want {
			t.Errorf("%s: %d entries, want %d", op, len(log), want)
			continue
		}
		if log[1].Status != 429 || log[1].Fault != FaultReadBudget || log[0].Status != 200 {
			t.Errorf("%s: %+v", op, log)
		}
	}
	if e := s.RequestLog(RequestLogFilter{Operation: OpUserList})[0]; e.Query != "$top=2" {
		t.Errorf("query not logged: %+v", e)
	}
}

func TestDirectoryFaultGroups(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	// "phone" no longer matches directory reads; "directory" does.
	if _, err := s.AddFaults(Fault{Kind: FaultUnavailable, Match: "phone"}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users", nil), 200)
	s.ClearFaults()
	if _, err := s.AddFaults(Fault{Kind: FaultThrottle, Match: "directory", Count: 1, RetryAfterSeconds: 2}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appDir, "GET", phonesPath(aliceID), nil), 200)
	if r := call(t, s, appDir, "GET", "/v1.0/users", nil); r.Status != 429 || r.Header.Get("Retry-After") != "2" {
		t.Fatalf("directory fault: %d", r.Status)
	}
	if _, err := s.AddFaults(Fault{Kind: FaultThrottle, Match: OpGroupMembers, Count: 1}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appDir, "GET", "/v1.0/users", nil), 200)
	if r := call(t, s, appDir, "GET", "/v1.0/groups/"+groupTop+"/transitiveMembers/graph.user", nil); r.Status != 429 {
		t.Fatalf("op fault: %d", r.Status)
	}
}

// TestPagingWhileUsersChange: a nextLink keeps working while users are
// added; everyone who existed when paging began is returned exactly once.
func TestPagingWhileUsersChange(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	if _, err := s.GenerateUsers(tenantID, GenerateUsers{Count: 50}); err != nil {
		t.Fatal(err)
	}
	before, _ := collect(t, s, appDir, "/v1.0/users?$select=id")
	seen := map[string]int{}
	u := s.GraphEndpoint() + "/v1.0/users?$select=id&$top=7"
	for i := 0; u != ""; i++ {
		p := decodePage(t, getURL(t, s, appDir, u))
		for _, v := range p.Value {
			id, _ := v["id"].(string)
			seen[id]++
		}
		u = p.NextLink
		// Users whose ids sort before and after the position.
		for j := range 3 {
			if _, err := s.AddUser(tenantID, User{ID: fmt.Sprintf("%x0000000-0000-4000-8000-%012d", j*7, i), UserPrincipalName: fmt.Sprintf("late%d-%d@one.example", i, j)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range before {
		if seen[id] != 1 {
			t.Errorf("%s seen %d times", id, seen[id])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", id, n)
		}
	}
}

// TestListTenThousandUsers seeds 10,000 users with generateUsers and pages
// through all of them with Graph's default page size and the largest one.
func TestListTenThousandUsers(t *testing.T) {
	const n = 10000
	sd, err := ParseSeed([]byte(`{"tenants": [{"id": "` + tenantID + `", "domain": "big.example",
		"groups": [{"id": "` + groupTop + `", "groups": ["` + groupMid + `"]}, {"id": "` + groupMid + `"}],
		"generateUsers": {"count": 10000, "upnPattern": "user%05d@big.example", "displayNamePattern": "Bench user %d", "groups": ["` + groupMid + `"]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := startTest(t, Options{Seed: sd})
	if ti := s.Tenants()[0]; ti.Users != n {
		t.Fatalf("tenant has %d users", ti.Users)
	}
	// Every generated user has a stable id derived from the tenant and UPN.
	v, err := s.User(tenantID, "user00042@big.example")
	if err != nil || v.ID != stableUserID(tenantID, "user00042@big.example") || v.DisplayName != "Bench user 42" {
		t.Fatalf("user 42: %+v %v", v, err)
	}
	for _, c := range []struct {
		path  string
		pages int
	}{
		{"/v1.0/users?$select=id,userPrincipalName", 100},
		{"/v1.0/users?$select=id,userPrincipalName&$top=999", 11},
		{"/v1.0/groups/" + groupTop + "/transitiveMembers/microsoft.graph.user?$select=id&$top=999", 11},
	} {
		start := time.Now()
		ids, pages := collect(t, s, appDir, c.path)
		if pages != c.pages || len(ids) != n {
			t.Errorf("%s: %d ids in %d pages, want %d in %d", c.path, len(ids), pages, n, c.pages)
		}
		seen := make(map[string]bool, n)
		for i, id := range ids {
			if seen[id] {
				t.Fatalf("%s: %s twice", c.path, id)
			}
			seen[id] = true
			if i > 0 && strings.ToLower(ids[i-1]) >= strings.ToLower(id) {
				t.Fatalf("%s: not in id order at %d", c.path, i)
			}
		}
		t.Logf("%s: %d users, %d pages, %v", c.path, len(ids), pages, time.Since(start))
	}
}

func TestSeedNestedGroupsAndGenerateUsersErrors(t *testing.T) {
	for _, c := range []struct{ name, seed, want string }{
		{"unknown nested group", `{"tenants":[{"id":"t","groups":[{"id":"g","groups":["nope"]}]}]}`, `tenants[0].groups[0].groups: group "g": member group "nope" is not a group`},
		{"self", `{"tenants":[{"id":"t","groups":[{"id":"g","groups":["G"]}]}]}`, "cannot be a member of itself"},
		{"no verb", `{"tenants":[{"id":"t","generateUsers":{"count":2,"upnPattern":"same@t.example"}}]}`, "upnPattern"},
		{"two verbs", `{"tenants":[{"id":"t","generateUsers":{"count":2,"upnPattern":"u%d-%d@t.example"}}]}`, "upnPattern"},
		{"no domain", `{"tenants":[{"id":"t","generateUsers":{"count":2}}]}`, "upnPattern is required"},
		{"unknown group", `{"tenants":[{"id":"t","domain":"t.example","generateUsers":{"count":2,"groups":["nope"]}}]}`, `group "nope" is not a group`},
		{"too many", `{"tenants":[{"id":"t","domain":"t.example","generateUsers":{"count":2000000}}]}`, "generateUsers.count"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startTest(t, Options{Seed: &Seed{}})
			sd, err := ParseSeed([]byte(c.seed))
			if err == nil {
				err = s.ApplySeed(sd)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

func TestAdminGenerateUsers(t *testing.T) {
	s := startTest(t, Options{Seed: dirSeed()})
	var ti TenantInfo
	if st := admin(t, s, "POST", "/tenants/one.example/generateUsers", `{"count": 250, "upnPattern": "bulk%04d@one.example", "start": 10, "groups": ["`+groupInner+`"]}`, &ti); st != 200 {
		t.Fatalf("status %d", st)
	}
	if ti.Users != 254 || ti.ID != tenantID {
		t.Fatalf("tenant %+v", ti)
	}
	if _, err := s.User(tenantID, "bulk0010@one.example"); err != nil {
		t.Fatal(err)
	}
	// Again: the same users, not new ones.
	if st := admin(t, s, "POST", "/tenants/"+tenantID+"/generateUsers", `{"count": 250, "upnPattern": "bulk%04d@one.example", "start": 10}`, &ti); st != 200 || ti.Users != 254 {
		t.Fatalf("second run: %d %+v", st, ti)
	}
	ids, pages := collect(t, s, appDir, "/v1.0/groups/"+groupTop+"/transitiveMembers/microsoft.graph.user")
	if len(ids) != 253 || pages != 3 {
		t.Fatalf("group: %d ids in %d pages", len(ids), pages)
	}
	if st := admin(t, s, "POST", "/tenants/one.example/generateUsers", `{"count": 1, "upnPattern": "x@one.example"}`, nil); st != 400 {
		t.Fatalf("bad pattern: %d", st)
	}
	if st := admin(t, s, "POST", "/tenants/nope/generateUsers", `{"count": 1}`, nil); st != 404 {
		t.Fatalf("unknown tenant: %d", st)
	}
}

// BenchmarkDirectoryPage measures one page of 100 users from the middle of
// the tenant at 10,000 and 100,000 users: the cost must not grow with the
// tenant (the sorted index is built once, a page is a binary search).
func BenchmarkDirectoryPage(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			tn := newTenant(tenantID, "bench.example")
			if _, err := tn.generateUsers(GenerateUsers{Count: n}); err != nil {
				b.Fatal(err)
			}
			idx := tn.usersIndex()
			after := idx.keys[n/2]
			now := time.Now()
			b.ResetTimer()
			for range b.N {
				tn.mu.RLock()
				items, more := tn.usersIndex().page(after, DefaultPageSize, now)
				tn.mu.RUnlock()
				if len(items) != DefaultPageSize || !more {
					b.Fatal("short page")
				}
			}
		})
	}
}
