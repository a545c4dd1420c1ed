package identity

import (
	"slices"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultFederatedAudience is the audience a federated credential trusts
// when it lists none, as in Entra.
const DefaultFederatedAudience = "api://AzureADTokenExchange"

// verifyFederatedAssertion checks a workload identity federation token: a
// federated credential of the app must match its iss, sub and aud exactly
// (Entra matches case-sensitively), and its signature must verify against
// the mock's external issuer key, the only issuer whose keys it can reach.
func (a *Authority) verifyFederatedAssertion(assertion string, claims jwt.MapClaims, base string, app *appState) (aadError, bool) {
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	auds, _ := claims.GetAudience()
	if !federatedMatch(app.app.FederatedCredentials, iss, sub, auds) {
		return errNoFederatedMatch(iss, sub, auds), true
	}
	if iss != base+federatedIssuerPath {
		return errExternalIssuer(iss), true
	}
	_, err := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation()).
		Parse(assertion, a.fedSigner.keyFunc)
	if err != nil {
		return errAssertionSignature("The federated token's signature does not verify with the issuer's keys."), true
	}
	return checkAssertionTime(claims, a.now())
}

func federatedMatch(fcs []FederatedCredential, iss, sub string, auds []string) bool {
	for _, fc := range fcs {
		if fc.Issuer != iss || fc.Subject != sub {
			continue
		}
		want := fc.Audiences
		if len(want) == 0 {
			want = []string{DefaultFederatedAudience}
		}
		for _, aud := range auds {
			if slices.Contains(want, aud) {
				return true
			}
		}
	}
	return false
}
