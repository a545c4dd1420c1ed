package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// checkSignInForPlan is the plan-time sign-in check. Every resource calls
// it first thing in its ModifyPlan:
//
//	resp.Diagnostics.Append(checkSignInForPlan(ctx, r.client, req)...)
//
// When the plan for this resource will need Graph at apply (a create, an
// update or a delete: the planned value differs from the prior state), it
// makes sure the provider can obtain a token now, so a credential that
// cannot sign in fails `terraform plan` instead of `terraform apply`. A
// no-op plan needs nothing and sends nothing. An import needs no check of
// its own: Terraform reads the imported object from Graph before planning
// it, which signs in (and fails with the same explanation).
//
// The token request is made at most once per provider process, and not
// at all when a Graph call (a refresh, a data source) already signed in or
// tried to: see graph.Client.CheckSignIn. Only the call that made the
// request reports its failure, so a plan of many resources shows the error
// once. The error says which credential was used and why, what went wrong
// and what to do (explainSignIn).
func checkSignInForPlan(ctx context.Context, client *graph.Client, req resource.ModifyPlanRequest) diag.Diagnostics {
	var diags diag.Diagnostics
	if client == nil || !planNeedsGraph(req) {
		return diags
	}
	err := client.CheckSignIn(ctx)
	if err == nil {
		return diags
	}
	var se *graph.SignInError
	if errors.As(err, &se) {
		diags.AddError(se.Summary, se.Detail)
		return diags
	}
	diags.AddError("Sign-in failed", err.Error())
	return diags
}

// planNeedsGraph says whether applying this resource's plan calls Graph:
// a create (no prior state), a delete (no planned state) or an update
// (the planned value differs from the prior state).
func planNeedsGraph(req resource.ModifyPlanRequest) bool {
	switch {
	case req.Plan.Raw.IsNull() && req.State.Raw.IsNull():
		return false
	case req.Plan.Raw.IsNull(), req.State.Raw.IsNull():
		return true
	}
	return !req.Plan.Raw.Equal(req.State.Raw)
}

// credentialChoice is how the provider chose its credential, kept for the
// messages of sign-in failures. It holds no secret.
type credentialChoice struct {
	kind graph.CredentialKind
	// why completes "The provider signs in with <kind> because ...".
	why string
	// tenantFrom names the tenant setting and its source, e.g.
	// "tenant_id (from ARM_TENANT_ID)".
	tenantFrom string
	tenant     string
	clientID   string
	// oidcSource is the setting that gives the OIDC token.
	oidcSource string
}

// choiceOf describes the credential chosen from s.
func choiceOf(s settings, c graph.Credentials) credentialChoice {
	ch := credentialChoice{kind: c.Kind, tenantFrom: s.from(attrTenantID), tenant: c.TenantID, clientID: c.ClientID}
	switch c.Kind {
	case graph.CredentialClientCertificate:
		ch.why = setWhere(s, firstSet(s, attrClientCertificatePath, attrClientCertificate))
	case graph.CredentialClientSecret:
		ch.why = setWhere(s, firstSet(s, attrClientSecretFilePath, attrClientSecret))
	case graph.CredentialOIDC:
		ch.why = setWhere(s, attrUseOIDC)
		ch.oidcSource = firstSet(s, attrOIDCToken, attrOIDCTokenFilePath, attrOIDCRequestURL)
	case graph.CredentialManagedIdentity:
		ch.why = setWhere(s, attrUseMSI)
	case graph.CredentialAzureCLI:
		ch.why = "no other credential is configured (none of client_secret, client_certificate, use_oidc or use_msi is set in the provider block or in its ARM_* variable), " +
			"so it falls back to the Azure CLI"
		if src := s.flagSet[attrUseCLI].source; src != "" {
			ch.why += " (" + setWhere(s, attrUseCLI) + ")"
		} else {
			ch.why += " (use_cli defaults to true)"
		}
	}
	return ch
}

// firstSet is the first of attrs that has a value ("" when none has).
func firstSet(s settings, attrs ...string) string {
	for _, a := range attrs {
		if s.has(a) {
			return a
		}
	}
	return ""
}

// setWhere says where a setting was given: "client_secret is set in the
// provider block", "ARM_CLIENT_SECRET is set", "use_msi = true is set in the
// provider block", "ARM_USE_MSI is true".
func setWhere(s settings, attr string) string {
	src := s.str[attr].source
	value := ""
	if src == "" {
		src = s.flagSet[attr].source
		value = fmt.Sprintf(" = %t", s.flags[attr])
	}
	if src == "attribute" {
		return attr + value + " is set in the provider block"
	}
	if value != "" {
		return fmt.Sprintf("%s is %t", src, s.flags[attr])
	}
	return src + " is set"
}

// kindName is the credential kind in a sentence.
func kindName(k graph.CredentialKind) string {
	switch k {
	case graph.CredentialClientSecret:
		return "a client secret"
	case graph.CredentialClientCertificate:
		return "a client certificate"
	case graph.CredentialOIDC:
		return "an OIDC token (workload identity federation)"
	case graph.CredentialManagedIdentity:
		return "a managed identity"
	case graph.CredentialAzureCLI:
		return "the Azure CLI"
	}
	return string(k)
}

// otherCredentials is the way forward when the chosen kind cannot work
// where Terraform runs: the other kinds.
func otherCredentials(except graph.CredentialKind) string {
	ways := []string{names(attrTenantID) + " and " + names(attrClientID) + " with " + names(attrClientSecret) + " or " + names(attrClientCertificatePath),
		names(attrUseOIDC) + " = true in CI"}
	if except != graph.CredentialManagedIdentity {
		ways = append(ways, names(attrUseMSI)+" = true on an Azure resource with a managed identity")
	}
	if except != graph.CredentialAzureCLI {
		ways = append(ways, "the Azure CLI on a workstation (the default when no other credential is set)")
	}
	return "configure another credential: " + strings.Join(ways[:len(ways)-1], ", ") + ", or " + ways[len(ways)-1]
}

// signInMessage is the detail of every sign-in error: the credential and
// why it was chosen, what went wrong, and what to do.
func signInMessage(ch credentialChoice, what, fix string) string {
	return fmt.Sprintf("The provider signs in with %s because %s.\n\n%s\n\n%s", kindName(ch.kind), ch.why, what, fix)
}

// answer quotes an authority's or the Azure CLI's answer with its code,
// without a final period (the sentence around it has its own).
func answer(f graph.SignInFailure) string {
	says := strings.TrimSuffix(f.Says, ".")
	switch {
	case f.Code != "" && says != "":
		return f.Code + ": " + says
	case f.Code != "":
		return f.Code
	}
	return says
}

// explainSignIn words a sign-in failure for the credential chosen (see
// graph.SignInExplainer); the plan-time check and every Graph call that
// cannot sign in show it.
func (ch credentialChoice) explainSignIn(f graph.SignInFailure) (summary, detail string) {
	switch ch.kind {
	case graph.CredentialAzureCLI:
		return ch.explainCLI(f)
	case graph.CredentialManagedIdentity:
		return ch.explainManagedIdentity(f)
	}
	return ch.explainServicePrincipal(f)
}

func (ch credentialChoice) azLogin() string {
	if ch.tenant != "" {
		return "az login --tenant " + ch.tenant
	}
	return "az login"
}

func (ch credentialChoice) explainCLI(f graph.SignInFailure) (string, string) {
	login := fmt.Sprintf("Run %q", ch.azLogin())
	switch f.Problem {
	case graph.SignInCLINotFound:
		return "Azure CLI not found", signInMessage(ch,
			"The Azure CLI (az) is not on the PATH, so it cannot provide a token.",
			"Install the Azure CLI and run \""+ch.azLogin()+"\", or "+otherCredentials(ch.kind)+".")
	case graph.SignInCLINotLoggedIn:
		return "Azure CLI not signed in", signInMessage(ch,
			fmt.Sprintf("The Azure CLI has no signed-in account (az said: %q).", answer(f)),
			login+" and plan again, or "+otherCredentials(ch.kind)+".")
	case graph.SignInCLILoginExpired:
		return "Azure CLI sign-in expired", signInMessage(ch,
			fmt.Sprintf("The Azure CLI's sign-in has expired or must be renewed, so it cannot get a token (az said: %q).", answer(f)),
			login+" again and plan again.")
	case graph.SignInCLIOtherTenant:
		what := fmt.Sprintf("%s is %q, but the account signed in to the Azure CLI cannot get a token for that tenant", ch.tenantFrom, ch.tenant)
		if f.CLITenant != "" {
			what = fmt.Sprintf("%s is %q, but the Azure CLI is signed in to tenant %q and cannot get a token for %q", ch.tenantFrom, ch.tenant, f.CLITenant, ch.tenant)
		}
		if a := answer(f); a != "" {
			what += fmt.Sprintf(" (az said: %q)", a)
		}
		return "Azure CLI signed in to another tenant", signInMessage(ch, what+".",
			login+" with an account of that tenant and plan again, or correct "+names(attrTenantID)+" if the CLI's tenant is the one you meant.")
	}
	return "Azure CLI sign-in failed", signInMessage(ch,
		fmt.Sprintf("The Azure CLI could not provide a token (az said: %q).", answer(f)),
		"Run \"az account get-access-token\" to see the problem, then run \""+ch.azLogin()+"\" and plan again.")
}

func (ch credentialChoice) explainManagedIdentity(f graph.SignInFailure) (string, string) {
	endpoint := f.Endpoint
	if f.EndpointSource != "" {
		endpoint += " (" + f.EndpointSource + ")"
	}
	fix := "Run Terraform on an Azure resource that has a managed identity assigned (a VM, App Service, Functions, Container Apps, or an AKS pod with workload identity), " +
		"with " + names(attrClientID) + " set to the identity's client ID when it is user-assigned; or unset " + names(attrUseMSI) + " and " + otherCredentials(ch.kind) + "."
	switch f.Problem {
	case graph.SignInUnreachable:
		return "Managed identity endpoint unreachable", signInMessage(ch,
			fmt.Sprintf("The managed identity endpoint %s could not be reached: %s. Terraform is not running on an Azure resource with a managed identity, or the endpoint is down.", endpoint, f.Cause),
			fix)
	case graph.SignInRefused:
		return "Managed identity sign-in refused", signInMessage(ch,
			fmt.Sprintf("The managed identity endpoint %s refused to provide a token: %s.", endpoint, answer(f)), fix)
	}
	what := "The managed identity endpoint could not provide a token"
	if f.Endpoint != "" {
		what += " at " + endpoint
	}
	return "Managed identity sign-in failed", signInMessage(ch, fmt.Sprintf("%s: %s.", what, answer(f)), fix)
}

func (ch credentialChoice) explainServicePrincipal(f graph.SignInFailure) (string, string) {
	what, summary := "", ""
	authority := "The authority"
	if f.Endpoint != "" {
		authority += " (" + f.Endpoint + ")"
	}
	switch f.Problem {
	case graph.SignInOIDCTokenUnavailable:
		return "OIDC token unavailable", signInMessage(ch,
			fmt.Sprintf("The OIDC token could not be obtained, so the provider had nothing to exchange for an access token: %s.", strings.TrimSuffix(f.Cause, ".")),
			ch.oidcSourceFix())
	case graph.SignInUnreachable:
		return "Authority unreachable", signInMessage(ch,
			fmt.Sprintf("%s could not be reached: %s.", authority, f.Cause),
			"Check the network, HTTPS_PROXY and NO_PROXY, and "+names(attrEnvironment)+" or "+names(attrAuthorityHost)+".")
	case graph.SignInRefused:
		what = fmt.Sprintf("%s refused the sign-in of client_id %q in tenant %q: %s.", authority, ch.clientID, ch.tenant, answer(f))
	default:
		return "Sign-in failed", signInMessage(ch, fmt.Sprintf("No token could be obtained: %s.", strings.TrimSuffix(answer(f), ".")), ch.credentialFix())
	}
	switch f.Code {
	case "AADSTS700016":
		return "App registration not found in the tenant", signInMessage(ch, what,
			"Check "+names(attrClientID)+" and "+names(attrTenantID)+": the app must be registered in that tenant, or consented to by it.")
	case "AADSTS90002":
		return "Tenant not found", signInMessage(ch, what,
			"Check "+names(attrTenantID)+", and "+names(attrEnvironment)+" when the tenant is in a national cloud.")
	case "AADSTS7000222":
		summary = "Client secret expired"
	case "AADSTS7000215":
		summary = "Client secret refused"
	case "AADSTS700027":
		summary = "Client certificate refused"
	case "AADSTS70021", "AADSTS700211", "AADSTS700212", "AADSTS700213", "AADSTS700024", "AADSTS50166", "AADSTS50027":
		if ch.kind == graph.CredentialOIDC {
			summary = "OIDC token refused"
		}
	}
	if summary == "" {
		summary = "Sign-in refused"
	}
	return summary, signInMessage(ch, what, ch.credentialFix())
}

// credentialFix is what to do when the authority refuses the credential.
func (ch credentialChoice) credentialFix() string {
	switch ch.kind {
	case graph.CredentialClientSecret:
		return "Check that the secret is the secret's value (not its ID) and belongs to this app registration. If it was deleted or has expired, " +
			"create a new one under the app registration's Certificates & secrets and set it in " + names(attrClientSecret) + " or " + names(attrClientSecretFilePath) + "."
	case graph.CredentialClientCertificate:
		return "Upload the certificate (its public part, .cer or .pem) to the app registration's Certificates & secrets, or set " +
			names(attrClientCertificatePath) + " or " + names(attrClientCertificate) + " to the certificate registered there."
	case graph.CredentialOIDC:
		return "Add a federated credential to the app registration whose issuer and subject match the token's and whose audience is " + graph.OIDCAudience +
			" (in GitHub Actions the subject is e.g. repo:ORG/REPO:ref:refs/heads/main or repo:ORG/REPO:environment:NAME), and check " +
			names(attrClientID) + " and " + names(attrTenantID) + "."
	}
	return "Check the credential settings."
}

// oidcSourceFix is what to do when the OIDC token cannot be obtained.
func (ch credentialChoice) oidcSourceFix() string {
	switch ch.oidcSource {
	case attrOIDCTokenFilePath:
		return "Check that " + names(attrOIDCTokenFilePath) + " names the file your CI system writes the token to (e.g. AZURE_FEDERATED_TOKEN_FILE), and that it exists when Terraform runs."
	case attrOIDCRequestURL:
		return "In GitHub Actions, give the job the permission \"id-token: write\"; elsewhere check " + names(attrOIDCRequestURL) + " and " + names(attrOIDCRequestToken) + "."
	}
	return "Set " + names(attrOIDCToken) + " or " + names(attrOIDCTokenFilePath) + " to a current token."
}
