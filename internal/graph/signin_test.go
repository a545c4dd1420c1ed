package graph

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// countingCredential answers every GetToken with err (nil: a token) after
// delay, counting the calls.
type countingCredential struct {
	calls atomic.Int32
	delay time.Duration
	err   error
}

func (c *countingCredential) GetToken(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.calls.Add(1)
	select {
	case <-time.After(c.delay):
	case <-ctx.Done():
		return azcore.AccessToken{}, ctx.Err()
	}
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

var testScope = []string{"https://graph.example.test/.default"}

// TestCheckSignInOncePerClient: many concurrent checks make one token
// request, and only the call that made it reports the failure.
func TestCheckSignInOncePerClient(t *testing.T) {
	t.Parallel()
	for name, credErr := range map[string]error{"failing": errors.New("refused"), "working": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cred := &countingCredential{delay: 20 * time.Millisecond, err: credErr}
			s := newSignInCredential(cred, Credentials{Kind: CredentialClientSecret}, nil, newMasker())
			var wg sync.WaitGroup
			var failures atomic.Int32
			for range 20 {
				wg.Go(func() {
					if err := s.check(context.Background(), testScope[0]); err != nil {
						failures.Add(1)
						var se *SignInError
						if !errors.As(err, &se) {
							t.Errorf("check returned %T, want *SignInError", err)
						}
					}
				})
			}
			wg.Wait()
			if n := cred.calls.Load(); n != 1 {
				t.Errorf("20 checks made %d token requests, want 1", n)
			}
			want := int32(0)
			if credErr != nil {
				want = 1
			}
			if n := failures.Load(); n != want {
				t.Errorf("%d checks reported the failure, want %d", n, want)
			}
		})
	}
}

// TestCheckSignInAfterGraphCall: a token requested for a Graph call, won
// or not, leaves the check nothing to do; a concurrent first request is
// waited for rather than repeated.
func TestCheckSignInAfterGraphCall(t *testing.T) {
	t.Parallel()
	for name, credErr := range map[string]error{"failing": errors.New("refused"), "working": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cred := &countingCredential{delay: 50 * time.Millisecond, err: credErr}
			s := newSignInCredential(cred, Credentials{Kind: CredentialClientSecret}, nil, newMasker())
			done := make(chan error, 1)
			go func() {
				_, err := s.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: testScope})
				done <- err
			}()
			time.Sleep(10 * time.Millisecond) // the Graph call's request is under way
			if err := s.check(context.Background(), testScope[0]); err != nil {
				t.Errorf("check after a Graph call's sign-in returned %v; that call reports it", err)
			}
			if err := <-done; (err != nil) != (credErr != nil) {
				t.Errorf("the Graph call's GetToken returned %v", err)
			}
			if n := cred.calls.Load(); n != 1 {
				t.Errorf("a Graph call and a check made %d token requests, want 1", n)
			}
			if credErr == nil {
				// After a success, a valid token of the same shape is reused
				// (TestSignInReusesValidTokens), without waiting for the lock.
				if _, err := s.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: testScope}); err != nil {
					t.Fatal(err)
				}
				if n := cred.calls.Load(); n != 1 {
					t.Errorf("calls after a success = %d, want 1", n)
				}
			}
		})
	}
}

// TestCheckSignInInterruptedIsNotAnOutcome: a check whose context ends
// (Ctrl-C) says nothing about the credential: the next check tries again.
func TestCheckSignInInterruptedIsNotAnOutcome(t *testing.T) {
	t.Parallel()
	cred := &countingCredential{delay: time.Second}
	s := newSignInCredential(cred, Credentials{Kind: CredentialClientSecret}, nil, newMasker())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.check(ctx, testScope[0]); err == nil {
		t.Fatal("a cancelled check succeeded")
	}
	cred.delay = 0
	if err := s.check(context.Background(), testScope[0]); err != nil {
		t.Fatal(err)
	}
	if n := cred.calls.Load(); n != 2 {
		t.Errorf("token requests = %d, want 2 (the interrupted one did not count)", n)
	}
}

// TestSignInErrorIsExplained: the explainer words the error; Error() is
// its detail, so Graph operations carry it.
func TestSignInErrorIsExplained(t *testing.T) {
	t.Parallel()
	cred := &countingCredential{err: errors.New("boom")}
	explain := func(f SignInFailure) (string, string) {
		return "Summary", "kind " + string(f.Kind) + ", problem " + map[bool]string{true: "failed", false: "other"}[f.Problem == SignInFailed] + ", says " + f.Says
	}
	s := newSignInCredential(cred, Credentials{Kind: CredentialClientSecret}, explain, newMasker())
	_, err := s.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: testScope})
	var se *SignInError
	if !errors.As(err, &se) {
		t.Fatalf("GetToken returned %T", err)
	}
	if se.Summary != "Summary" || err.Error() != "kind client_secret, problem failed, says boom" {
		t.Errorf("got %q / %q", se.Summary, err.Error())
	}
}

// TestSignInRecordingRoundTripper: a request that gets no answer is noted
// with its URL (no query) and a short reason; an HTTP error as refused.
func TestSignInRecordingRoundTripper(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	rec := &signInRecord{}
	client := &http.Client{Transport: signInRecordingRoundTripper{next: newBaseTransport()}}
	req, _ := http.NewRequestWithContext(withSignInRecord(context.Background(), rec), http.MethodGet, "http://"+addr+"/msi/token?resource=x&secret=y", nil)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("a request to a closed port succeeded")
	}
	if rec.transportURL != "http://"+addr+"/msi/token" {
		t.Errorf("recorded URL %q", rec.transportURL)
	}
	if got := shortNetError(rec.transportErr); got != "connect: connection refused" {
		t.Errorf("short reason %q", got)
	}
}

func TestCLIMessage(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"AzureCLICredential: ERROR: Please run 'az login' to setup account. To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#azure-cli":                     "Please run 'az login' to setup account",
		"AzureCLICredential: ERROR: AADSTS700082: expired.\nTrace ID: x\nPlease run:\naz login. To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#azure-cli": "AADSTS700082: expired.\nTrace ID: x\nPlease run:\naz login",
	} {
		if got := cliMessage(in); got != want {
			t.Errorf("cliMessage(%q) = %q, want %q", in, got, want)
		}
	}
	if got := stripCode(firstLine("AADSTS700082: expired.\nTrace ID")); got != "expired." {
		t.Errorf("stripCode: %q", got)
	}
	if !strings.HasPrefix(aadstsCode("x AADSTS50020: y"), "AADSTS50020") {
		t.Error("aadstsCode")
	}
}

// recordingCredential keeps every token request's options.
type recordingCredential struct {
	mu   sync.Mutex
	seen []policy.TokenRequestOptions
}

func (r *recordingCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, o)
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// TestCheckSignInAsksLikeGraphCalls: the check's token request has the
// scope and CAE setting of a Graph call's, so the credential's cache
// (which keeps CAE and non-CAE tokens apart) serves the Graph call after
// a check, and the apply of a planned change costs one token, not two.
func TestCheckSignInAsksLikeGraphCalls(t *testing.T) {
	t.Parallel()
	ss := &scriptServer{script: []scriptedResponse{{status: 200, headers: map[string]string{"Content-Type": "application/json"}, body: createdMobile}}}
	srv := httptest.NewServer(ss)
	t.Cleanup(srv.Close)
	e, err := ResolveEndpoints("", srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingCredential{}
	c, err := newClientWithCredential(Config{Endpoints: e, Version: "test"}, rec, newBaseTransport(), newMasker())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPhoneMethod(context.Background(), "adele@contoso.com", PhoneTypeMobile); err != nil {
		t.Fatal(err)
	}
	check := graphTokenRequest(e.Scope)
	if len(rec.seen) != 1 {
		t.Fatalf("a Graph call made %d token requests", len(rec.seen))
	}
	g := rec.seen[0]
	if !slices.Equal(g.Scopes, check.Scopes) || g.EnableCAE != check.EnableCAE || g.TenantID != check.TenantID || g.Claims != check.Claims {
		t.Errorf("a Graph call asks for %+v, the check for %+v", g, check)
	}
}

// expiringCredential answers with a token that expires after ttl.
type expiringCredential struct {
	calls atomic.Int32
	ttl   time.Duration
}

func (c *expiringCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.calls.Add(1)
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(c.ttl)}, nil
}

// TestSignInReusesValidTokens: after a sign-in, a request of the same shape
// reuses the token while it is valid for longer than tokenReuseMargin; a
// claims challenge, another scope or an expiring token asks the credential.
func TestSignInReusesValidTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	graphReq := graphTokenRequest(testScope[0])
	ask := func(s *signInCredential, o policy.TokenRequestOptions) {
		t.Helper()
		if _, err := s.GetToken(ctx, o); err != nil {
			t.Fatal(err)
		}
	}

	cred := &expiringCredential{ttl: time.Hour}
	s := newSignInCredential(cred, Credentials{Kind: CredentialClientSecret}, nil, newMasker())
	for range 5 {
		ask(s, graphReq)
	}
	if n := cred.calls.Load(); n != 1 {
		t.Errorf("5 Graph calls asked the credential %d times, want 1", n)
	}
	challenge := graphReq
	challenge.Claims = `{"access_token":{"nbf":{"essential":true}}}`
	ask(s, challenge)
	other := graphReq
	other.Scopes = []string{"https://other.example.test/.default"}
	ask(s, other)
	ask(s, other)
	if n := cred.calls.Load(); n != 3 {
		t.Errorf("credential asked %d times, want 3 (the first token, the claims challenge, the other scope once)", n)
	}

	short := &expiringCredential{ttl: tokenReuseMargin - time.Second}
	s = newSignInCredential(short, Credentials{Kind: CredentialClientSecret}, nil, newMasker())
	ask(s, graphReq)
	ask(s, graphReq)
	if n := short.calls.Load(); n != 2 {
		t.Errorf("a token expiring within the margin was reused: credential asked %d times, want 2", n)
	}
}
