package graph

import (
	"bytes"
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
	if _, err := c.UpdatePhoneMethod(ctx, user.ID, PhoneTypeMobile, "+44 2079460958"); err != nil {
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
