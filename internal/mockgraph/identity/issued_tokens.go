package identity

import "sync"

// Kinds of IssuedToken.
const (
	// IssuedAccessToken is a Graph access token (token endpoint or Mint*Token).
	IssuedAccessToken = "access_token"
	// IssuedFederatedToken is an id token of the mock's external OIDC issuer.
	IssuedFederatedToken = "federated_token"
	// IssuedOIDCRequestToken is a request token for the GitHub-style endpoint.
	IssuedOIDCRequestToken = "oidc_request_token"
)

// maxIssuedTokens bounds the record, so a long-running mock (the command)
// does not grow without limit; a test issues far fewer.
const maxIssuedTokens = 4096

// IssuedToken is one credential the authority handed out.
type IssuedToken struct {
	Kind  string
	Value string
}

// issuedTokens remembers what was issued, so that a test can search logs
// for every token that existed during a run, not only those it minted.
type issuedTokens struct {
	mu     sync.Mutex
	tokens []IssuedToken
}

func (r *issuedTokens) add(kind, value string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.tokens) == maxIssuedTokens {
		// Drop the oldest half at once rather than shifting on every add.
		r.tokens = append(r.tokens[:0], r.tokens[maxIssuedTokens/2:]...)
	}
	r.tokens = append(r.tokens, IssuedToken{Kind: kind, Value: value})
}

// IssuedTokens returns the tokens issued so far, oldest first: access
// tokens, federated id tokens and OIDC request tokens (at most the last
// 4096).
func (a *Authority) IssuedTokens() []IssuedToken {
	a.issued.mu.Lock()
	defer a.issued.mu.Unlock()
	return append([]IssuedToken(nil), a.issued.tokens...)
}
