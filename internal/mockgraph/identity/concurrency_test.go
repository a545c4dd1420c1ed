package identity

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentTokensAndValidation runs hundreds of token requests and
// validations while tenants, apps and request tokens are being added; run
// with -race.
func TestConcurrentTokensAndValidation(t *testing.T) {
	f := newFixture(t)
	h := f.a.Handler()
	const workers = 300
	var wg sync.WaitGroup
	errs := make(chan error, workers*2)

	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body string
			switch i % 3 {
			case 0: // through the handler in-process: many requests, cheap
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, f.tokenURL(tenantID), strings.NewReader(secretForm(f, secretApp, appSecret).Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					errs <- fmt.Errorf("worker %d: status %d: %s", i, rec.Code, rec.Body)
					return
				}
				body = rec.Body.String()
			case 1: // over TLS, as real clients do
				resp, err := f.client.PostForm(f.tokenURL(tenantDomain), secretForm(f, secretApp, appSecret))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("worker %d: status %d", i, resp.StatusCode)
				}
				return
			case 2: // writers interleaved with readers
				tn := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
				if err := f.a.AddTenant(Tenant{ID: tn, Domain: fmt.Sprintf("t%d.onmicrosoft.com", i)}); err != nil {
					errs <- err
					return
				}
				if err := f.a.AddApp(App{TenantID: tn, ClientID: secretApp, Secrets: []string{appSecret}}); err != nil {
					errs <- err
					return
				}
				// Re-adding the shared app must not disturb concurrent users.
				if err := f.a.AddApp(App{TenantID: tenantID, ClientID: secretApp, Secrets: []string{"old-secret", appSecret}, Roles: []string{roleWrite}}); err != nil {
					errs <- err
					return
				}
				f.a.IssueOIDCRequestToken(fmt.Sprintf("subject-%d", i))
				tok, err := f.a.MintAppToken(tn, secretApp, 0)
				if err != nil {
					errs <- err
					return
				}
				if _, err := f.a.Authenticate(f.graphRequest(tok)); err != nil {
					errs <- fmt.Errorf("worker %d: %v", i, err)
				}
				return
			}
			tok := body[strings.Index(body, `"access_token":"`)+len(`"access_token":"`):]
			tok = tok[:strings.IndexByte(tok, '"')]
			for range 3 {
				if _, err := f.a.Authenticate(f.graphRequest(tok)); err != nil {
					errs <- fmt.Errorf("worker %d: %v", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
