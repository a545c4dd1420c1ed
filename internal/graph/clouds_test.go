package graph

import (
	"strings"
	"testing"
)

func TestResolveEndpointsClouds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env, graph, authority, scope string
		sms                          bool
	}{
		{"", "https://graph.microsoft.com", "https://login.microsoftonline.com", "https://graph.microsoft.com/.default", true},
		{"global", "https://graph.microsoft.com", "https://login.microsoftonline.com", "https://graph.microsoft.com/.default", true},
		{"usgovernmentl4", "https://graph.microsoft.us", "https://login.microsoftonline.us", "https://graph.microsoft.us/.default", true},
		{"usgovernmentl5", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us/.default", true},
		{"china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/.default", false},
		{"USGovernmentL4", "https://graph.microsoft.us", "https://login.microsoftonline.us", "https://graph.microsoft.us/.default", true},
		// azurerm's ARM_ENVIRONMENT values, shared by the same variable.
		{"public", "https://graph.microsoft.com", "https://login.microsoftonline.com", "https://graph.microsoft.com/.default", true},
		{"usgovernment", "https://graph.microsoft.us", "https://login.microsoftonline.us", "https://graph.microsoft.us/.default", true},
	}
	for _, c := range cases {
		t.Run(c.env, func(t *testing.T) {
			e, err := ResolveEndpoints(c.env, "", "")
			if err != nil {
				t.Fatal(err)
			}
			if e.GraphEndpoint != c.graph || e.AuthorityHost != c.authority || e.Scope != c.scope {
				t.Errorf("got %+v", e)
			}
			if e.CustomAuthority {
				t.Error("a cloud's own authority must keep instance discovery")
			}
			if e.Cloud.SMSSignInAvailable != c.sms {
				t.Errorf("SMSSignInAvailable = %v, want %v", e.Cloud.SMSSignInAvailable, c.sms)
			}
			if e.GraphBaseURL() != c.graph+"/v1.0" {
				t.Errorf("GraphBaseURL = %s", e.GraphBaseURL())
			}
		})
	}
}

func TestEnvironmentNamesMatchTable(t *testing.T) {
	t.Parallel()
	got := strings.Join(EnvironmentNames(), ",")
	if got != "china,global,usgovernmentl4,usgovernmentl5" {
		t.Fatalf("EnvironmentNames = %s", got)
	}
}

func TestResolveEndpointsOverrides(t *testing.T) {
	t.Parallel()
	e, err := ResolveEndpoints("usgovernmentl4", "https://127.0.0.1:8443/", "https://127.0.0.1:8443")
	if err != nil {
		t.Fatal(err)
	}
	if e.GraphEndpoint != "https://127.0.0.1:8443" || e.Scope != "https://127.0.0.1:8443/.default" {
		t.Errorf("graph override: %+v", e)
	}
	if e.GraphHost() != "127.0.0.1" {
		t.Errorf("GraphHost must drop the port: %q", e.GraphHost())
	}
	if !e.CustomAuthority || e.AuthorityHost != "https://127.0.0.1:8443" {
		t.Errorf("authority override: %+v", e)
	}
	if e.Cloud.Name != "usgovernmentl4" {
		t.Errorf("cloud lost: %+v", e.Cloud)
	}

	same, err := ResolveEndpoints("global", "", "https://login.microsoftonline.com/")
	if err != nil {
		t.Fatal(err)
	}
	if same.CustomAuthority {
		t.Error("the cloud's own authority given explicitly is not custom")
	}
	v6, err := ResolveEndpoints("", "http://[::1]:9000", "")
	if err != nil {
		t.Fatal(err)
	}
	if v6.GraphHost() != "::1" {
		t.Errorf("GraphHost = %q", v6.GraphHost())
	}
}

func TestResolveEndpointsRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct{ env, graph, authority, want string }{
		{"mars", "", "", "unknown environment"},
		{"", "http://graph.example.com", "", "loopback"},
		{"", "http://10.0.0.1:80", "", "loopback"},
		{"", "", "http://login.example.com", "must use https"},
		{"", "https://graph.microsoft.com/v1.0", "", "ends with the API version"},
		{"", "https://graph.microsoft.com/beta/", "", "ends with the API version"},
		{"", "", "http://127.0.0.1:8443", "must use https"},
		{"", "ftp://graph.example.com", "", "https"},
		{"", "graph.example.com", "", "no host"},
		{"", "https://graph.example.com/?x=1", "", "query"},
		{"", "https://user:pw@graph.example.com", "", "user info"},
	}
	for _, c := range cases {
		_, err := ResolveEndpoints(c.env, c.graph, c.authority)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ResolveEndpoints(%q,%q,%q) = %v, want error containing %q", c.env, c.graph, c.authority, err, c.want)
		}
	}
	for _, ok := range []string{"http://127.0.0.1:1234", "http://localhost", "http://127.1.2.3", "http://[::1]:1"} {
		if _, err := NormalizeEndpoint(ok); err != nil {
			t.Errorf("NormalizeEndpoint(%q) = %v", ok, err)
		}
	}
}
