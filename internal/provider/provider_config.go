package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// setting is one resolved value and where it came from.
type setting struct {
	value  string
	source string // "attribute" or the environment variable's name
}

// settings are the provider block merged with the environment.
type settings struct {
	str   map[string]setting
	flags map[string]bool
	// flagSet records which booleans were given (attribute or variable).
	flagSet map[string]setting
}

func (s settings) get(attr string) string { return s.str[attr].value }
func (s settings) has(attr string) bool   { return s.str[attr].value != "" }

// names renders an attribute with its variables for messages, e.g.
// "client_secret (ARM_CLIENT_SECRET)".
func names(attr string) string {
	if vars := envVars(attr); len(vars) > 0 {
		return attr + " (" + strings.Join(vars, ", ") + ")"
	}
	return attr
}

// from renders where a resolved value came from, e.g.
// "client_secret (from ARM_CLIENT_SECRET)".
func (s settings) from(attr string) string {
	src := s.str[attr].source
	if src == "" {
		src = s.flagSet[attr].source
	}
	if src == "" || src == "attribute" {
		return attr
	}
	return attr + " (from " + src + ")"
}

// resolveSettings merges the block with the environment: a set attribute
// wins; otherwise the first non-empty variable is used. Unknown values
// count as unset.
func (p *entraAuthProvider) resolveSettings(vals configValues) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := settings{str: map[string]setting{}, flags: map[string]bool{}, flagSet: map[string]setting{}}
	for _, st := range providerSettings {
		switch v := vals[st.name].(type) {
		case types.Bool:
			diags.Append(p.resolveBool(&s, st, v)...)
		case types.String:
			p.resolveString(&s, st, v)
		}
	}
	if _, ok := s.flagSet[attrUseCLI]; !ok {
		s.flags[attrUseCLI] = true // documented default
	}
	return s, diags
}

func (p *entraAuthProvider) resolveString(s *settings, st providerSetting, v types.String) {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		s.str[st.name] = setting{value: v.ValueString(), source: "attribute"}
		return
	}
	for _, env := range st.env {
		if ev := strings.TrimSpace(p.getenv(env)); ev != "" {
			s.str[st.name] = setting{value: ev, source: env}
			return
		}
	}
}

func (p *entraAuthProvider) resolveBool(s *settings, st providerSetting, v types.Bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if !v.IsNull() && !v.IsUnknown() {
		s.flags[st.name] = v.ValueBool()
		s.flagSet[st.name] = setting{source: "attribute"}
		return diags
	}
	for _, env := range st.env {
		ev := strings.TrimSpace(p.getenv(env))
		if ev == "" {
			continue
		}
		b, err := strconv.ParseBool(ev)
		if err != nil {
			diags.AddAttributeError(path.Root(st.name), "Invalid environment variable",
				fmt.Sprintf("%s is %q, which is not a boolean; use true or false (it sets the provider attribute %s).", env, ev, st.name))
			return diags
		}
		s.flags[st.name] = b
		s.flagSet[st.name] = setting{source: env}
		return diags
	}
	return diags
}

// Configure implements provider.Provider.
func (p *entraAuthProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	vals, diags := readConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(unknownValues(vals)...)
	if resp.Diagnostics.HasError() {
		return
	}

	s, diags := p.resolveSettings(vals)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := p.clientConfig(s)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !cfg.Endpoints.Cloud.SMSSignInAvailable {
		resp.Diagnostics.AddAttributeWarning(path.Root(attrEnvironment), "SMS sign-in cannot be managed in this cloud",
			fmt.Sprintf("Microsoft documents enableSmsSignIn and disableSmsSignIn as not available in the %s cloud: phone methods can be managed, but enabling or disabling SMS sign-in will fail there.", cfg.Endpoints.Cloud.Name))
	}
	// Sign-in failures (the plan-time check, any Graph call) name the
	// credential chosen here and why.
	choice := choiceOf(s, cfg.Credentials)
	cfg.ExplainSignIn, cfg.CredentialWhy = choice.explainSignIn, choice.why
	client, err := graph.NewClient(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the Microsoft Graph client", err.Error())
		return
	}
	tflog.Info(ctx, "entraauth provider configured", map[string]any{
		"credential": string(cfg.Credentials.Kind), attrEnvironment: cfg.Endpoints.Cloud.Name,
		attrMSGraphEndpoint: cfg.Endpoints.GraphEndpoint, attrAuthorityHost: cfg.Endpoints.AuthorityHost,
	})
	data := &providerData{Client: client}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// clientConfig turns resolved settings into the Graph client's config,
// reading the files they name.
func (p *entraAuthProvider) clientConfig(s settings) (graph.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := graph.Config{Version: p.version}

	endpoints, d := resolveEndpoints(s)
	diags.Append(d...)
	cfg.Endpoints = endpoints

	creds, d := p.credentials(s)
	diags.Append(d...)
	cfg.Credentials = creds
	return cfg, diags
}

func resolveEndpoints(s settings) (graph.Endpoints, diag.Diagnostics) {
	var diags diag.Diagnostics
	if _, err := graph.LookupCloud(s.get(attrEnvironment)); err != nil {
		diags.AddAttributeError(path.Root(attrEnvironment), "Invalid environment", s.from(attrEnvironment)+": "+err.Error())
	}
	if s.has(attrMSGraphEndpoint) {
		if _, err := graph.NormalizeGraphEndpoint(s.get(attrMSGraphEndpoint)); err != nil {
			diags.AddAttributeError(path.Root(attrMSGraphEndpoint), "Invalid endpoint", s.from(attrMSGraphEndpoint)+": "+err.Error())
		}
	}
	if s.has(attrAuthorityHost) {
		if _, err := graph.NormalizeAuthorityHost(s.get(attrAuthorityHost)); err != nil {
			diags.AddAttributeError(path.Root(attrAuthorityHost), "Invalid endpoint", s.from(attrAuthorityHost)+": "+err.Error())
		}
	}
	if diags.HasError() {
		return graph.Endpoints{}, diags
	}
	e, err := graph.ResolveEndpoints(s.get(attrEnvironment), s.get(attrMSGraphEndpoint), s.get(attrAuthorityHost))
	if err != nil {
		diags.AddError("Invalid endpoints", err.Error())
	}
	return e, diags
}

// credentials chooses the credential kind. A client certificate, a client
// secret, use_oidc and use_msi each force one kind and may not be combined;
// the Azure CLI is the fallback while use_cli is true.
func (p *entraAuthProvider) credentials(s settings) (graph.Credentials, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := graph.Credentials{TenantID: s.get(attrTenantID)}

	clientID, d := p.clientID(s)
	diags.Append(d...)
	c.ClientID = clientID

	diags.Append(conflicts(s)...)
	diags.Append(tenantIDDiags(s)...)
	if diags.HasError() {
		return c, diags
	}

	switch {
	case s.has(attrClientCertificate) || s.has(attrClientCertificatePath):
		c.Kind = graph.CredentialClientCertificate
		diags.Append(p.certificate(s, &c)...)
	case s.has(attrClientSecret) || s.has(attrClientSecretFilePath):
		c.Kind = graph.CredentialClientSecret
		c.ClientSecret = s.get(attrClientSecret)
		if s.has(attrClientSecretFilePath) {
			v, d := p.readTrimmed(s, attrClientSecretFilePath, "client secret")
			diags.Append(d...)
			c.ClientSecret = v
		}
	case s.flags[attrUseOIDC]:
		c.Kind = graph.CredentialOIDC
		diags.Append(oidc(s, &c)...)
	case s.flags[attrUseMSI]:
		c.Kind = graph.CredentialManagedIdentity
	case s.flags[attrUseCLI]:
		c.Kind = graph.CredentialAzureCLI
	default:
		diags.AddError("No credentials configured",
			"Configure one of "+names(attrClientSecret)+", "+names(attrClientCertificate)+", "+names(attrUseOIDC)+" = true or "+names(attrUseMSI)+
				" = true, or leave "+names(attrUseCLI)+" at its default (true) to use the Azure CLI's signed-in account.")
		return c, diags
	}

	// Service principal flows need both identifiers.
	switch c.Kind {
	case graph.CredentialClientSecret, graph.CredentialClientCertificate, graph.CredentialOIDC:
		if c.TenantID == "" {
			diags.AddAttributeError(path.Root(attrTenantID), "Missing tenant ID",
				fmt.Sprintf("Authentication with %s needs the tenant: set %s.", kindLabel(c.Kind), names(attrTenantID)))
		}
		if c.ClientID == "" {
			diags.AddAttributeError(path.Root(attrClientID), "Missing client ID",
				fmt.Sprintf("Authentication with %s needs the app registration's client ID: set %s or %s.", kindLabel(c.Kind), names(attrClientID), names(attrClientIDFilePath)))
		}
	}
	return c, diags
}

// conflicts reports settings that force more than one credential kind, or
// give one value two ways. ValidateConfig runs it on the attributes alone,
// Configure on attributes merged with the environment.
func conflicts(s settings) diag.Diagnostics {
	var diags diag.Diagnostics
	// Two ways of giving the same value is ambiguous: refuse it.
	for _, pair := range [][2]string{
		{attrClientSecret, attrClientSecretFilePath},
		{attrClientCertificate, attrClientCertificatePath},
	} {
		if s.has(pair[0]) && s.has(pair[1]) {
			addConfigError(&diags, pair[0], "Conflicting provider configuration",
				fmt.Sprintf("Both %s and %s are set; set only one of %s or %s.", s.from(pair[0]), s.from(pair[1]), names(pair[0]), names(pair[1])))
		}
	}

	var forced []string
	if s.has(attrClientCertificate) || s.has(attrClientCertificatePath) {
		forced = append(forced, "a client certificate: "+whichSet(s, attrClientCertificate, attrClientCertificatePath))
	}
	if s.has(attrClientSecret) || s.has(attrClientSecretFilePath) {
		forced = append(forced, "a client secret: "+whichSet(s, attrClientSecret, attrClientSecretFilePath))
	}
	if s.flags[attrUseOIDC] {
		forced = append(forced, "OIDC: "+s.from(attrUseOIDC)+" = true")
	}
	if s.flags[attrUseMSI] {
		forced = append(forced, "managed identity: "+s.from(attrUseMSI)+" = true")
	}
	if len(forced) > 1 {
		diags.AddError("Conflicting credentials",
			"More than one kind of credential is configured:\n  - "+strings.Join(forced, "\n  - ")+
				"\nConfigure exactly one: "+names(attrClientSecret)+", "+names(attrClientCertificate)+", "+names(attrUseOIDC)+" or "+names(attrUseMSI)+
				" (unset the attribute or the environment variable named above).")
	}
	return diags
}

func kindLabel(k graph.CredentialKind) string {
	switch k {
	case graph.CredentialClientSecret:
		return "a client secret"
	case graph.CredentialClientCertificate:
		return "a client certificate"
	case graph.CredentialOIDC:
		return "OIDC"
	}
	return string(k)
}

// whichSet names the given attributes that are set, with their sources.
func whichSet(s settings, attrs ...string) string {
	var out []string
	for _, a := range attrs {
		if s.has(a) {
			out = append(out, s.from(a))
		}
	}
	return strings.Join(out, ", ")
}

// clientID merges client_id with client_id_file_path; differing values are
// an error rather than a silent choice.
func (p *entraAuthProvider) clientID(s settings) (string, diag.Diagnostics) {
	id := s.get(attrClientID)
	if !s.has(attrClientIDFilePath) {
		return id, nil
	}
	fromFile, diags := p.readTrimmed(s, attrClientIDFilePath, "client ID")
	if diags.HasError() {
		return id, diags
	}
	if id != "" && id != fromFile {
		diags.AddAttributeError(path.Root(attrClientID), "Conflicting client ID",
			fmt.Sprintf("%s and the file named by %s hold different client IDs; set only one of %s or %s.", s.from(attrClientID), s.from(attrClientIDFilePath), names(attrClientID), names(attrClientIDFilePath)))
		return id, diags
	}
	return fromFile, diags
}

func (p *entraAuthProvider) readTrimmed(s settings, attr, what string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	b, err := p.readFile(s.get(attr))
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Cannot read "+what+" file", fmt.Sprintf("%s: %v", s.from(attr), err))
		return "", diags
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		diags.AddAttributeError(path.Root(attr), "Empty "+what+" file", fmt.Sprintf("The file %q named by %s is empty; it must hold the %s.", s.get(attr), s.from(attr), what))
	}
	return v, diags
}

// certificate loads and checks the PKCS#12 archive now, so a missing or
// wrong password is reported at configure time with the names to set.
func (p *entraAuthProvider) certificate(s settings, c *graph.Credentials) diag.Diagnostics {
	var diags diag.Diagnostics
	attr := attrClientCertificate
	var data []byte
	if s.has(attrClientCertificatePath) {
		attr = attrClientCertificatePath
		b, err := p.readFile(s.get(attrClientCertificatePath))
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Cannot read client certificate", signInMessage(choiceOf(s, *c),
				fmt.Sprintf("The certificate file cannot be read: %v.", err),
				fmt.Sprintf("Set %s to the path of a PKCS#12 (.pfx) file that Terraform can read, or give the archive base64-encoded in %s.", names(attrClientCertificatePath), names(attrClientCertificate))))
			return diags
		}
		data = b
	} else {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s.get(attrClientCertificate)), ""))
		if err != nil {
			addConfigError(&diags, attr, "Invalid client certificate",
				fmt.Sprintf("%s must be a base64-encoded PKCS#12 (.pfx) archive: %v. To use a file, set %s instead.", s.from(attr), err, names(attrClientCertificatePath)))
			return diags
		}
		data = b
	}
	c.ClientCertificate = data
	c.ClientCertificatePassword = s.get(attrClientCertificatePassword)
	if _, _, err := graph.ParseClientCertificate(data, c.ClientCertificatePassword); err != nil {
		if errors.Is(err, graph.ErrCertificatePasswordRequired) {
			what := "The PKCS#12 archive is password protected, and no password is set."
			if c.ClientCertificatePassword != "" {
				what = fmt.Sprintf("The PKCS#12 archive cannot be opened with the password from %s.", s.from(attrClientCertificatePassword))
			}
			addConfigError(&diags, attrClientCertificatePassword, "Client certificate password", signInMessage(choiceOf(s, *c), what,
				fmt.Sprintf("Set %s to the archive's password.", names(attrClientCertificatePassword))))
			return diags
		}
		addConfigError(&diags, attr, "Invalid client certificate", fmt.Sprintf("%s: %v", s.from(attr), err))
	}
	return diags
}

// oidc picks the token source: a token, then a token file, then a request
// URL with its token (GitHub Actions variables are the last fallback).
func oidc(s settings, c *graph.Credentials) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case s.has(attrOIDCToken):
		c.OIDCToken = s.get(attrOIDCToken)
	case s.has(attrOIDCTokenFilePath):
		c.OIDCTokenFilePath = s.get(attrOIDCTokenFilePath)
	case s.has(attrOIDCRequestURL) && s.has(attrOIDCRequestToken):
		c.OIDCRequestURL = s.get(attrOIDCRequestURL)
		c.OIDCRequestToken = s.get(attrOIDCRequestToken)
		if _, err := graph.NormalizeEndpoint(strings.SplitN(c.OIDCRequestURL, "?", 2)[0]); err != nil {
			diags.AddAttributeError(path.Root(attrOIDCRequestURL), "Invalid OIDC request URL", s.from(attrOIDCRequestURL)+": "+err.Error())
		}
	case s.has(attrOIDCRequestURL) || s.has(attrOIDCRequestToken):
		diags.AddError("Incomplete OIDC configuration",
			fmt.Sprintf("A token request needs both %s and %s.", names(attrOIDCRequestURL), names(attrOIDCRequestToken)))
	default:
		diags.AddError("Incomplete OIDC configuration", signInMessage(choiceOf(s, *c),
			"No OIDC token is configured, so there is nothing to exchange for an access token.",
			fmt.Sprintf("Set %s, %s, or %s with %s. In GitHub Actions, give the job the permission \"id-token: write\": the provider then reads ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN itself.",
				names(attrOIDCToken), names(attrOIDCTokenFilePath), names(attrOIDCRequestURL), names(attrOIDCRequestToken))))
	}
	return diags
}

func newProvider(version string, getenv func(string) string, readFile func(string) ([]byte, error)) *entraAuthProvider {
	if getenv == nil {
		getenv = os.Getenv
	}
	if readFile == nil {
		readFile = os.ReadFile
	}
	return &entraAuthProvider{version: version, getenv: getenv, readFile: readFile}
}
