package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// classifySignIn tells what kind of failure err is, from what the
// credential's requests ran into (rec) and the authority's or the Azure
// CLI's answer. Everything it keeps is masked like the log.
func classifySignIn(ctx context.Context, c Credentials, err error, rec *signInRecord, m *masker, cliTenant func(context.Context, string) string) SignInFailure {
	f := SignInFailure{Kind: c.Kind, TenantID: c.TenantID, Err: err}
	if c.Kind == CredentialAzureCLI {
		classifyCLI(ctx, &f, err, m, cliTenant)
		return f
	}
	rec.mu.Lock()
	transportErr, transportURL := rec.transportErr, rec.transportURL
	refusedURL, oidcErr := rec.refusedURL, rec.oidcErr
	rec.mu.Unlock()

	if c.Kind == CredentialManagedIdentity {
		f.EndpointSource = managedIdentitySource()
	}
	switch {
	case oidcErr != nil:
		// Nothing was sent to the authority: the token source failed.
		f.Problem = SignInOIDCTokenUnavailable
		f.Cause = m.mask(oidcErr.Error())
		f.Endpoint = transportURL
		return f
	case transportErr != nil && refusedURL == "":
		f.Problem = SignInUnreachable
		f.Endpoint = transportURL
		f.Cause = m.mask(shortNetError(transportErr))
		return f
	}
	if code, says, ok := authorityAnswer(err); ok {
		f.Problem = SignInRefused
		f.Code, f.Says, f.Endpoint = code, m.mask(says), refusedURL
		return f
	}
	f.Problem = SignInFailed
	f.Endpoint = refusedURL
	f.Says = m.mask(firstLine(strings.TrimPrefix(err.Error(), "ManagedIdentityCredential: ")))
	return f
}

// authorityAnswer reads the authority's OAuth error body carried by
// azidentity's error: its AADSTS code and the first line of its
// description without the code.
func authorityAnswer(err error) (code, says string, ok bool) {
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe.RawResponse == nil {
		return "", "", false
	}
	body, rerr := runtime.Payload(afe.RawResponse)
	if rerr != nil {
		return "", "", false
	}
	var b struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		ErrorCodes       []int  `json:"error_codes"`
	}
	if json.Unmarshal(body, &b) != nil || (b.Error == "" && b.ErrorDescription == "") {
		return "", "HTTP " + strconv.Itoa(afe.RawResponse.StatusCode) + " without an OAuth error", true
	}
	if len(b.ErrorCodes) > 0 {
		code = "AADSTS" + strconv.Itoa(b.ErrorCodes[0])
	} else {
		code = aadstsCode(b.ErrorDescription)
	}
	says = stripCode(firstLine(b.ErrorDescription))
	if says == "" {
		says = b.Error
	}
	return code, says, true
}

var aadstsPattern = regexp.MustCompile(`AADSTS\d+`)

// aadstsCode is the first AADSTS code in s, or "".
func aadstsCode(s string) string { return aadstsPattern.FindString(s) }

// stripCode removes a leading "AADSTSnnn: ".
func stripCode(s string) string {
	if loc := aadstsPattern.FindStringIndex(s); loc != nil && loc[0] == 0 {
		return strings.TrimSpace(strings.TrimPrefix(s[loc[1]:], ":"))
	}
	return s
}

// firstLine is s up to its first line break, trimmed.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// shortNetError is the innermost plain reason of a transport error, e.g.
// "connect: connection refused", without the URL (which the message
// names separately).
func shortNetError(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer before the time limit"
	}
	return err.Error()
}

// managedIdentitySource names the managed identity endpoint azidentity
// uses, from the same variables it reads (MSAL's GetSource).
func managedIdentitySource() string {
	switch {
	case os.Getenv("IDENTITY_ENDPOINT") != "" && os.Getenv("IDENTITY_HEADER") != "":
		if os.Getenv("IDENTITY_SERVER_THUMBPRINT") != "" {
			return "Service Fabric, from IDENTITY_ENDPOINT"
		}
		return "App Service, from IDENTITY_ENDPOINT"
	case os.Getenv("MSI_ENDPOINT") != "":
		if os.Getenv("MSI_SECRET") != "" {
			return "Azure Machine Learning, from MSI_ENDPOINT"
		}
		return "Cloud Shell, from MSI_ENDPOINT"
	case os.Getenv("IDENTITY_ENDPOINT") != "" && os.Getenv("IMDS_ENDPOINT") != "":
		return "Azure Arc, from IDENTITY_ENDPOINT"
	}
	return "the Azure Instance Metadata Service"
}

// Authority codes the Azure CLI passes on, by what they mean for its
// signed-in account.
var (
	// The account is not in the requested tenant, or the tenant is unknown.
	cliOtherTenantCodes = map[string]bool{"AADSTS50020": true, "AADSTS90072": true, "AADSTS90002": true, "AADSTS50034": true}
	// The sign-in expired, was revoked, or needs to be repeated (MFA,
	// conditional access sign-in frequency).
	cliExpiredCodes = map[string]bool{
		"AADSTS700082": true, "AADSTS70043": true, "AADSTS70044": true, "AADSTS50173": true, "AADSTS50133": true,
		"AADSTS50132": true, "AADSTS70008": true, "AADSTS50076": true, "AADSTS50079": true, "AADSTS50078": true, "AADSTS50089": true,
	}
)

// cliTimeout bounds the "az account show" that names the CLI's tenant.
const cliTimeout = 10 * time.Second

// classifyCLI reads AzureCLICredential's error: az missing (exit 127),
// not signed in, signed in to another tenant than the configured one, or
// a sign-in that must be renewed. cliTenant asks az for its tenant.
func classifyCLI(ctx context.Context, f *SignInFailure, err error, m *masker, cliTenant func(context.Context, string) string) {
	msg := cliMessage(err.Error())
	azPath, lookErr := exec.LookPath("az")
	if lookErr != nil || strings.Contains(msg, "executable not found on path") {
		f.Problem = SignInCLINotFound
		return
	}
	f.Code = aadstsCode(msg)
	f.Says = m.mask(stripCode(firstLine(msg)))
	if strings.Contains(msg, "az login") && strings.Contains(msg, "setup account") {
		f.Problem = SignInCLINotLoggedIn
		return
	}
	if isGUID(f.TenantID) {
		if t := cliTenant(ctx, azPath); isGUID(t) && !strings.EqualFold(t, f.TenantID) {
			f.Problem, f.CLITenant = SignInCLIOtherTenant, t
			return
		}
	}
	switch {
	case cliOtherTenantCodes[f.Code]:
		f.Problem = SignInCLIOtherTenant
	case cliExpiredCodes[f.Code], strings.Contains(strings.ToLower(msg), "expired"):
		f.Problem = SignInCLILoginExpired
	default:
		f.Problem = SignInFailed
	}
}

// cliMessage is az's own message inside AzureCLICredential's error:
// without the credential's name, the troubleshooting link and az's
// "ERROR: " prefix.
func cliMessage(s string) string {
	s = strings.TrimPrefix(s, "AzureCLICredential: ")
	if i := strings.Index(s, "To troubleshoot, visit https://aka.ms/"); i >= 0 {
		s = strings.TrimSpace(s[:i])
		s = strings.TrimSuffix(s, ".")
	}
	return strings.TrimPrefix(strings.TrimSpace(s), "ERROR: ")
}

// cliTenant asks the Azure CLI which tenant its current account is in;
// "" when it cannot tell.
func cliTenant(ctx context.Context, azPath string) string {
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, azPath, "account", "show", "--query", "tenantId", "-o", "tsv").Output() // #nosec G204 -- fixed arguments, az from PATH like azidentity's
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isGUID(s string) bool { return guidPattern.MatchString(s) }
