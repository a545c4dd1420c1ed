package mockgraph

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

func tapsPath(user string) string {
	return "/v1.0/users/" + user + "/authentication/temporaryAccessPassMethods"
}

// testClock is a settable Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// setTAPConfig changes the TemporaryAccessPass configuration out of band.
func setTAPConfig(t testing.TB, s *Server, cfg map[string]any) {
	t.Helper()
	if err := s.SetMethodConfiguration(tenantID, "TemporaryAccessPass", cfg); err != nil {
		t.Fatal(err)
	}
}

const tapPolicyRefused = "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass]."

func TestTAPPassInCreateResponseOnly(t *testing.T) {
	s := startTest(t, Options{})
	// A new tenant has the configuration disabled (the docs' default).
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{}), 400, "badRequest", tapPolicyRefused)
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	r := call(t, s, appRW, "POST", tapsPath(aliceUPN), "")
	mustStatus(t, r, 201)
	m := r.json(t)
	pass, _ := m["temporaryAccessPass"].(string)
	if len(pass) != 8 || m["lifetimeInMinutes"] != float64(60) || m["isUsableOnce"] != false || m["isUsable"] != true ||
		m["methodUsabilityReason"] != TAPEnabledByPolicy || m["startDateTime"] != m["createdDateTime"] ||
		m["@odata.type"] != "#microsoft.graph.temporaryAccessPassAuthenticationMethod" {
		t.Fatalf("create answered %v", m)
	}
	id, _ := m["id"].(string)
	g := call(t, s, appRW, "GET", tapsPath(aliceID)+"/"+id, nil)
	mustStatus(t, g, 200)
	if v, ok := g.json(t)["temporaryAccessPass"]; !ok || v != nil {
		t.Fatalf("GET returned the pass: %s", g.Body)
	}
	l := call(t, s, appRW, "GET", tapsPath(aliceID), nil)
	vals, _ := l.json(t)["value"].([]any)
	if len(vals) != 1 {
		t.Fatalf("list: %s", l.Body)
	}
	if item, _ := vals[0].(map[string]any); item["temporaryAccessPass"] != nil || item["id"] != id {
		t.Fatalf("list item: %v", item)
	}
	all := call(t, s, appRW, "GET", "/v1.0/users/"+aliceID+"/authentication/methods", nil)
	if v, _ := all.json(t)["value"].([]any); len(v) != 2 || v[1].(map[string]any)["temporaryAccessPass"] != nil {
		t.Fatalf("methods: %s", all.Body)
	}
	got, err := s.TemporaryAccessPasses(tenantID, aliceID)
	if err != nil || len(got) != 1 || got[0].Pass != pass || got[0].ID != id {
		t.Fatalf("control API: %+v, %v", got, err)
	}
	mustStatus(t, call(t, s, appRW, "PATCH", tapsPath(aliceID)+"/"+id, map[string]any{"lifetimeInMinutes": 90}), 405)
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"temporaryAccessPass": "x"}), 400)
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"bogus": 1}), 400)
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"startDateTime": "tomorrow"}), 400)
	mustStatus(t, call(t, s, appRW, "DELETE", tapsPath(aliceID)+"/"+id, nil), 204)
	mustStatus(t, call(t, s, appRW, "GET", tapsPath(aliceID)+"/"+id, nil), 404)
	mustStatus(t, call(t, s, appRW, "DELETE", tapsPath(aliceID)+"/"+id, nil), 404)
}

func TestTAPLifetimeLengthAndUseFromConfiguration(t *testing.T) {
	s := startTest(t, Options{})
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"lifetimeInMinutes": 30}), 400, "badRequest",
		"Invalid LifetimeInMinutes specified. The valid range between 60 and 480.")
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"lifetimeInMinutes": 481}), 400, "badRequest",
		"Invalid LifetimeInMinutes specified. The valid range between 60 and 480.")
	// The configuration as it is at the time of the request.
	setTAPConfig(t, s, map[string]any{"minimumLifetimeInMinutes": 10, "defaultLifetimeInMinutes": 90, "maximumLifetimeInMinutes": 100, "defaultLength": 12, "isUsableOnce": true})
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"lifetimeInMinutes": 120}), 400, "badRequest",
		"Invalid LifetimeInMinutes specified. The valid range between 10 and 100.")
	m := call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"lifetimeInMinutes": 10}).json(t)
	if m["lifetimeInMinutes"] != float64(10) {
		t.Fatalf("explicit lifetime: %v", m)
	}
	m = call(t, s, appRW, "POST", tapsPath(aliceID), nil).json(t)
	if pass, _ := m["temporaryAccessPass"].(string); len(pass) != 12 || m["lifetimeInMinutes"] != float64(90) || m["isUsableOnce"] != true {
		t.Fatalf("defaults from the configuration: %v", m)
	}
	// A one-time-use policy refuses a multi-use pass (documented rule).
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"isUsableOnce": false}), 400, "badRequest", "")
	setTAPConfig(t, s, map[string]any{"isUsableOnce": false})
	m = call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"isUsableOnce": true, "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod"}).json(t)
	if m["isUsableOnce"] != true {
		t.Fatalf("explicit isUsableOnce: %v", m)
	}
}

func TestTAPTargetsFromConfiguration(t *testing.T) {
	s := startTest(t, Options{})
	const parent = "99999999-0000-4000-8000-0000000000aa"
	if err := s.AddGroup(tenantID, Group{ID: parent, DisplayName: "parent", Groups: []string{groupBlk}}); err != nil {
		t.Fatal(err)
	}
	setTAPConfig(t, s, map[string]any{"state": "enabled",
		"includeTargets": []any{map[string]any{"targetType": "group", "id": parent}}})
	// Dave is in groupBlk, nested in parent: a transitive member.
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(daveID), nil), 201)
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(carolID), nil), 400, "badRequest", tapPolicyRefused)
	setTAPConfig(t, s, map[string]any{
		"includeTargets": []any{map[string]any{"targetType": "group", "id": AllUsers}},
		"excludeTargets": []any{map[string]any{"targetType": "group", "id": groupSMS}}})
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(carolID), nil), 201)
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), nil), 400, "badRequest", tapPolicyRefused)
	// A user no longer covered reads DisabledByPolicy on the pass it has.
	setTAPConfig(t, s, map[string]any{"excludeTargets": []any{map[string]any{"targetType": "group", "id": parent}}})
	l := call(t, s, appRW, "GET", tapsPath(daveID), nil).json(t)["value"].([]any)
	if item := l[0].(map[string]any); item["methodUsabilityReason"] != TAPDisabledByPolicy || item["isUsable"] != false {
		t.Fatalf("excluded user's pass: %v", item)
	}
}

func TestTAPUsabilityFollowsClockAndPolicy(t *testing.T) {
	clk := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	s := startTest(t, Options{Now: clk.Now})
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	start := clk.Now().Add(2 * time.Hour)
	m := call(t, s, appRW, "POST", tapsPath(aliceID), map[string]any{"startDateTime": start.Format(time.RFC3339), "lifetimeInMinutes": 60}).json(t)
	if m["methodUsabilityReason"] != TAPNotYetValid || m["isUsable"] != false || m["startDateTime"] != start.Format(time.RFC3339Nano) {
		t.Fatalf("future start: %v", m)
	}
	id, _ := m["id"].(string)
	reason := func() (string, bool) {
		t.Helper()
		g := call(t, s, appRW, "GET", tapsPath(aliceID)+"/"+id, nil).json(t)
		r, _ := g["methodUsabilityReason"].(string)
		u, _ := g["isUsable"].(bool)
		return r, u
	}
	clk.Add(2*time.Hour + time.Minute)
	if r, u := reason(); r != TAPEnabledByPolicy || !u {
		t.Fatalf("within its lifetime: %s %v", r, u)
	}
	setTAPConfig(t, s, map[string]any{"state": "disabled"})
	if r, u := reason(); r != TAPDisabledByPolicy || u {
		t.Fatalf("configuration disabled: %s %v", r, u)
	}
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	if err := s.SetTemporaryAccessPassUsability(tenantID, aliceID, id, TAPOneTimeUsed); err != nil {
		t.Fatal(err)
	}
	if r, u := reason(); r != TAPOneTimeUsed || u {
		t.Fatalf("used: %s %v", r, u)
	}
	if err := s.SetTemporaryAccessPassUsability(tenantID, aliceID, id, ""); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if r, u := reason(); r != TAPExpired || u {
		t.Fatalf("past its lifetime: %s %v", r, u)
	}
	if err := s.SetTemporaryAccessPassUsability(tenantID, aliceID, id, "Whatever"); err == nil {
		t.Fatal("an unknown reason was accepted")
	}
	if err := s.SetTemporaryAccessPassUsability(tenantID, aliceID, "nope", TAPExpired); !errors.Is(err, ErrAuthenticationMethodNotFound) {
		t.Fatalf("unknown pass: %v", err)
	}
}

func TestTAPReplaceModes(t *testing.T) {
	s := startTest(t, Options{})
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	first := call(t, s, appRW, "POST", tapsPath(aliceID), nil).json(t)["id"]
	// Default (documented): a new pass replaces the user's pass.
	second := call(t, s, appRW, "POST", tapsPath(aliceID), nil).json(t)["id"]
	l := call(t, s, appRW, "GET", tapsPath(aliceID), nil).json(t)["value"].([]any)
	if len(l) != 1 || l[0].(map[string]any)["id"] != second || second == first {
		t.Fatalf("after a second create: %v", l)
	}
	// Refusing (as scripts report) until the pass is deleted.
	if err := s.SetTemporaryAccessPassReplaces(tenantID, false); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, call(t, s, appRW, "POST", tapsPath(aliceID), nil), 400, "badRequest", ruleTable[ruleTAPExists].Message)
	mustStatus(t, call(t, s, appRW, "DELETE", tapsPath(aliceID)+"/"+second.(string), nil), 204)
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(aliceID), nil), 201)
	if err := s.SetTemporaryAccessPassReplaces("nope", true); !errors.Is(err, ErrTenantNotFound) {
		t.Fatalf("unknown tenant: %v", err)
	}
}

func TestTAPDelegatedSelfAndMe(t *testing.T) {
	s := startTest(t, Options{})
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	admin := fakeToken(identity.Principal{TenantID: tenantID, UserID: aliceID, Scopes: []string{"UserAuthenticationMethod.ReadWrite.All"}, DirectoryRoles: []string{roleAuthAdmin}})
	mustRefuse(t, call(t, s, admin, "POST", tapsPath(aliceID), nil), 403, "accessDenied", ruleTable[ruleTAPForSelf].Message)
	mustRefuse(t, call(t, s, admin, "POST", tapsPath(aliceUPN), nil), 403, "accessDenied", ruleTable[ruleTAPForSelf].Message)
	r := call(t, s, admin, "POST", tapsPath(bobID), nil)
	mustStatus(t, r, 201)
	bobTAP, _ := r.json(t)["id"].(string)
	mustStatus(t, call(t, s, admin, "POST", "/v1.0/me/authentication/temporaryAccessPassMethods", nil), 405)
	bob := fakeToken(identity.Principal{TenantID: tenantID, UserID: bobID, Scopes: []string{"UserAuthenticationMethod.ReadWrite"}})
	mustStatus(t, call(t, s, bob, "GET", "/v1.0/me/authentication/temporaryAccessPassMethods/"+bobTAP, nil), 200)
	mustStatus(t, call(t, s, bob, "GET", tapsPath(aliceID), nil), 403)
	mustStatus(t, call(t, s, bob, "DELETE", "/v1.0/me/authentication/temporaryAccessPassMethods/"+bobTAP, nil), 204)
	// Granular permission.
	appTAP := fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-tap", Roles: []string{"UserAuthMethod-TAP.ReadWrite.All"}})
	mustStatus(t, call(t, s, appTAP, "POST", tapsPath(carolID), nil), 201)
	mustStatus(t, call(t, s, appGran, "GET", tapsPath(carolID), nil), 403)
}

func TestTAPFaultsLogAndLag(t *testing.T) {
	s := startTest(t, Options{})
	setTAPConfig(t, s, map[string]any{"state": "enabled"})
	for _, op := range []string{OpTAPCreate, OpTAPList, OpTAPGet, OpTAPDelete} {
		if _, err := s.AddFaults(Fault{Kind: FaultThrottle, Match: op, Count: 1, RetryAfterSeconds: 1}); err != nil {
			t.Fatal(err)
		}
	}
	mustStatus(t, call(t, s, appRW, "POST", tapsPath(aliceID), nil), 429)
	r := call(t, s, appRW, "POST", tapsPath(aliceID), nil)
	mustStatus(t, r, 201)
	id, _ := r.json(t)["id"].(string)
	mustStatus(t, call(t, s, appRW, "GET", tapsPath(aliceID), nil), 429)
	mustStatus(t, call(t, s, appRW, "GET", tapsPath(aliceID)+"/"+id, nil), 429)
	mustStatus(t, call(t, s, appRW, "DELETE", tapsPath(aliceID)+"/"+id, nil), 429)
	for _, op := range []string{OpTAPCreate, OpTAPList, OpTAPGet, OpTAPDelete} {
		if log := s.RequestLog(RequestLogFilter{Operation: op}); len(log) == 0 || log[0].Status != 429 || log[0].Fault != FaultThrottle {
			t.Fatalf("request log of %s: %+v", op, log)
		}
	}
	// A dropped create is applied: the pass exists though the answer is lost.
	if _, err := s.SetFaults(Fault{Kind: FaultDrop, Match: OpTAPCreate, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := tryCall(s, appRW, "POST", tapsPath(bobID), nil); err == nil {
		t.Fatal("the dropped create answered")
	}
	if got, _ := s.TemporaryAccessPasses(tenantID, bobID); len(got) != 1 {
		t.Fatalf("after a dropped create: %+v", got)
	}
	// Lag: right after a create the new pass is not found yet.
	if _, err := s.SetFaults(Fault{Kind: FaultLag, Match: OpTAPCreate, LagReads: 1}); err != nil {
		t.Fatal(err)
	}
	r = call(t, s, appRW, "POST", tapsPath(carolID), nil)
	id, _ = r.json(t)["id"].(string)
	mustStatus(t, call(t, s, appRW, "GET", tapsPath(carolID)+"/"+id, nil), 404)
	mustStatus(t, call(t, s, appRW, "GET", tapsPath(carolID)+"/"+id, nil), 200)
}

func TestTAPControlAPIDefaults(t *testing.T) {
	s := startTest(t, Options{})
	setTAPConfig(t, s, map[string]any{"defaultLength": 16, "defaultLifetimeInMinutes": 120, "isUsableOnce": true})
	// Out of band: no policy check (the configuration is disabled here).
	tap, err := s.AddTemporaryAccessPassOutOfBand(tenantID, aliceUPN, TemporaryAccessPass{})
	if err != nil {
		t.Fatal(err)
	}
	if tap.ID == "" || len(tap.Pass) != 16 || tap.LifetimeInMinutes != 120 || !tap.IsUsableOnce || !tap.StartDateTime.Equal(tap.CreatedDateTime) ||
		tap.MethodUsabilityReason != TAPDisabledByPolicy {
		t.Fatalf("defaults: %+v", tap)
	}
	used, err := s.AddTemporaryAccessPassOutOfBand(tenantID, aliceID, TemporaryAccessPass{ID: "tap-2", Pass: "secret!!", LifetimeInMinutes: 60, MethodUsabilityReason: TAPOneTimeUsed})
	if err != nil || used.ID != "tap-2" || used.Pass != "secret!!" || used.MethodUsabilityReason != TAPOneTimeUsed {
		t.Fatalf("given fields: %+v, %v", used, err)
	}
	if _, err := s.AddTemporaryAccessPassOutOfBand(tenantID, aliceID, TemporaryAccessPass{ID: "tap-2"}); err == nil {
		t.Fatal("a duplicate id was accepted")
	}
	if all, _ := s.TemporaryAccessPasses(tenantID, aliceID); len(all) != 2 {
		t.Fatalf("out of band adds without replacing: %+v", all)
	}
	if err := s.DeleteTemporaryAccessPassOutOfBand(tenantID, aliceID, "TAP-2"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTemporaryAccessPassOutOfBand(tenantID, aliceID, "tap-2"); !errors.Is(err, ErrAuthenticationMethodNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}
