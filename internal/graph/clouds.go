package graph

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
)

// Cloud is one Microsoft cloud: where Graph and the Entra authority live.
type Cloud struct {
	// Name is the provider's environment value, e.g. "usgovernmentl4".
	Name string
	// GraphEndpoint is the Graph origin without a path or trailing slash.
	GraphEndpoint string
	// AuthorityHost is the Entra login origin without a trailing slash.
	AuthorityHost string
	// SMSSignInAvailable is false where enable/disableSmsSignIn are documented
	// as unavailable (China).
	SMSSignInAvailable bool
}

// Environment names accepted by the provider's environment attribute.
const (
	EnvironmentGlobal         = "global"
	EnvironmentUSGovernmentL4 = "usgovernmentl4"
	EnvironmentUSGovernmentL5 = "usgovernmentl5"
	EnvironmentChina          = "china"
)

// clouds is the only table of national cloud endpoints in the provider
// (values from Graph's "national cloud deployments" page).
var clouds = map[string]Cloud{
	EnvironmentGlobal: {
		Name: EnvironmentGlobal, GraphEndpoint: "https://graph.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.com", SMSSignInAvailable: true,
	},
	EnvironmentUSGovernmentL4: {
		Name: EnvironmentUSGovernmentL4, GraphEndpoint: "https://graph.microsoft.us",
		AuthorityHost: "https://login.microsoftonline.us", SMSSignInAvailable: true,
	},
	EnvironmentUSGovernmentL5: {
		Name: EnvironmentUSGovernmentL5, GraphEndpoint: "https://dod-graph.microsoft.us",
		AuthorityHost: "https://login.microsoftonline.us", SMSSignInAvailable: true,
	},
	EnvironmentChina: {
		Name: EnvironmentChina, GraphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
		AuthorityHost: "https://login.chinacloudapi.cn", SMSSignInAvailable: false,
	},
}

// EnvironmentNames returns the accepted environment values, sorted, for
// validators and attribute descriptions.
func EnvironmentNames() []string {
	names := make([]string, 0, len(clouds))
	for n := range clouds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// environmentAliases accept the azurerm provider's ARM_ENVIRONMENT values,
// since users share that variable between providers.
var environmentAliases = map[string]string{
	"public":       EnvironmentGlobal,
	"usgovernment": EnvironmentUSGovernmentL4,
}

// LookupCloud returns the cloud for an environment name; "" means global.
// azurerm's names "public" and "usgovernment" are accepted as aliases.
func LookupCloud(environment string) (Cloud, error) {
	name := strings.ToLower(strings.TrimSpace(environment))
	if name == "" {
		name = EnvironmentGlobal
	}
	if alias, ok := environmentAliases[name]; ok {
		name = alias
	}
	c, ok := clouds[name]
	if !ok {
		return Cloud{}, fmt.Errorf("unknown environment %q: expected one of %s", environment, strings.Join(EnvironmentNames(), ", "))
	}
	return c, nil
}

// Endpoints are the resolved addresses a Client talks to.
type Endpoints struct {
	Cloud Cloud
	// GraphEndpoint is the Graph origin (scheme://host[:port][/path]) without
	// a trailing slash and without /v1.0.
	GraphEndpoint string
	// AuthorityHost is the Entra authority origin without a trailing slash.
	AuthorityHost string
	// Scope is the token scope: the Graph endpoint's own "/.default"; tokens
	// do not cross clouds.
	Scope string
	// CustomAuthority is true when AuthorityHost is not the cloud's own, which
	// makes azidentity skip instance discovery (it only knows public clouds).
	CustomAuthority bool
}

// GraphBaseURL is the versioned base URL the request adapter uses.
func (e Endpoints) GraphBaseURL() string { return e.GraphEndpoint + "/v1.0" }

// GraphHost is the endpoint's host name without a port: the token provider
// compares URL.Hostname() against its allow-list.
func (e Endpoints) GraphHost() string {
	u, err := url.Parse(e.GraphEndpoint)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// ResolveEndpoints combines an environment with optional overrides for the
// Graph endpoint and the authority host, and refuses unusable URLs before any
// request is sent.
func ResolveEndpoints(environment, msgraphEndpoint, authorityHost string) (Endpoints, error) {
	c, err := LookupCloud(environment)
	if err != nil {
		return Endpoints{}, err
	}
	e := Endpoints{Cloud: c, GraphEndpoint: c.GraphEndpoint, AuthorityHost: c.AuthorityHost}
	if msgraphEndpoint != "" {
		v, err := NormalizeGraphEndpoint(msgraphEndpoint)
		if err != nil {
			return Endpoints{}, fmt.Errorf("msgraph endpoint: %w", err)
		}
		e.GraphEndpoint = v
	}
	if authorityHost != "" {
		v, err := NormalizeAuthorityHost(authorityHost)
		if err != nil {
			return Endpoints{}, fmt.Errorf("authority host: %w", err)
		}
		e.AuthorityHost = v
		e.CustomAuthority = !strings.EqualFold(v, c.AuthorityHost)
	}
	e.Scope = e.GraphEndpoint + "/.default"
	return e, nil
}

// NormalizeEndpoint checks an endpoint URL and returns it without a trailing
// slash. Only https is accepted, except http on a loopback host (the mock),
// so no credential or token is ever sent in clear text over a network.
func NormalizeEndpoint(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %v", raw, err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", fmt.Errorf("%q has no host: write the whole URL, starting with \"https://\"", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must not contain user info, a query or a fragment", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return "", fmt.Errorf("%q uses plain http, which is accepted only for loopback hosts (127.0.0.1, ::1, localhost); use https", raw)
		}
	default:
		return "", fmt.Errorf("%q must use https", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return strings.TrimRight(u.String(), "/"), nil
}

// NormalizeGraphEndpoint is NormalizeEndpoint for the Graph endpoint, which
// must not end with an API version: the client adds "/v1.0" itself, so
// "https://graph.microsoft.com/v1.0" would send every request to
// /v1.0/v1.0/..., which Graph answers with 404 (read as "no such phone").
func NormalizeGraphEndpoint(raw string) (string, error) {
	v, err := NormalizeEndpoint(raw)
	if err != nil {
		return "", err
	}
	last := v[strings.LastIndex(v, "/")+1:]
	if strings.EqualFold(last, "v1.0") || strings.EqualFold(last, "beta") {
		return "", fmt.Errorf("%q ends with the API version %q; give the endpoint without it (e.g. https://graph.microsoft.com): the provider adds /v1.0 itself", raw, "/"+last)
	}
	return v, nil
}

// NormalizeAuthorityHost is NormalizeEndpoint for authority hosts, which
// must be https even on loopback: azidentity refuses anything else.
func NormalizeAuthorityHost(raw string) (string, error) {
	// Checked first: NormalizeEndpoint's message would suggest that http
	// is fine on a loopback host, which is not so for the authority.
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(raw)), "http://") {
		return "", fmt.Errorf("%q must use https: token requests are never sent over plain http", raw)
	}
	v, err := NormalizeEndpoint(raw)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(v, "https://") {
		return "", fmt.Errorf("%q must use https: token requests are never sent over plain http", raw)
	}
	return v, nil
}

// IsLoopbackHost reports whether host (no port) is localhost or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
