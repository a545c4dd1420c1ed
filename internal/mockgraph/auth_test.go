package mockgraph

import (
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

func delegated(user string, scopes []string, roles ...string) string {
	return fakeToken(identity.Principal{TenantID: tenantID, AppID: "cli", UserID: user, Scopes: scopes, DirectoryRoles: roles})
}

func TestAuthAndPermissions(t *testing.T) {
	s := startTest(t, Options{})
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555551234x55", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPhoneMethodOutOfBand(tenantID, bobID, "mobile", "+1 5555550002", false); err != nil {
		t.Fatal(err)
	}
	create := map[string]string{"phoneNumber": "+1 5555550003", "phoneType": "office"}
	unknownTenant := fakeToken(identity.Principal{TenantID: "ffffffff-0000-4000-8000-00000000ffff", Roles: []string{"UserAuthenticationMethod.ReadWrite.All"}})
	otherTenant := fakeToken(identity.Principal{TenantID: otherTID, Roles: []string{"UserAuthenticationMethod.ReadWrite.All"}})
	readAll := []string{"UserAuthenticationMethod.Read.All"}
	rwAll := []string{"UserAuthenticationMethod.ReadWrite.All"}
	self := []string{"UserAuthenticationMethod.ReadWrite"}
	selfRead := []string{"UserAuthenticationMethod.Read"}
	for _, c := range []struct {
		name, token, method, path string
		body                      any
		status                    int
		code                      string
	}{
		{"no token", "", "GET", phonesPath(aliceID), nil, 401, "InvalidAuthenticationToken"},
		{"garbage token", "fake:{", "GET", phonesPath(aliceID), nil, 401, "InvalidAuthenticationToken"},
		{"unknown tenant", unknownTenant, "GET", phonesPath(aliceID), nil, 401, "InvalidAuthenticationToken"},
		{"user of another tenant", otherTenant, "GET", phonesPath(aliceID), nil, 404, "Request_ResourceNotFound"},
		{"no roles read", appNone, "GET", phonesPath(aliceID), nil, 403, "accessDenied"},
		{"no roles unknown user", appNone, "GET", phonesPath("ghost@one.example"), nil, 403, "accessDenied"},
		{"read-only app reads", appRO, "GET", phonesPath(aliceID), nil, 200, ""},
		{"read-only app gets", appRO, "GET", phonePath(aliceID, MobileMethodID), nil, 200, ""},
		{"read-only app creates", appRO, "POST", phonesPath(aliceID), create, 403, "accessDenied"},
		{"read-only app patches", appRO, "PATCH", phonePath(aliceID, MobileMethodID), map[string]string{"phoneNumber": "+1 5555550009"}, 403, "accessDenied"},
		{"read-only app deletes", appRO, "DELETE", phonePath(aliceID, MobileMethodID), nil, 403, "accessDenied"},
		{"read-only app enables", appRO, "POST", phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", nil, 403, "accessDenied"},
		{"granular app creates", appGran, "POST", phonesPath(aliceID), create, 201, ""},
		{"/me with app token", appRW, "GET", "/v1.0/me/authentication/phoneMethods", nil, 400, "BadRequest"},
		{"/me list", delegated(aliceID, selfRead), "GET", "/v1.0/me/authentication/phoneMethods", nil, 200, ""},
		{"/me get", delegated(aliceID, selfRead), "GET", "/v1.0/me/authentication/phoneMethods/" + MobileMethodID, nil, 200, ""},
		{"/me enable needs write scope", delegated(aliceID, selfRead), "POST", "/v1.0/me/authentication/phoneMethods/" + MobileMethodID + "/enableSmsSignIn", nil, 403, "accessDenied"},
		{"/me enable", delegated(aliceID, self), "POST", "/v1.0/me/authentication/phoneMethods/" + MobileMethodID + "/enableSmsSignIn", nil, 204, ""},
		{"/me disable", delegated(aliceID, self), "POST", "/v1.0/me/authentication/phoneMethods/" + MobileMethodID + "/disableSmsSignIn", nil, 204, ""},
		{"/me create not self-service", delegated(aliceID, self), "POST", "/v1.0/me/authentication/phoneMethods", create, 405, ""},
		{"/me update not self-service", delegated(aliceID, self), "PATCH", "/v1.0/me/authentication/phoneMethods/" + MobileMethodID, map[string]string{"phoneNumber": "+1 5555550009"}, 405, ""},
		{"self create via /users without admin role", delegated(aliceID, self), "POST", phonesPath(aliceID), create, 403, "accessDenied"},
		{"delegated other user without role", delegated(aliceID, readAll), "GET", phonesPath(bobID), nil, 403, "accessDenied"},
		{"auth admin reads other", delegated(aliceID, readAll, "Authentication Administrator"), "GET", phonesPath(bobID), nil, 200, ""},
		// Observed: a delegated Global Reader may read others' methods, not write them.
		{"global reader reads other", delegated(aliceID, readAll, "Global Reader"), "GET", phonesPath(bobID), nil, 200, ""},
		{"global reader cannot write", delegated(aliceID, rwAll, "Global Reader"), "POST", phonesPath(bobID), create, 403, "accessDenied"},
		{"auth admin without write scope", delegated(aliceID, readAll, "Authentication Administrator"), "POST", phonesPath(bobID), create, 403, "accessDenied"},
		{"auth admin creates for other", delegated(aliceID, rwAll, "Authentication Administrator"), "POST", phonesPath(bobID), create, 201, ""},
		{"/me delete", delegated(aliceID, self), "DELETE", "/v1.0/me/authentication/phoneMethods/" + MobileMethodID, nil, 204, ""},
	} {
		r := call(t, s, c.token, c.method, c.path, c.body)
		if r.Status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.Status, c.status, r.Body)
			continue
		}
		if c.code != "" {
			if got := r.errorCode(t); got != c.code {
				t.Errorf("%s: code %q, want %q", c.name, got, c.code)
			}
		}
	}
}

// TestMaskedE164Number: a number stored without the space (E.164) is
// masked too, every digit but the last two, as its country code cannot be
// told apart; the extension is dropped.
func TestMaskedE164Number(t *testing.T) {
	s := startTest(t, Options{})
	if err := s.SetPhoneMethodOutOfBand(tenantID, bobID, "mobile", "+15555551234x55", false); err != nil {
		t.Fatal(err)
	}
	g := call(t, s, delegated(aliceID, []string{"UserAuthenticationMethod.Read.All"}, "Authentication Administrator"), "GET", phonePath(bobID, MobileMethodID), nil)
	mustStatus(t, g, 200)
	if got := g.json(t)["phoneNumber"]; got != "+XXXXXXXXX34" {
		t.Errorf("masked E.164: %v, want +XXXXXXXXX34", got)
	}
}

// TestMaskedNumbers: an Authentication Administrator sees other users'
// numbers masked; a Privileged Authentication Administrator and the user
// themself see them in full.
func TestMaskedNumbers(t *testing.T) {
	s := startTest(t, Options{})
	if err := s.SetPhoneMethodOutOfBand(tenantID, bobID, "mobile", "+1 5555551234x55", false); err != nil {
		t.Fatal(err)
	}
	readAll := []string{"UserAuthenticationMethod.Read.All"}
	for _, c := range []struct {
		name, token, user, want string
	}{
		{"auth admin", delegated(aliceID, readAll, "Authentication Administrator"), bobID, "+1 XXXXXXXX34"},
		{"privileged auth admin", delegated(aliceID, readAll, "Authentication Administrator", "Privileged Authentication Administrator"), bobID, "+1 5555551234x55"},
		{"self", delegated(bobID, []string{"UserAuthenticationMethod.Read"}), bobID, "+1 5555551234x55"},
		{"app", appRO, bobID, "+1 5555551234x55"},
	} {
		g := call(t, s, c.token, "GET", phonePath(c.user, MobileMethodID), nil)
		mustStatus(t, g, 200)
		if got := g.json(t)["phoneNumber"]; got != c.want {
			t.Errorf("%s get: %v, want %v", c.name, got, c.want)
		}
		l := call(t, s, c.token, "GET", phonesPath(c.user), nil)
		mustStatus(t, l, 200)
		if !strings.Contains(string(l.Body), `"phoneNumber":"`+c.want+`"`) {
			t.Errorf("%s list: %s", c.name, l.Body)
		}
	}
}
