package graph

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

func TestLoggedBodyMasksPhoneNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"phoneNumber":"+1 4255550147","phoneType":"mobile"}`, `{"phoneNumber":"***","phoneType":"mobile"}`},
		{`{"PhoneNumber" : "4255550147"}`, `{"PhoneNumber" : "***"}`},
		{`{"phoneNumber":"\u002b1 425\"555"}`, `{"phoneNumber":"***"}`},
		{`{"value":[{"id":"a","phoneNumber":"+1 1"},{"id":"b","phoneNumber":"+44 20"}]}`, `{"value":[{"id":"a","phoneNumber":"***"},{"id":"b","phoneNumber":"***"}]}`},
		{`{"phoneType":"office"}`, `{"phoneType":"office"}`},
		// The pass Graph returns once, and email addresses.
		{`{"id":"x","temporaryAccessPass":"Ab&c\u0026d!x","lifetimeInMinutes":60}`, `{"id":"x","temporaryAccessPass":"***","lifetimeInMinutes":60}`},
		{`{"value":[{"temporaryAccessPass":null}]}`, `{"value":[{"temporaryAccessPass":null}]}`},
		{`{"emailAddress":"adele@contoso.com"}`, `{"emailAddress":"***"}`},
	} {
		if got := loggedBody([]byte(tc.in)); got != tc.want {
			t.Errorf("loggedBody(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	long := loggedBody(bytes.Repeat([]byte("a"), maxLoggedBody+10))
	if !strings.HasSuffix(long, "...(truncated)") || len(long) != maxLoggedBody+len("...(truncated)") {
		t.Errorf("a long body is not truncated: %d bytes", len(long))
	}
}

func TestMaskerMasksPhoneNumbersSecretsAndTokens(t *testing.T) {
	t.Parallel()
	m := newMasker("s3cret", "")
	for _, tc := range []struct{ in, want string }{
		{"+1 4255550147", "***"},
		{"number +1 (425) 555-0147x12 here", "number ***x12 here"},
		{"+4255550147", "***"},
		{"key s3cret and eyJhbGciOi.eyJzdWIiOi.sig", "key *** and ***"},
		// Dates, offsets, GUIDs and plain numbers are not phone numbers.
		{"2026-11-22T11:50:10+00:00", "2026-11-22T11:50:10+00:00"},
		{"3179e48a-750b-4051-897c-87b9720928f7", "3179e48a-750b-4051-897c-87b9720928f7"},
		{"retry in 12345678ms", "retry in 12345678ms"},
	} {
		if got := m.mask(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoggedURLDecodesSoNumbersAreFound(t *testing.T) {
	t.Parallel()
	u, err := url.Parse("https://graph.example.test/v1.0/users?$filter=mobilePhone%20eq%20'%2B1%204255550147'")
	if err != nil {
		t.Fatal(err)
	}
	got := newMasker().mask(loggedURL(u))
	if strings.Contains(got, "4255550147") || !strings.Contains(got, "mobilePhone eq '***'") {
		t.Errorf("logged URL %q", got)
	}
}

// TestMockTraceLogMasksPhoneNumbers runs writes, reads and a refused write
// against the mock at TRACE: every request and body is logged, and no form
// of the numbers (with or without the space, digits only) appears.
func TestMockTraceLogMasksPhoneNumbers(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(testContext(t), &buf)
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	user := m.User(t, "adele")
	if _, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeMobile, "+1 4255550147"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdatePhoneMethod(ctx, user.ID, PhoneTypeMobile, "+1 4255550147", "+44 2079460958"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPhoneMethods(ctx, user.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPhoneMethod(ctx, user.ID, PhoneTypeMobile); err != nil {
		t.Fatal(err)
	}
	// Graph refuses this one (not one number, so it is sent as written);
	// its error body quotes an example number.
	if _, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeOffice, "+1 42-5550199 ext"); err == nil {
		t.Fatal("the mock accepted a malformed number")
	}
	logs := buf.String()
	for _, want := range []string{"Graph request", "Graph response body", `\"phoneNumber\":\"***\"`, `"method":"PATCH"`, `"status":400`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q, so the capture proves nothing", want)
		}
	}
	for _, leak := range []string{"4255550147", "2079460958", "5550199", "5555551234"} {
		if strings.Contains(logs, leak) {
			t.Errorf("log contains the phone number digits %q", leak)
		}
	}
}

// pipelineFunc is a kiota pipeline whose next step is a function.
type pipelineFunc func(*http.Request) (*http.Response, error)

func (f pipelineFunc) Next(req *http.Request, _ int) (*http.Response, error) { return f(req) }

// cutOffBody fails mid-read, as a connection closed inside a body does.
type cutOffBody struct{}

func (cutOffBody) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
func (cutOffBody) Close() error             { return nil }

// TestRequestLoggerFollowsTheProviderLogLevel: at OFF (what the provider
// sets when Terraform would drop the lines) nothing is built or written, at
// DEBUG no bodies, unset everything; a body cut off mid-read is a transport
// error at every level, so the retry loop still sees it.
func TestRequestLoggerFollowsTheProviderLogLevel(t *testing.T) {
	for _, tc := range []struct {
		level      string
		want, none []string
	}{
		{level: "OFF", none: []string{"Graph request", "Graph response"}},
		{level: "INFO", none: []string{"Graph request", "Graph response"}},
		{level: "DEBUG", want: []string{`"Graph response"`}, none: []string{"Graph request", "Graph response body"}},
		{level: "", want: []string{"Graph request", `"Graph response"`, "Graph response body"}},
	} {
		t.Run("level "+tc.level, func(t *testing.T) {
			l := newRequestLogger(newMasker(), func(name string) string {
				if name == ProviderLogLevelEnv {
					return tc.level
				}
				return ""
			})
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(testContext(t), &buf)
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://graph.example/v1.0/users/u/authentication/phoneMethods", strings.NewReader(`{"phoneType":"mobile"}`))
			ok := pipelineFunc(func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 201, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"id":"3179e48a-750b-4051-897c-87b9720928f7"}`))}, nil
			})
			resp, err := l.Intercept(ok, 0, req)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := io.ReadAll(resp.Body); !strings.Contains(string(b), "3179e48a") {
				t.Fatalf("the response body did not reach the caller: %q", b)
			}
			for _, w := range tc.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("log lacks %s:\n%s", w, buf.String())
				}
			}
			for _, n := range tc.none {
				if strings.Contains(buf.String(), n) {
					t.Errorf("log has %s:\n%s", n, buf.String())
				}
			}
			cut := pipelineFunc(func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: cutOffBody{}}, nil
			})
			req, _ = http.NewRequestWithContext(ctx, http.MethodGet, "https://graph.example/v1.0/users/u", nil)
			if _, err := l.Intercept(cut, 0, req); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("a body cut off mid-read gave %v, not a transport error", err)
			}
		})
	}
}
