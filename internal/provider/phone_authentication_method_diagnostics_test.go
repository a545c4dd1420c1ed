package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestEndedMessages: an interrupt says so, says Graph may or may not have
// applied the write and that the next plan or apply reconciles, and does
// not blame the timeouts block; a timeout names the limit and how to raise
// it; the grace read after an interrupt is shorter.
func TestEndedMessages(t *testing.T) {
	t.Parallel()
	err := errors.New("create phone method: context canceled")
	interrupted := endedDetail(graph.StoppedByInterrupt, `Creating the mobile phone "+1 5555550101" for user "adele"`, "create", 5*time.Minute, "OUTCOME", err)
	for _, want := range []string{"was interrupted", "Ctrl-C", "may or may not have applied it", "OUTCOME", "next terraform plan or apply", "reconciles", "Last Graph error: create phone method: context canceled"} {
		if !strings.Contains(interrupted, want) {
			t.Errorf("interrupt detail lacks %q:\n%s", want, interrupted)
		}
	}
	for _, never := range []string{"did not finish within", "timeouts.create", "5m0s"} {
		if strings.Contains(interrupted, never) {
			t.Errorf("interrupt detail says %q:\n%s", never, interrupted)
		}
	}
	if got := endedSummary(graph.StoppedByInterrupt, "creating phone method"); got != "Interrupted creating phone method" {
		t.Errorf("summary %q", got)
	}
	timedOut := endedDetail(graph.StoppedByDeadline, "Creating", "create", 5*time.Minute, "OUTCOME", err)
	for _, want := range []string{"did not finish within 5m0s (timeouts.create)", `create = "10m"`, "OUTCOME"} {
		if !strings.Contains(timedOut, want) {
			t.Errorf("timeout detail lacks %q:\n%s", want, timedOut)
		}
	}
	read := readEnded(graph.StoppedByDeadline, "adele", "mobile", 20*time.Second, err)
	if d := read.Errors()[0]; d.Summary() != "Timed out reading phone method" || !strings.Contains(d.Detail(), "did not finish within 20s (timeouts.read)") || !strings.Contains(d.Detail(), `read = "10m"`) {
		t.Errorf("read timeout: %s: %s", d.Summary(), d.Detail())
	}
	ctx := context.Background()
	ictx, c1 := graph.GraceContext(ctx, graph.StoppedByInterrupt)
	defer c1()
	tctx, c2 := graph.GraceContext(ctx, graph.StoppedByDeadline)
	defer c2()
	id, _ := ictx.Deadline()
	td, _ := tctx.Deadline()
	if !id.Before(td) || time.Until(id) > graph.GracePeriod(graph.StoppedByInterrupt) {
		t.Errorf("interrupt grace ends %v, timeout grace %v; want the interrupt's shorter", time.Until(id), time.Until(td))
	}
}

// TestCreatedOutcome: a create Graph applied although it did not finish is
// saved tainted; the message tells how to keep it with terraform untaint
// when Graph holds exactly what was configured, says so for a masked
// number whose visible digits match, and says what is missing when SMS
// sign-in is not yet as configured.
func TestCreatedOutcome(t *testing.T) {
	t.Parallel()
	const number = "+1 5555550101"
	exact := createdOutcome(graph.PhoneMethod{PhoneNumber: number, SMSSignInState: graph.SMSSignInStateReady}, types.BoolValue(true))
	for _, want := range []string{"holds exactly what was configured", "saved in the state", "tainted", "deletes and re-creates", "terraform untaint on this resource"} {
		if !strings.Contains(exact, want) {
			t.Errorf("exact: lacks %q:\n%s", want, exact)
		}
	}
	masked := createdOutcome(graph.PhoneMethod{PhoneNumber: "+1 XXXXXXXX01", SMSSignInState: graph.SMSSignInStateNotEnabled}, types.BoolNull())
	if !strings.Contains(masked, `masked as "+1 XXXXXXXX01"`) || !strings.Contains(masked, "terraform untaint") || strings.Contains(masked, "exactly") {
		t.Errorf("masked:\n%s", masked)
	}
	smsPending := createdOutcome(graph.PhoneMethod{PhoneNumber: number, SMSSignInState: graph.SMSSignInStateNotEnabled}, types.BoolValue(true))
	if !strings.Contains(smsPending, `SMS sign-in is not as configured yet (smsSignInState "notEnabled")`) || strings.Contains(smsPending, "exactly") {
		t.Errorf("SMS pending:\n%s", smsPending)
	}
	if note := createdNote("adele", "mobile", true); !strings.Contains(note, "holds exactly what was configured") || !strings.Contains(note, "terraform untaint") {
		t.Errorf("createdNote as configured: %s", note)
	}
	if note := createdNote("adele", "mobile", false); strings.Contains(note, "untaint") {
		t.Errorf("createdNote not as configured: %s", note)
	}
}
