package identity

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestIssuedTokensRecordsEveryKind: what the token endpoint, the GitHub-style
// endpoint and the request-token call hand out is recorded, and a refused
// request records nothing.
func TestIssuedTokensRecordsEveryKind(t *testing.T) {
	f := newFixture(t)
	if got := f.a.IssuedTokens(); len(got) != 0 {
		t.Fatalf("fresh authority has issued %d tokens", len(got))
	}

	form := url.Values{"grant_type": {grantClientCredentials}, "client_id": {secretApp}, "scope": {f.scope()}}
	form.Set("client_secret", "wrong")
	if status, _, _ := f.post(t, tenantID, form, nil); status != http.StatusUnauthorized {
		t.Fatalf("wrong secret: status %d", status)
	}
	if got := f.a.IssuedTokens(); len(got) != 0 {
		t.Fatalf("a refused request issued %v", got)
	}

	form.Set("client_secret", appSecret)
	status, body, _ := f.post(t, tenantID, form, nil)
	access, _ := body["access_token"].(string)
	if status != http.StatusOK || access == "" {
		t.Fatalf("token request: status %d, body %v", status, body)
	}
	reqTok := f.a.IssueOIDCRequestToken(fedSubject)
	req, err := http.NewRequest(http.MethodGet, f.a.GitHubTokenRequestURL()+"&audience="+url.QueryEscape(DefaultFederatedAudience), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+reqTok)
	status, body, _ = f.do(t, req)
	idTok, _ := body["value"].(string)
	if status != http.StatusOK || idTok == "" {
		t.Fatalf("github-token: status %d, body %v", status, body)
	}

	want := []IssuedToken{
		{Kind: IssuedAccessToken, Value: access},
		{Kind: IssuedOIDCRequestToken, Value: reqTok},
		{Kind: IssuedFederatedToken, Value: idTok},
	}
	got := f.a.IssuedTokens()
	if len(got) != len(want) {
		t.Fatalf("issued %d tokens, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d: got kind %q, want %q (values equal: %v)", i, got[i].Kind, want[i].Kind, got[i].Value == want[i].Value)
		}
	}
	// The result is a copy: changing it does not change the record.
	got[0].Value = "changed"
	if f.a.IssuedTokens()[0].Value != access {
		t.Error("IssuedTokens returns the record itself")
	}
}

// TestIssuedTokensBounded: the record keeps the newest tokens and stays
// within maxIssuedTokens.
func TestIssuedTokensBounded(t *testing.T) {
	var r issuedTokens
	for i := range maxIssuedTokens + 10 {
		r.add(IssuedOIDCRequestToken, strconv.Itoa(i))
	}
	last := IssuedToken{Kind: IssuedAccessToken, Value: "newest"}
	r.add(last.Kind, last.Value)
	if n := len(r.tokens); n > maxIssuedTokens || n < maxIssuedTokens/2 {
		t.Fatalf("record holds %d tokens", n)
	}
	if r.tokens[len(r.tokens)-1] != last {
		t.Errorf("the newest token is not last: %v", r.tokens[len(r.tokens)-1])
	}
}
