package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// The bad-input tables (bad_input_*_test.go) share this: each case runs
// against its own mock, must fail with exactly one error diagnostic whose
// whole summary and detail are given, and must not have sent a single
// request to the mock's Graph or token endpoints. The resource and provider
// cases carry leakProbe so that a refusal coming too late would show in
// those logs.

// exactDiagnostic matches Terraform's output when it holds exactly one error
// diagnostic, with exactly this summary and this detail. Terraform wraps
// long lines and indents the source snippet, so any run of whitespace in
// the expected text matches any run of whitespace; nothing else is loose.
// Shape of the output: a preamble without "Error:" lines (the command that
// failed, CLI warnings in boxes), "Error: <summary>", a blank line, the
// optional "  with ..."/"  on ..." snippet lines, the detail, then the end.
func exactDiagnostic(summary, detail string) *regexp.Regexp {
	return regexp.MustCompile(`\A(?:` + lineNotStartingWith("Error:") + `\n)*` +
		`Error: ` + wsWords(summary) + `\n\n(?:  [^\n]*\n)*\n?` + wsWords(detail) + `\s*\z`)
}

// wsWords quotes s for a regexp in which every run of whitespace matches
// any run of whitespace.
func wsWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `\s+`)
}

// lineNotStartingWith matches one line (without its newline) that does not
// start with prefix; RE2 has no negative lookahead, so it lists the ways a
// line can differ from the prefix: shorter than it, or a different
// character at some position.
func lineNotStartingWith(prefix string) string {
	alts := []string{""}
	for i := range len(prefix) {
		head := regexp.QuoteMeta(prefix[:i])
		alts = append(alts, head+`[^\n`+regexp.QuoteMeta(prefix[i:i+1])+`][^\n]*`)
		if i > 0 {
			alts = append(alts, head)
		}
	}
	return `(?:` + strings.Join(alts, "|") + `)`
}

// requireNoRequests fails the test if the mock saw any Graph or authority
// (token, discovery, OIDC) request; what names the case.
func (e *accEnv) requireNoRequests(t *testing.T, what string) {
	t.Helper()
	for _, r := range e.mock.RequestLog() {
		t.Errorf("%s: a Graph request reached the mock: %s %s (%d)", what, r.Method, r.Path, r.Status)
	}
	for _, r := range e.mock.AuthorityRequestLog() {
		t.Errorf("%s: an authority request reached the mock: %s %s (%d)", what, r.Method, r.Path, r.Status)
	}
}

// TestExactDiagnostic pins the matcher on Terraform's real output shapes:
// wrapped detail, snippet lines, a preamble warning box, no snippet (import).
func TestExactDiagnostic(t *testing.T) {
	t.Parallel()
	preamble := "Error running non-refresh plan: exit status 1\nThere are some problems with the CLI configuration:\n╷\n│ Warning: Unable to open CLI configuration file\n│\n│ The CLI configuration file at \"/root/.terraformrc\" does not exist.\n╵\n\n\n"
	snippet := "  with entraauth_phone_authentication_method.test,\n  on terraform_plugin_test.tf line 23, in resource \"entraauth_phone_authentication_method\" \"test\":\n  23:   phone_number = \"+15555551234\"\n\n"
	one := "Error: Invalid user id\n\n" + snippet + "\"a/b\" is not a user id: it contains \"/\". Use the\nuser's object id.\n"
	re := exactDiagnostic("Invalid user id", `"a/b" is not a user id: it contains "/". Use the user's object id.`)
	for name, tc := range map[string]struct {
		out  string
		want bool
	}{
		"one diagnostic":                 {preamble + one, true},
		"no snippet":                     {"exit status 1\n\nError: Invalid user id\n\n\"a/b\" is not a user id: it contains \"/\". Use the user's object id.\n", true},
		"detail truncated":               {preamble + strings.Replace(one, " Use the\nuser's object id.", "", 1), false},
		"detail longer":                  {preamble + strings.Replace(one, "object id.", "object id. Or not.", 1), false},
		"summary longer":                 {preamble + strings.Replace(one, "Invalid user id", "Invalid user id value", 1), false},
		"another error before":           {preamble + "Error: Other\n\nsomething\n\n" + one, false},
		"another error after":            {preamble + one + "\nError: Other\n\nsomething\n", false},
		"words glued where text has one": {preamble + strings.Replace(one, "Use the\nuser's", "Use theuser's", 1), false},
	} {
		if got := re.MatchString(tc.out); got != tc.want {
			t.Errorf("%s: match = %v, want %v", name, got, tc.want)
		}
	}
}

// leakProbe is the valid data source every resource and provider case
// carries. Terraform validates every block before it configures the
// provider and reads data sources after, so a bad value refused at
// validation (or in Configure) stops the probe unread; a refusal that came
// later, or never, would let Terraform read it, which costs a token request
// and a Graph GET, and requireNoRequests would report both. Planning a new
// resource alone sends nothing, so without the probe that check could not
// fail.
var leakProbe = dataPhones("leak_probe", accAdeleUPN)

// TestAccBadInput_requestLogControl proves the "no request" assertion can
// fail: the harness with valid input does reach both of the mock's logs
// (a data source read needs a token and a Graph call), through both
// provider factories the tables use, and through the exact configuration
// builders of the resource and provider tables with the bad value replaced
// by a good one. graph_endpoint_elsewhere proves the shape of the provider
// cases whose Graph endpoint is not the mock: there the mock refuses the
// token, so a leak shows as a token request and goes no further.
func TestAccBadInput_requestLogControl(t *testing.T) {
	t.Parallel()
	for name, hermetic := range map[string]bool{"process_env": false, "hermetic_env": true} {
		t.Run(name, func(t *testing.T) {
			e := newAccEnv(t)
			factories := e.factories()
			if hermetic {
				factories = hermeticFactories(nil, nil)
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps:                    []resource.TestStep{{Config: e.config(dataPhones("adele", accAdeleUPN))}},
			})
			e.requireTokenAndGraphGET(t)
		})
	}
	t.Run("resource_table", func(t *testing.T) {
		e := newAccEnv(t)
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			// The same step as a resource case, with the good resource the
			// cases derive from: the plan (a create) succeeds and the probe
			// is read.
			Steps: []resource.TestStep{{Config: e.resourceCaseConfig(validPhone), PlanOnly: true, ExpectNonEmptyPlan: true}},
		})
		e.requireTokenAndGraphGET(t)
	})
	t.Run("provider_table", func(t *testing.T) {
		e := newAccEnv(t)
		good := badProviderConfig{name: "good"} // the mock's valid block, nothing unset or set
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: hermeticFactories(good.env, good.files),
			Steps:                    []resource.TestStep{{Config: e.providerCaseConfig(t, good), PlanOnly: true, ExpectNonEmptyPlan: true}},
		})
		e.requireTokenAndGraphGET(t)
	})
	t.Run("graph_endpoint_elsewhere", func(t *testing.T) {
		e := newAccEnv(t)
		// The mock's own Graph endpoint, given as an override, so the
		// builder treats it like the graph_endpoint_* cases and refuses the
		// token; the block is otherwise valid, so the probe is read.
		good := badProviderConfig{name: "good", set: map[string]string{attrMSGraphEndpoint: fmt.Sprintf("%q", e.m.GraphEndpoint())}}
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: hermeticFactories(good.env, good.files),
			Steps: []resource.TestStep{{
				Config: e.providerCaseConfig(t, good), PlanOnly: true,
				ExpectError: errorRE("Cannot list phone methods", "data.entraauth_phone_authentication_methods.leak_probe", "AADSTS7000215"),
			}},
		})
		if n := len(e.mock.AuthorityRequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpToken})); n == 0 {
			t.Error("the refused-token probe left no token request in the authority log: a leak would be invisible")
		}
		for _, r := range e.mock.RequestLog() {
			t.Errorf("a refused token must stop the probe before Graph, got %s %s (%d)", r.Method, r.Path, r.Status)
		}
	})
}

// requireTokenAndGraphGET fails the test unless the mock issued a token and
// answered a Graph GET: what a leaked probe read leaves in the logs.
func (e *accEnv) requireTokenAndGraphGET(t *testing.T) {
	t.Helper()
	tokens := e.mock.AuthorityRequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpToken})
	gets := e.mock.RequestLog(mockgraph.RequestLogFilter{Method: http.MethodGet})
	if len(tokens) == 0 || len(gets) == 0 {
		t.Fatalf("valid input left the logs without a token request (%d) or a Graph GET (%d): the no-request checks could never fail",
			len(tokens), len(gets))
	}
}

// hermeticFactories serve a provider that sees only env as its environment
// and files as its file system, so a developer's ARM_* variables cannot
// change what a case tests.
func hermeticFactories(env map[string]string, files map[string][]byte) map[string]func() (tfprotov6.ProviderServer, error) {
	return acctest.ProtoV6ProviderFactories(func() provider.Provider { return testProvider(env, files) })
}
