package graph

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

type staticCredential struct{ token string }

func (s staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: s.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

type seenRequest struct {
	method, path, auth, userAgent, encoding string
	body                                    string
}

type scriptedResponse struct {
	status  int
	headers map[string]string
	body    string
}

// scriptServer answers with the scripted responses in order (the last one
// repeats) and records what it received, decompressing gzip bodies.
type scriptServer struct {
	mu     sync.Mutex
	seen   []seenRequest
	script []scriptedResponse
}

func (s *scriptServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	body := raw
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			http.Error(w, "bad gzip", http.StatusBadRequest)
			return
		}
		body, _ = io.ReadAll(zr)
	}
	s.mu.Lock()
	s.seen = append(s.seen, seenRequest{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("User-Agent"), r.Header.Get("Content-Encoding"), string(body)})
	resp := s.script[min(len(s.seen)-1, len(s.script)-1)]
	s.mu.Unlock()
	for k, v := range resp.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.status)
	_, _ = io.WriteString(w, resp.body)
}

func (s *scriptServer) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

func newScriptClient(t *testing.T, script ...scriptedResponse) (*Client, *scriptServer) {
	t.Helper()
	ss := &scriptServer{script: script}
	srv := httptest.NewServer(ss) // 127.0.0.1, OS-chosen port
	t.Cleanup(srv.Close)
	e, err := ResolveEndpoints("", srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := newClientWithCredential(Config{Endpoints: e, Version: "1.2.3", RetryBaseDelay: time.Millisecond},
		staticCredential{token: "static-token"}, newBaseTransport(), newMasker("static-token"))
	if err != nil {
		t.Fatal(err)
	}
	return c, ss
}

const createdMobile = `{"id":"3179e48a-750b-4051-897c-87b9720928f7","phoneNumber":"+1 5555550100","phoneType":"mobile","smsSignInState":"notEnabled"}`

func TestPipelineSendsTokenUserAgentAndGzipBody(t *testing.T) {
	t.Parallel()
	c, ss := newScriptClient(t, scriptedResponse{status: 201, headers: map[string]string{"Content-Type": "application/json"}, body: createdMobile})
	pm, err := c.CreatePhoneMethod(context.Background(), "adele@contoso.com", PhoneTypeMobile, "+1 5555550100")
	if err != nil {
		t.Fatal(err)
	}
	want := CreatedPhone{PhoneMethod{ID: "3179e48a-750b-4051-897c-87b9720928f7", PhoneNumber: "+1 5555550100", PhoneType: "mobile", SMSSignInState: "notEnabled"}, Created}
	if *pm != want {
		t.Errorf("got %+v", *pm)
	}
	reqs := ss.requests()
	if len(reqs) != 1 {
		t.Fatalf("requests: %+v", reqs)
	}
	r := reqs[0]
	if r.method != "POST" || r.path != "/v1.0/users/adele@contoso.com/authentication/phoneMethods" {
		t.Errorf("request line: %s %s", r.method, r.path)
	}
	if r.auth != "Bearer static-token" {
		t.Errorf("Authorization = %q: the token must be sent to the configured host", r.auth)
	}
	if r.userAgent != "terraform-provider-entraauth/1.2.3" {
		t.Errorf("User-Agent = %q", r.userAgent)
	}
	if r.encoding != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", r.encoding)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	if body["phoneNumber"] != "+1 5555550100" || body["phoneType"] != "mobile" {
		t.Errorf("body = %v", body)
	}
}

func TestPipelineRetriedPOSTBodyIntact(t *testing.T) {
	t.Parallel()
	past := time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat)
	c, ss := newScriptClient(t,
		scriptedResponse{status: 429, headers: map[string]string{"Retry-After": "0", "Content-Type": "application/json"}, body: `{"error":{"code":"TooManyRequests","message":"throttled"}}`},
		scriptedResponse{status: 503, headers: map[string]string{"Retry-After": past}},
		scriptedResponse{status: 504},
		scriptedResponse{status: 201, headers: map[string]string{"Content-Type": "application/json"}, body: createdMobile},
	)
	if _, err := c.CreatePhoneMethod(context.Background(), "u1", PhoneTypeMobile, "+1 5555550100"); err != nil {
		t.Fatal(err)
	}
	reqs := ss.requests()
	if len(reqs) != 4 {
		t.Fatalf("got %d requests, want 4", len(reqs))
	}
	for i, r := range reqs {
		var body map[string]any
		if err := json.Unmarshal([]byte(r.body), &body); err != nil || body["phoneNumber"] != "+1 5555550100" || body["phoneType"] != "mobile" {
			t.Errorf("attempt %d body %q (encoding %q) is not the original: %v", i+1, r.body, r.encoding, err)
		}
	}
}

func TestPipelineMalformedErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []scriptedResponse{
		{status: 500, headers: map[string]string{"Content-Type": "application/json", "request-id": "rid-1"}, body: `{"unexpected":true}`},
		{status: 403, headers: map[string]string{"request-id": "rid-2"}},
		{status: 502, headers: map[string]string{"Content-Type": "text/html", "request-id": "rid-3"}, body: "<html>bad gateway</html>"},
		{status: 400, headers: map[string]string{"Content-Type": "application/json", "request-id": "rid-4"}, body: `not json at all`},
		{status: 409, headers: map[string]string{"Content-Type": "application/json", "request-id": "rid-5"}, body: `{"error":"a string, not an object"}`},
		{status: 404, headers: map[string]string{"Content-Type": "application/json", "request-id": "rid-6"}, body: `{"error":{}}`},
	}
	for _, tc := range cases {
		c, _ := newScriptClient(t, tc)
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("status %d body %q panicked: %v", tc.status, tc.body, r)
				}
			}()
			_, err = c.GetPhoneMethod(context.Background(), "u1", PhoneTypeMobile)
			_ = err.Error()
		}()
		if StatusCode(err) != tc.status {
			t.Errorf("body %q: status %d, want %d (%v)", tc.body, StatusCode(err), tc.status, err)
		}
		msg := err.Error()
		t.Log(msg)
		if !strings.HasPrefix(msg, "get phone method: HTTP ") || !strings.Contains(msg, tc.headers["request-id"]) {
			t.Errorf("body %q: message %q", tc.body, msg)
		}
	}
}

func TestPipelineNoContentOperations(t *testing.T) {
	t.Parallel()
	c, ss := newScriptClient(t, scriptedResponse{status: 204})
	ctx := context.Background()
	if err := c.patchPhoneNumber(ctx, "u1", PhoneTypeMobile, "+1 5555550199"); err != nil {
		t.Fatal(err)
	}
	if err := c.EnableSMSSignIn(ctx, "u1", PhoneTypeMobile); err != nil {
		t.Fatal(err)
	}
	if err := c.DisableSMSSignIn(ctx, "u1", PhoneTypeMobile); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeletePhoneMethod(ctx, "u1", PhoneTypeMobile); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range ss.requests() {
		got = append(got, r.method+" "+r.path)
	}
	want := []string{
		"PATCH /v1.0/users/u1/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7",
		"POST /v1.0/users/u1/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7/enableSmsSignIn",
		"POST /v1.0/users/u1/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7/disableSmsSignIn",
		"DELETE /v1.0/users/u1/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if body := ss.requests()[0].body; !strings.Contains(body, `"phoneNumber":"+1 5555550199"`) || strings.Contains(body, "phoneType") {
		t.Errorf("PATCH body %q: only the number may be sent", body)
	}
}

func TestRequireIDsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	c, ss := newScriptClient(t, scriptedResponse{status: 500})
	if _, err := c.GetPhoneMethod(context.Background(), "", PhoneTypeMobile); err == nil {
		t.Error("empty user id accepted")
	}
	if _, err := c.DeletePhoneMethod(context.Background(), " ", PhoneTypeMobile); err == nil {
		t.Error("blank user id accepted")
	}
	if _, err := c.CreatePhoneMethod(context.Background(), "u1", "landline", "+1 5555550100"); err == nil || !strings.Contains(err.Error(), "landline") {
		t.Errorf("unknown phone type: %v", err)
	}
	if n := len(ss.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

// TestCreateReconciles covers every answer of reconcileCreate, the one
// decision whether a create that got no plain answer was applied.
func TestCreateReconciles(t *testing.T) {
	t.Parallel()
	conflict := scriptedResponse{status: 409, headers: map[string]string{"Content-Type": "application/json"},
		body: `{"error":{"code":"conflict","message":"A phone of this type already exists."}}`}
	badRequest := scriptedResponse{status: 400, headers: map[string]string{"Content-Type": "application/json"},
		body: `{"error":{"code":"badRequest","message":"Invalid request."}}`}
	forbidden := scriptedResponse{status: 403, headers: map[string]string{"Content-Type": "application/json"},
		body: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}`}
	notFound := scriptedResponse{status: 404, headers: map[string]string{"Content-Type": "application/json"},
		body: `{"error":{"code":"itemNotFound","message":"Not found."}}`}
	ok := scriptedResponse{status: 200, headers: map[string]string{"Content-Type": "application/json"}, body: createdMobile}
	other := scriptedResponse{status: 200, headers: map[string]string{"Content-Type": "application/json"},
		body: strings.Replace(createdMobile, "+1 5555550100", "+1 5555550999", 1)}
	respelled := scriptedResponse{status: 200, headers: map[string]string{"Content-Type": "application/json"},
		body: strings.Replace(createdMobile, "+1 5555550100", "+1 555-555-0100", 1)}

	cases := []struct {
		name      string
		phoneType PhoneType
		script    []scriptedResponse
		requests  string
		how       CreateOutcome // 0: no phone returned
		check     func(error) bool
	}{
		{"lost response, retry refused, same number: recovered", PhoneTypeMobile,
			[]scriptedResponse{{status: 504}, conflict, ok}, "POST,POST,GET", RecoveredLostResponse, isNil},
		{"refused, same number already there: adopted", PhoneTypeMobile,
			[]scriptedResponse{conflict, respelled}, "POST,GET", AdoptedExisting, isNil},
		{"refused with 400, same number: adopted", PhoneTypeMobile,
			[]scriptedResponse{badRequest, ok}, "POST,GET", AdoptedExisting, isNil},
		{"lost response, then someone else's number under the type", PhoneTypeMobile,
			[]scriptedResponse{{status: 504}, conflict, other}, "POST,POST,GET", 0, isDifferent(409, "+1 5555550999")},
		{"refused, another number: different phone", PhoneTypeMobile,
			[]scriptedResponse{conflict, other}, "POST,GET", 0, isDifferent(409, "+1 5555550999")},
		{"alternateMobile refused, no alternateMobile and no mobile: mobile required", PhoneTypeAlternateMobile,
			[]scriptedResponse{badRequest, notFound, notFound}, "POST,GET,GET", 0, isMobileRequired},
		{"alternateMobile refused, the mobile exists: the refusal stands", PhoneTypeAlternateMobile,
			[]scriptedResponse{badRequest, notFound, ok}, "POST,GET,GET", 0, hasStatus(400)},
		{"mobile refused, nothing there: the refusal stands", PhoneTypeMobile,
			[]scriptedResponse{badRequest, notFound}, "POST,GET", 0, hasStatus(400)},
		{"other refusals are final and read nothing", PhoneTypeMobile,
			[]scriptedResponse{forbidden, ok}, "POST", 0, hasStatus(403)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, ss := newScriptClient(t, tc.script...)
			pm, err := c.CreatePhoneMethod(context.Background(), "u1", tc.phoneType, "+1 5555550100")
			var got []string
			for _, r := range ss.requests() {
				got = append(got, r.method)
			}
			if strings.Join(got, ",") != tc.requests {
				t.Errorf("requests %v, want %s", got, tc.requests)
			}
			switch {
			case tc.how != 0 && (pm == nil || pm.How != tc.how || !strings.Contains(pm.PhoneNumber, "555")):
				t.Errorf("phone %+v, want outcome %d", pm, tc.how)
			case tc.how == 0 && pm != nil:
				t.Errorf("phone %+v returned, want none", pm)
			}
			if !tc.check(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func isNil(err error) bool { return err == nil }

func hasStatus(status int) func(error) bool {
	return func(err error) bool {
		var d *DifferentPhoneError
		var m *MobileRequiredError
		return StatusCode(err) == status && !errors.As(err, &d) && !errors.As(err, &m) && StopReasonOf(err) == StoppedByAnswer
	}
}

func isDifferent(status int, number string) func(error) bool {
	return func(err error) bool {
		var d *DifferentPhoneError
		return errors.As(err, &d) && d.Existing.PhoneNumber == number && StatusCode(err) == status
	}
}

func isMobileRequired(err error) bool {
	var m *MobileRequiredError
	return errors.As(err, &m) && StatusCode(err) == 400
}
