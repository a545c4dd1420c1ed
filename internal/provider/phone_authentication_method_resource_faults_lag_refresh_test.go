package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// Read-after-write lag that outlasts the apply (issue #6): Read tolerates a
// 404 or the value from before the write while the write is recent
// (privateRecentWrite). The apply's own read-backs use up to
// graph.ReadAfterWriteRetries+1 reads of the written phone, so the lag here is
// that many reads plus lagPastApply: the refresh that follows the apply (the
// post-apply refresh plan) meets lagPastApply lagging reads. That refresh
// must show no difference and its state must equal Graph; the request log
// proves the lagging reads reached it.

// lagPastApply is how many lagging reads reach the refresh; at most
// graph.ReadAfterWriteRetries, the lag Read tolerates after a write.
const lagPastApply = 2

// lagRefreshCase is one write whose lag reaches the refresh.
type lagRefreshCase struct {
	name  string
	write string // mock operation that arms the lag
	mode  string // not_found or stale
	// applyReads is how many reads of the written phone the apply makes after
	// the write while the lag lasts: none after a create (Graph's answer is
	// trusted), every read-back attempt after an update or an SMS sign-in
	// change (each one lags, so all retries are used).
	applyReads int
}

var lagRefreshCases = func() []lagRefreshCase {
	readBack := graph.ReadAfterWriteRetries + 1
	return []lagRefreshCase{
		// Stale after a create is a 404 as well: there is no older value.
		{name: "create_not_found", write: mockgraph.OpCreate, mode: "not_found"},
		{name: "update_stale", write: mockgraph.OpUpdate, mode: "stale", applyReads: readBack},
		{name: "update_not_found", write: mockgraph.OpUpdate, mode: "not_found", applyReads: readBack},
		{name: "enable_stale", write: mockgraph.OpEnableSmsSignIn, mode: "stale", applyReads: readBack},
		{name: "enable_not_found", write: mockgraph.OpEnableSmsSignIn, mode: "not_found", applyReads: readBack},
		{name: "disable_stale", write: mockgraph.OpDisableSmsSignIn, mode: "stale", applyReads: readBack},
		{name: "disable_not_found", write: mockgraph.OpDisableSmsSignIn, mode: "not_found", applyReads: readBack},
	}
}()

func TestAccPhoneAuthenticationMethod_lagOutlastsApply(t *testing.T) {
	t.Parallel()
	for _, c := range lagRefreshCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    e.lagRefreshSteps(c),
				CheckDestroy:             e.checkTenantWithoutPhones(),
			})
		})
	}
}

// lagRefreshSteps: a setup apply (not for create), then the apply whose one
// write arms the lag. Its Check marks where the apply's reads end; the
// post-apply refresh plan must be empty, its refreshed state equal to Graph,
// and the request log must show the lagging reads served to that refresh.
// Only one phone is written so the apply's reads of it are known.
func (e *accEnv) lagRefreshSteps(c lagRefreshCase) []resource.TestStep {
	before := lagPhones{mobileNumber: "+1 5555551234", officeNumber: "+1 5555551236", office: true, sms: true}
	after := before
	written := officeMethodID
	switch c.write {
	case mockgraph.OpCreate:
		// The setup creates the mobile; the lagged apply creates only the
		// office, which has no SMS sign-in and so no read-back.
		before.office = false
	case mockgraph.OpUpdate:
		after.officeNumber = "+1 5555559998"
	case mockgraph.OpEnableSmsSignIn:
		before.sms, after.sms = false, true
		written = mobileMethodID
	case mockgraph.OpDisableSmsSignIn:
		before.sms, after.sms = true, false
		written = mobileMethodID
	}
	fault := mockgraph.Fault{ID: "lag", Kind: mockgraph.FaultLag, Match: c.write, LagMode: c.mode,
		LagReads: c.applyReads + lagPastApply, Count: 1}

	var armedAt, appliedAt time.Time
	return []resource.TestStep{
		{Config: e.lagConfig(before), Check: e.checkStateMatchesGraph()},
		{
			PreConfig: func() {
				e.mock.ClearFaults()
				armedAt = time.Now()
				_, err := e.mock.AddFaults(fault)
				e.must(err)
			},
			Config: e.lagConfig(after),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkStateMatchesGraph(),
				e.checkLagArmed(1),
				func(*terraform.State) error { return e.writesSince(armedAt, map[string]int{c.write: 1}) },
				// Nothing reads Graph between here and the refresh plan (the
				// plan before it does not refresh).
				func(*terraform.State) error { appliedAt = time.Now(); return nil },
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				refreshedStateCheck{e: e, check: func() error { return e.lagReachedRefresh(c, written, &armedAt, &appliedAt) }},
			}},
		},
		{
			// Once the lag is over, state still equals Graph.
			PreConfig: e.mock.ClearFaults,
			Config:    e.lagConfig(after),
			Check:     e.checkStateMatchesGraph(),
		},
	}
}

// lagReachedRefresh asserts, from the request log, that the apply read the
// written phone applyReads times after the write, and the refresh read it
// lagPastApply times more, until the lag was over, plus once for the value
// it kept; not-found lag shows its 404s in the refresh.
func (e *accEnv) lagReachedRefresh(c lagRefreshCase, methodID string, armedAt, appliedAt *time.Time) error {
	var write *mockgraph.RequestLogEntry
	log := e.mock.RequestLog(mockgraph.RequestLogFilter{Since: *armedAt})
	for i, r := range log {
		if r.Operation == c.write && r.Status >= 200 && r.Status < 300 {
			write = &log[i]
			break
		}
	}
	if write == nil {
		return fmt.Errorf("no successful %s after the lag was armed", c.write)
	}
	var applyReads, refreshReads, refresh404 int
	for _, r := range log {
		if r.Operation != mockgraph.OpGet || !strings.HasSuffix(strings.ToLower(r.Path), "/"+strings.ToLower(methodID)) || !r.Time.After(write.Time) {
			continue
		}
		if r.Time.Before(*appliedAt) {
			applyReads++
			continue
		}
		refreshReads++
		if r.Status == 404 {
			refresh404++
		}
	}
	var problems []string
	if applyReads != c.applyReads {
		problems = append(problems, fmt.Sprintf("the apply read the phone %d times after the %s; want %d (the lag no longer ends where this case expects)", applyReads, c.write, c.applyReads))
	}
	if refreshReads != lagPastApply+1 {
		problems = append(problems, fmt.Sprintf("the refresh read the phone %d times; want %d lagging reads and then the written value", refreshReads, lagPastApply))
	}
	if c.mode == "not_found" && refresh404 != lagPastApply {
		problems = append(problems, fmt.Sprintf("the refresh met %d 404s; want %d", refresh404, lagPastApply))
	}
	if len(problems) > 0 {
		return fmt.Errorf("the lag did not reach the refresh as intended: %s", strings.Join(problems, "; "))
	}
	return nil
}

// refreshedStateCheck asserts that the plan's prior state (the state the
// refresh produced, which terraform plan does not save) equals Graph, then
// runs check.
type refreshedStateCheck struct {
	e     *accEnv
	check func() error
}

func (c refreshedStateCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if err := c.check(); err != nil {
		resp.Error = err
		return
	}
	// The legacy state shape stateMatchesGraph reads, built by hand
	// (terraform.NewState is not for external use).
	root := &terraform.ModuleState{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{}}
	st := &terraform.State{Modules: []*terraform.ModuleState{root}}
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil || req.Plan.PriorState.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the refresh plan has no prior state")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		attrs := map[string]string{}
		for k, v := range r.AttributeValues {
			if s, ok := v.(string); ok {
				attrs[k] = s
			}
		}
		root.Resources[r.Address] = &terraform.ResourceState{Type: r.Type, Primary: &terraform.InstanceState{ID: attrs["id"], Attributes: attrs}}
	}
	if err := c.e.stateMatchesGraph(st); err != nil {
		resp.Error = fmt.Errorf("refreshed state: %w", err)
	}
}
