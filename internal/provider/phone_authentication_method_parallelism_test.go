package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// At -parallelism=1 Terraform runs one operation at a time and holds the
// slot for all of it, so a resource that waited for another resource of
// the same run would wait for its whole timeout (5 minutes). These tests
// run the real CLI with -parallelism=1 and 2 on configurations without
// depends_on that need Graph's order, and bound how long each command may
// take: a wait lasts only while an operation that can unblock it is under
// way (internal/coordination), so at -parallelism=2 one apply and one
// destroy are enough, and at -parallelism=1 a command Terraform ordered
// against Graph's rule fails within the grace, with the way out, and the
// next one converges.

// commandBound is far below the 5-minute default timeouts a wait used to
// run into, and far above what a command takes here (a few seconds, plus
// at most one grace per refused resource).
const commandBound = 60 * time.Second

// applyConverges runs terraform args (apply or destroy) at parallelism; a
// first run Terraform ordered against Graph's rule may fail with
// refusedSummary (at -parallelism=1 only), and then one more run must
// succeed. Every run must end within commandBound. It returns how many
// runs it took.
func applyConverges(t *testing.T, run *tfCLIRun, parallelism int, refusedSummary string, args ...string) int {
	t.Helper()
	args = append(args, "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
	for attempt := 1; ; attempt++ {
		start := time.Now()
		code := run.run(args...)
		if d := time.Since(start); d > commandBound {
			t.Fatalf("terraform %s took %s; want under %s (a wait must not hold Terraform's only slot)", strings.Join(args, " "), d, commandBound)
		}
		switch {
		case code == 0:
			return attempt
		case attempt == 1 && parallelism == 1 && strings.Contains(run.lastOut, refusedSummary) &&
			strings.Contains(run.lastOut, "depends_on") && strings.Contains(run.lastOut, "-parallelism=1"):
			t.Logf("terraform %s: Terraform ran the refused resource first; it failed within the grace as it should", args[0])
			continue
		}
		t.Fatalf("terraform %s (run %d) exited %d:\n%s", strings.Join(args, " "), attempt, code, run.lastOut)
	}
}

// requiredProviders names this provider's source for the CLI runs.
const requiredProviders = "terraform {\n  required_providers {\n    entraauth = { source = \"entraauth/entraauth\" }\n  }\n}\n\n"

// planIsEmpty asserts the state equals Graph: a refresh and plan changes nothing.
func planIsEmpty(t *testing.T, run *tfCLIRun) {
	t.Helper()
	if code := run.run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan after apply exited %d; want 0 (state equals Graph):\n%s", code, run.lastOut)
	}
}

// TestAccPhoneAuthenticationMethod_pairAtParallelism: a user's mobile and
// alternateMobile in one configuration without depends_on, created and
// destroyed at -parallelism=1 and 2.
func TestAccPhoneAuthenticationMethod_pairAtParallelism(t *testing.T) {
	t.Parallel()
	for _, parallelism := range []int{1, 2} {
		t.Run(fmt.Sprintf("parallelism=%d", parallelism), func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t)
			run := newTFCLIRun(t)
			mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234"}
			alternate := phoneConfig{Name: "alternate", UserID: accAdeleUPN, PhoneType: "alternateMobile", PhoneNumber: "+1 5555555678"}
			run.write("main.tf", requiredProviders+e.config(mobile, alternate))
			run.must("init")

			start := time.Now()
			applies := applyConverges(t, run, parallelism, "The user has no mobile phone yet", "apply")
			e.must(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "")(nil))
			e.must(e.checkGraphPhone(accAdeleUPN, "alternateMobile", "+1 5555555678", "")(nil))
			planIsEmpty(t, run)

			destroys := applyConverges(t, run, parallelism, "Cannot delete the mobile phone while an alternateMobile exists", "destroy")
			e.must(e.checkGraphNoPhone(accAdeleUPN)(nil))
			t.Logf("-parallelism=%d: %d apply run(s), %d destroy run(s), %s in all", parallelism, applies, destroys, time.Since(start).Round(time.Millisecond))
			if parallelism > 1 && (applies != 1 || destroys != 1) {
				t.Errorf("-parallelism=%d took %d applies and %d destroys; want one each (the refused resource waits for the other, which is running)", parallelism, applies, destroys)
			}
		})
	}
}

// TestAccSMSPolicy_rolloutAtParallelism1: the SMS policy and a pilot
// user's mobile with SMS sign-in, without depends_on, at -parallelism=1.
// When Terraform writes the policy first, the phone's enable waits for the
// policy to reach sign-in (the mock's policy lag) and one apply is enough;
// when it runs the phone first, nothing could allow it, so it fails within
// the grace, saying to add depends_on, and the next apply converges.
func TestAccSMSPolicy_rolloutAtParallelism1(t *testing.T) {
	t.Parallel()
	e := newPolicyAccEnv(t, nil, nil)
	e.must(e.mock.SetPolicyLag(e.tenant, 3*time.Second))
	run := newTFCLIRun(t)
	policy := smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "group")}, Exclude: []string{target(accBreakGlassGroupID, "group")}}
	mobile := phoneConfig{Name: "adele", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true)}
	run.write("main.tf", requiredProviders+e.config(policy, mobile))
	run.must("init")
	applies := applyConverges(t, run, 1, "SMS sign-in is not allowed by policy", "apply")
	t.Logf("%d apply run(s)", applies)
	e.must(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready")(nil))
	e.must(e.checkPolicyInGraph(pilotPolicy())(nil))
	planIsEmpty(t, run)
	applyConverges(t, run, 1, "", "destroy")
	e.must(e.checkGraphNoPhone(accAdeleUPN)(nil))
}
