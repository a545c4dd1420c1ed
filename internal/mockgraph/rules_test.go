package mockgraph

import (
	"net/http"
	"strings"
	"testing"
)

func TestValidPhoneNumber(t *testing.T) {
	for _, tc := range []struct {
		n  string
		ok bool
	}{
		{"+1 5555551234", true},
		{"+1 5555551234x123", true},
		{"+44 7700900123", true},
		{"+353 861234567", true},
		{"+1 1234", true},
		{"+1 12345678901234", true},
		{"+1 123", false},              // subscriber too short
		{"+1 123456789012345", false},  // subscriber too long
		{"+15555551234", true},         // E.164 without the space, as real Graph accepts
		{"+15555551234x123", true},     // with an extension
		{"+442079460958", true},        // any country code: the digits are not split
		{"+11234", true},               // the shortest spaced form without its space
		{"+12345678901234567", true},   // the longest: 3-digit code and 14 digits
		{"+1234", false},               // too short
		{"+123456789012345678", false}, // too long
		{"+05555551234", false},        // no leading 0
		{"+15555551234 x1", false},
		{"+15555551234X1", false}, // lower-case x only
		{"+1  5555551234", false},
		{"1 5555551234", false},
		{"+0 5555551234", false}, // no leading 0 in country code
		{"+1234 555555", false},  // country code too long
		{"+1 555-555-1234", false},
		{"+1 5555551234x", false}, // empty extension
		{"+1 5555551234 x12", false},
		{"+1 5555551234x12345678901", false},
		{"", false},
	} {
		if got := ValidPhoneNumber(tc.n); got != tc.ok {
			t.Errorf("ValidPhoneNumber(%q) = %v, want %v", tc.n, got, tc.ok)
		}
	}
}

// TestRuleTableComplete keeps every rule answerable and in Graph's status classes.
func TestRuleTableComplete(t *testing.T) {
	for r, o := range ruleTable {
		if o.Status < 400 || o.Code == "" || o.Message == "" {
			t.Errorf("rule %s has an incomplete outcome %+v", r, o)
		}
	}
}

// TestPhoneRules covers every documented rule with its chosen status/code.
func TestPhoneRules(t *testing.T) {
	mobile := map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}
	type tc struct {
		name   string
		setup  func(t *testing.T, s *Server)
		method string
		path   string
		body   any
		status int
		code   string
	}
	withMobile := func(t *testing.T, s *Server) {
		if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550001", false); err != nil {
			t.Fatal(err)
		}
	}
	withMobileAndAlt := func(t *testing.T, s *Server) {
		withMobile(t, s)
		if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "alternateMobile", "+1 5555550002", false); err != nil {
			t.Fatal(err)
		}
	}
	withOffice := func(t *testing.T, s *Server) {
		if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "office", "+1 5555550003", false); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []tc{
		{name: "create ok", method: "POST", path: phonesPath(aliceID), body: mobile, status: 201},
		{name: "create by UPN any case", method: "POST", path: phonesPath("ALICE@One.Example"), body: mobile, status: 201},
		{name: "create with odata.type", method: "POST", path: phonesPath(aliceID), body: map[string]string{"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "phoneNumber": "+1 5555550001", "phoneType": "mobile"}, status: 201},
		{name: "create invalid number", method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+1 555-555-0001", "phoneType": "mobile"}, status: 400, code: "invalidRequest"},
		{name: "create E.164 without the space", method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+15555550001", "phoneType": "mobile"}, status: 201},
		{name: "create invalid type", method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "fax"}, status: 400, code: "invalidRequest"},
		{name: "create missing type", method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+1 5555550001"}, status: 400, code: "invalidRequest"},
		{name: "create second mobile", setup: withMobile, method: "POST", path: phonesPath(aliceID), body: mobile, status: 400, code: "invalidRequest"},
		{name: "create alternateMobile without mobile", method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+1 5555550002", "phoneType": "alternateMobile"}, status: 400, code: "invalidRequest"},
		{name: "create alternateMobile with mobile", setup: withMobile, method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+1 5555550002", "phoneType": "alternateMobile"}, status: 201},
		{name: "create office without mobile", method: "POST", path: phonesPath(aliceID), body: map[string]string{"phoneNumber": "+1 5555550003x12", "phoneType": "office"}, status: 201},
		{name: "create read-only id", method: "POST", path: phonesPath(aliceID), body: map[string]string{"id": MobileMethodID, "phoneNumber": "+1 5555550001", "phoneType": "mobile"}, status: 400, code: "BadRequest"},
		{name: "create read-only smsSignInState", method: "POST", path: phonesPath(aliceID), body: map[string]string{"smsSignInState": "ready", "phoneNumber": "+1 5555550001", "phoneType": "mobile"}, status: 400, code: "BadRequest"},
		{name: "create unknown property", method: "POST", path: phonesPath(aliceID), body: map[string]string{"foo": "bar", "phoneNumber": "+1 5555550001", "phoneType": "mobile"}, status: 400, code: "BadRequest"},
		{name: "create wrong odata.type", method: "POST", path: phonesPath(aliceID), body: map[string]string{"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "phoneNumber": "+1 5555550001", "phoneType": "mobile"}, status: 400, code: "BadRequest"},
		{name: "create not JSON", method: "POST", path: phonesPath(aliceID), body: "phone please", status: 400, code: "BadRequest"},
		{name: "create unknown user", method: "POST", path: phonesPath("nobody@one.example"), body: mobile, status: 404, code: "Request_ResourceNotFound"},
		{name: "get unknown user", method: "GET", path: phonePath("ffffffff-0000-4000-8000-000000000000", MobileMethodID), status: 404, code: "Request_ResourceNotFound"},
		{name: "get unknown method id", method: "GET", path: phonePath(aliceID, "28c10230-6103-485e-b985-444c60001490"), status: 404, code: "itemNotFound"},
		{name: "get absent method", method: "GET", path: phonePath(aliceID, MobileMethodID), status: 404, code: "itemNotFound"},
		{name: "get ok upper-case id", setup: withMobile, method: "GET", path: phonePath(aliceID, "3179E48A-750B-4051-897C-87B9720928F7"), status: 200},
		{name: "update number", setup: withMobile, method: "PATCH", path: phonePath(aliceID, MobileMethodID), body: map[string]string{"phoneNumber": "+1 5555550009"}, status: 204},
		{name: "update same phoneType ok", setup: withMobile, method: "PATCH", path: phonePath(aliceID, MobileMethodID), body: map[string]string{"phoneType": "mobile", "phoneNumber": "+1 5555550009"}, status: 204},
		{name: "update invalid number", setup: withMobile, method: "PATCH", path: phonePath(aliceID, MobileMethodID), body: map[string]string{"phoneNumber": "5555550009"}, status: 400, code: "invalidRequest"},
		{name: "update change phoneType", setup: withMobile, method: "PATCH", path: phonePath(aliceID, MobileMethodID), body: map[string]string{"phoneType": "office"}, status: 400, code: "invalidRequest"},
		{name: "update read-only id", setup: withMobile, method: "PATCH", path: phonePath(aliceID, MobileMethodID), body: map[string]string{"id": MobileMethodID}, status: 400, code: "BadRequest"},
		{name: "update absent method", method: "PATCH", path: phonePath(aliceID, MobileMethodID), body: map[string]string{"phoneNumber": "+1 5555550009"}, status: 404, code: "itemNotFound"},
		{name: "delete ok", setup: withMobile, method: "DELETE", path: phonePath(aliceID, MobileMethodID), status: 204},
		{name: "delete mobile while alternateMobile exists", setup: withMobileAndAlt, method: "DELETE", path: phonePath(aliceID, MobileMethodID), status: 400, code: "invalidRequest"},
		{name: "delete alternateMobile", setup: withMobileAndAlt, method: "DELETE", path: phonePath(aliceID, AlternateMobileMethodID), status: 204},
		{name: "delete absent", method: "DELETE", path: phonePath(aliceID, OfficeMethodID), status: 404, code: "itemNotFound"},
		{name: "enable ok", setup: withMobile, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", status: 204},
		{name: "enable on office", setup: withOffice, method: "POST", path: phonePath(aliceID, OfficeMethodID) + "/enableSmsSignIn", status: 400, code: "invalidRequest"},
		{name: "disable on alternateMobile", setup: withMobileAndAlt, method: "POST", path: phonePath(aliceID, AlternateMobileMethodID) + "/disableSmsSignIn", status: 400, code: "invalidRequest"},
		{name: "enable absent", method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", status: 404, code: "itemNotFound"},
		{name: "enable with body", setup: withMobile, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", body: map[string]string{"x": "y"}, status: 400, code: "BadRequest"},
		{name: "enable empty object body", setup: withMobile, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", body: "{}", status: 204},
		{name: "enable not allowed by policy", setup: func(t *testing.T, s *Server) {
			withMobile(t, s)
			if err := s.SetSMSPolicy(tenantID, SMSPolicy{State: "disabled", IncludeTargets: []SMSIncludeTarget{{ID: AllUsers, TargetType: "group", IsUsableForSignIn: true}}}); err != nil {
				t.Fatal(err)
			}
		}, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", status: 400, code: "invalidRequest"},
		{name: "enable number not unique", setup: func(t *testing.T, s *Server) {
			withMobile(t, s)
			if err := s.SetPhoneMethodOutOfBand(tenantID, bobID, "mobile", "+1 5555550001", true); err != nil {
				t.Fatal(err)
			}
		}, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", status: 400, code: "invalidRequest"},
		{name: "enable number shared but other not SMS-enabled", setup: func(t *testing.T, s *Server) {
			withMobile(t, s)
			if err := s.SetPhoneMethodOutOfBand(tenantID, bobID, "mobile", "+1 5555550001", false); err != nil {
				t.Fatal(err)
			}
		}, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", status: 204},
		{name: "enable number used in another tenant", setup: func(t *testing.T, s *Server) {
			withMobile(t, s)
			if err := s.SetPhoneMethodOutOfBand(otherTID, "erin@two.example", "mobile", "+1 5555550001", true); err != nil {
				t.Fatal(err)
			}
		}, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", status: 204},
		{name: "disable ok", setup: withMobile, method: "POST", path: phonePath(aliceID, MobileMethodID) + "/disableSmsSignIn", status: 204},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := startTest(t, Options{})
			if c.setup != nil {
				c.setup(t, s)
			}
			r := call(t, s, appRW, c.method, c.path, c.body)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
			}
			if c.code != "" {
				if got := r.errorCode(t); got != c.code {
					t.Fatalf("code %q, want %q: %s", got, c.code, r.Body)
				}
			}
			if r.Status == http.StatusNoContent && len(r.Body) != 0 {
				t.Fatalf("204 with a body: %q", r.Body)
			}
		})
	}
}

// TestCreateAndReadBack checks the object shape and the fixed method ids.
func TestCreateAndReadBack(t *testing.T) {
	s := startTest(t, Options{})
	for _, c := range []struct{ typ, num, id string }{
		{"mobile", "+1 5555550001", MobileMethodID},
		{"alternateMobile", "+1 5555550002", AlternateMobileMethodID},
		{"office", "+1 5555550003x77", OfficeMethodID},
	} {
		r := call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": c.num, "phoneType": c.typ})
		mustStatus(t, r, 201)
		m := r.json(t)
		if m["id"] != c.id || m["phoneNumber"] != c.num || m["phoneType"] != c.typ {
			t.Fatalf("created %v", m)
		}
		g := call(t, s, appRW, "GET", phonePath(aliceUPN, c.id), nil)
		mustStatus(t, g, 200)
		if g.json(t)["phoneNumber"] != c.num {
			t.Fatalf("get %s", g.Body)
		}
	}
	l := call(t, s, appRW, "GET", phonesPath(aliceID), nil)
	mustStatus(t, l, 200)
	vals, _ := l.json(t)["value"].([]any)
	if len(vals) != 3 {
		t.Fatalf("list has %d items: %s", len(vals), l.Body)
	}
	// PATCH then re-read.
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, OfficeMethodID), map[string]string{"phoneNumber": "+1 5555550004"}), 204)
	if got := call(t, s, appRW, "GET", phonePath(aliceID, OfficeMethodID), nil).json(t)["phoneNumber"]; got != "+1 5555550004" {
		t.Fatalf("after PATCH number is %v", got)
	}
	// Delete alternate, then mobile is deletable.
	mustStatus(t, call(t, s, appRW, "DELETE", phonePath(aliceID, AlternateMobileMethodID), nil), 204)
	mustStatus(t, call(t, s, appRW, "DELETE", phonePath(aliceID, MobileMethodID), nil), 204)
	mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), 404)
}

// TestE164WithoutSpace: real Graph accepts E.164 without the space
// (FIDELITY.md). The mock accepts it on create and update, returns it as
// written, and treats it as the same number as its spaced form for SMS
// sign-in uniqueness; a change of spelling keeps the registration.
func TestE164WithoutSpace(t *testing.T) {
	s := startTest(t, Options{})
	r := call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+15555550001", "phoneType": "mobile"})
	mustStatus(t, r, 201)
	if got := r.json(t)["phoneNumber"]; got != "+15555550001" {
		t.Fatalf("create answer: %v", got)
	}
	if got := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil).json(t)["phoneNumber"]; got != "+15555550001" {
		t.Fatalf("get: %v", got)
	}
	if l := call(t, s, appRW, "GET", phonesPath(aliceID), nil); !strings.Contains(string(l.Body), `"phoneNumber":"+15555550001"`) {
		t.Fatalf("list: %s", l.Body)
	}
	mustStatus(t, call(t, s, appRW, "POST", phonePath(aliceID, MobileMethodID)+"/enableSmsSignIn", nil), 204)
	if got := smsState(t, s, aliceID); got != "ready" {
		t.Fatalf("alice after enable: %s", got)
	}

	// Bob writes the same number spaced: one number for SMS sign-in, so the
	// applied 409 of a number another user registered.
	r = call(t, s, appRW, "POST", phonesPath(bobID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"})
	if r.Status != 409 || r.errorCode(t) != "phoneNumberNotUnique" {
		t.Fatalf("bob with alice's number spaced: %d %s", r.Status, r.Body)
	}
	if got := smsState(t, s, bobID); got != "phoneNumberNotUnique" {
		t.Fatalf("bob: %s", got)
	}

	// Alice respells hers: same number, the registration and its seniority stay.
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), map[string]string{"phoneNumber": "+1 5555550001"}), 204)
	if got := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil).json(t)["phoneNumber"]; got != "+1 5555550001" {
		t.Fatalf("get after respelling: %v", got)
	}
	if got := smsState(t, s, aliceID); got != "ready" {
		t.Fatalf("alice after respelling: %s", got)
	}
	// An update to another E.164 number is accepted too.
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), map[string]string{"phoneNumber": "+15555550002"}), 204)
	if got := smsState(t, s, bobID); got != "notConfigured" {
		t.Fatalf("bob after alice moved away: %s", got)
	}
}
