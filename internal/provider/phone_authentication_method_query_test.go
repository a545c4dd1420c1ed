package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	tfjson "github.com/hashicorp/terraform-json"
	querysteps "github.com/hashicorp/terraform-plugin-testing/helper/resource/query"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
)

// TestAccPhoneQuery_generateConfigAndAdopt runs the adoption guide's
// sequence with the real CLI (the provider served from this process):
// `terraform query` over the pilot group (its results checked with
// querycheck), `terraform query -generate-config-out=phones.tf`,
// then `terraform apply` imports every phone it found (no write reaches
// Graph), the next plan is empty (exit 0), and the state holds exactly
// what Graph holds.
func TestAccPhoneQuery_generateConfigAndAdopt(t *testing.T) {
	t.Parallel()
	e := newListAccEnv(t, nil)
	r := newTFCLIRun(t)
	acctest.SkipOnOpenTofu(t, openTofuLacksQuery)
	if v := r.version(); !terraformAtLeast(v, 14) {
		t.Skipf("Terraform CLI version %s is below minimum version 1.14.0 (terraform query): skipping test", v)
	}
	r.write("main.tf", "terraform {\n  required_providers {\n    entraauth = {\n      source = \"entraauth/entraauth\"\n    }\n  }\n}\n\n"+e.providerConfig())
	r.write("phones.tfquery.hcl", fmt.Sprintf("list \"entraauth_phone_authentication_method\" \"pilot\" {\n  provider = entraauth\n  config {\n    group_id = %q\n  }\n}\n", accPilotGroupID))
	r.must("init")

	out := r.must("query", "-json")
	var messages []tfjson.LogMsg
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue // the CLI config warning
		}
		msg, err := tfjson.UnmarshalLogMessage([]byte(line))
		if err != nil {
			t.Fatalf("terraform query -json line %q: %v", line, err)
		}
		messages = append(messages, msg)
	}
	biancaID := e.userIDOf(accBiancaUPN)
	list := "entraauth_phone_authentication_method.pilot"
	if err := querysteps.RunQueryChecks(context.Background(), t, messages, []querycheck.QueryResultCheck{
		querycheck.ExpectLength(list, 3),
		querycheck.ExpectIdentity(list, phoneIdentity(accAdeleID, "mobile")),
		querycheck.ExpectIdentity(list, phoneIdentity(accAdeleID, "alternateMobile")),
		querycheck.ExpectIdentity(list, phoneIdentity(biancaID, "office")),
		querycheck.ExpectResourceDisplayName(list, queryfilter.ByResourceIdentity(phoneIdentity(biancaID, "office")), knownvalue.StringExact(accBiancaUPN+" office")),
	}); err != nil {
		t.Fatalf("terraform query: %v\n%s", err, out)
	}
	if strings.Contains(out, "5555551234") {
		t.Errorf("terraform query output shows a phone number:\n%s", out)
	}

	r.must("query", "-generate-config-out=phones.tf")
	generated, err := os.ReadFile(filepath.Join(r.dir, "phones.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := regexp.MustCompile(`(?m)^resource "entraauth_phone_authentication_method"`).FindAllIndex(generated, -1); len(n) != 3 {
		t.Fatalf("phones.tf has %d resource blocks; want 3:\n%s", len(n), generated)
	}
	if n := regexp.MustCompile(`(?m)^import \{`).FindAllIndex(generated, -1); len(n) != 3 {
		t.Fatalf("phones.tf has %d import blocks; want 3:\n%s", len(n), generated)
	}
	for _, want := range []string{`phone_number = "+1 5555551234"`, `phone_number = "+44 2079460958x42"`, `user_id = "` + accAdeleID + `"`, "identity = {"} {
		if !strings.Contains(squeezeSpaces(string(generated)), want) {
			t.Errorf("phones.tf lacks %s:\n%s", want, generated)
		}
	}
	t.Logf("generated phones.tf:\n%s", generated)

	before := len(e.mock.RequestLog())
	out = r.must("apply", "-auto-approve")
	if !strings.Contains(out, "Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply did not import exactly the three phones:\n%s", out)
	}
	for _, r := range e.mock.RequestLog()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("adopting wrote to Graph: %s %s", r.Method, r.Path)
		}
	}
	r.must("plan", "-detailed-exitcode")

	// The state holds exactly Graph's phones of the pilot group.
	show := r.must("show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(show), &state); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, show)
	}
	got := map[string]string{}
	for _, r := range state.Values.RootModule.Resources {
		got[fmt.Sprint(r.Values["user_id"], "/", r.Values["phone_type"])] = fmt.Sprint(r.Values["phone_number"])
	}
	want := map[string]string{}
	for _, upn := range []string{accAdeleUPN, accBiancaUPN} {
		v, err := e.mock.User(e.tenant, upn)
		if err != nil {
			t.Fatal(err)
		}
		for _, pm := range v.PhoneMethods {
			want[v.ID+"/"+pm.PhoneType] = pm.PhoneNumber
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("state %v; Graph holds %v", got, want)
	}
}

// squeezeSpaces folds runs of spaces, so `a   = "b"` reads `a = "b"`.
func squeezeSpaces(s string) string {
	return regexp.MustCompile(` +`).ReplaceAllString(s, " ")
}
