package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Read-after-write lag: reads that answer 404 or the value from before
// the write, within the apply and beyond it.

// Read-after-write lag (issue #6): Entra is eventually consistent, so reads
// right after a create, update, enableSmsSignIn or disableSmsSignIn may
// answer 404 or the value from before the write. Whatever the provider
// reads in that window (its own read-backs and, when they do not outlast
// it, the refresh that follows the apply), state must equal Graph and the
// next plan must be empty: lag must
// never cause a phantom difference, a removed resource or a wrong
// sms_sign_in_state.

// lagCase is one write followed by lagging reads of the written phone.
type lagCase struct {
	name  string
	write string // mock operation that arms the lag
	mode  string // not_found or stale
	reads int    // LagReads: how many reads lag (0: limited by time only)
	span  time.Duration
}

// The read counts (at most graph.ReadAfterWriteRetries) are used up by the
// apply's own read-backs where it has them, so these cases prove the
// read-backs wait the lag out; the office created in the create cases is
// not read back, so its lag reaches the refresh. Lag that outlasts the
// read-backs is lagOutlastsApply's. The time spans are Entra-like seconds,
// at least lagMinSpan so that a loaded machine still reads within them.
var lagCases = []lagCase{
	// Stale after a create is a 404 as well: there is no older value.
	{name: "create_not_found_reads", write: mockgraph.OpCreate, mode: "not_found", reads: 2},
	{name: "create_not_found_seconds", write: mockgraph.OpCreate, mode: "not_found", span: lagMinSpan},
	{name: "create_stale_reads", write: mockgraph.OpCreate, mode: "stale", reads: 2},
	{name: "update_stale_reads", write: mockgraph.OpUpdate, mode: "stale", reads: 3},
	{name: "update_stale_seconds", write: mockgraph.OpUpdate, mode: "stale", span: lagMinSpan},
	{name: "update_not_found_reads", write: mockgraph.OpUpdate, mode: "not_found", reads: 2},
	{name: "enable_stale_reads", write: mockgraph.OpEnableSmsSignIn, mode: "stale", reads: 2},
	{name: "enable_stale_seconds", write: mockgraph.OpEnableSmsSignIn, mode: "stale", span: lagMinSpan},
	{name: "enable_not_found_reads", write: mockgraph.OpEnableSmsSignIn, mode: "not_found", reads: 2},
	{name: "disable_stale_reads", write: mockgraph.OpDisableSmsSignIn, mode: "stale", reads: 2},
	{name: "disable_stale_seconds", write: mockgraph.OpDisableSmsSignIn, mode: "stale", span: lagMinSpan},
	{name: "disable_not_found_reads", write: mockgraph.OpDisableSmsSignIn, mode: "not_found", reads: 2},
}

// lagMinSpan is the time-limited lag: long enough that the read-back right
// after the write falls inside it even when 8 parallel tests share two
// cores, shorter than the read-back's retries (1 + 2 + 4 s) so the apply
// still outlasts it.
const lagMinSpan = 5 * time.Second

func TestAccPhoneAuthenticationMethod_readAfterWriteLag(t *testing.T) {
	t.Parallel()
	for _, c := range lagCases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    e.lagSteps(c),
				CheckDestroy:             e.checkTenantWithoutPhones(),
			})
		})
	}
}

// lagPhones are the phones a lag case manages: the mobile, whose SMS
// sign-in is flipped, and an office phone for the create and update cases.
type lagPhones struct {
	mobileNumber, officeNumber string
	sms                        bool
	office                     bool
}

func (e *accEnv) lagConfig(p lagPhones) string {
	blocks := []fmt.Stringer{phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: p.mobileNumber, SMS: boolPtr(p.sms)}}
	if p.office {
		blocks = append(blocks, phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: p.officeNumber})
	}
	return e.config(blocks...)
}

// lagSteps: a setup apply without faults (not for create), the apply whose
// writes arm the lag, then a plan-only step that must be empty and, before
// it, proof that the lagging reads were really served.
func (e *accEnv) lagSteps(c lagCase) []resource.TestStep {
	before := lagPhones{mobileNumber: "+1 5555551234", officeNumber: "+1 5555551236", office: true, sms: true}
	after := before
	// writes is how many writes arm the lag (one per phone written).
	writes := 1
	switch c.write {
	case mockgraph.OpCreate:
		// SMS on at create: a new mobile reads notConfigured, as in real
		// tenants, so SMS sign-in is enabled right away and the enable's
		// read-back also meets the create's lag.
		after.sms = true
		writes = 2
	case mockgraph.OpUpdate:
		after.mobileNumber, after.officeNumber = "+1 5555559999", "+1 5555559998"
		writes = 2
	case mockgraph.OpEnableSmsSignIn:
		before.sms, after.sms = false, true
	case mockgraph.OpDisableSmsSignIn:
		before.sms, after.sms = true, false
	}
	// needed is every write the lagged apply needs: lag must not make the
	// provider repeat one (e.g. re-enable SMS sign-in because a read-back
	// still showed the old number).
	needed := map[string]int{c.write: writes}
	if c.write == mockgraph.OpCreate {
		needed[mockgraph.OpEnableSmsSignIn] = 1
	}
	fault := mockgraph.Fault{ID: "lag", Kind: mockgraph.FaultLag, Match: c.write, LagMode: c.mode, LagReads: c.reads, LagFor: mockgraph.Duration(c.span), Count: writes}

	var steps []resource.TestStep
	if c.write != mockgraph.OpCreate {
		steps = append(steps, resource.TestStep{Config: e.lagConfig(before)})
	}
	var armedAt time.Time
	steps = append(steps,
		resource.TestStep{
			PreConfig: func() {
				e.mock.ClearFaults()
				armedAt = time.Now()
				_, err := e.mock.AddFaults(fault)
				e.must(err)
			},
			Config: e.lagConfig(after),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkLagArmed(writes),
				func(*terraform.State) error { return e.writesSince(armedAt, needed) },
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		resource.TestStep{
			PreConfig: func() {
				e.mock.ClearFaults()
				if err := e.lagReadsServed(c, armedAt); err != nil {
					e.t.Error(err)
				}
			},
			Config:   e.lagConfig(after),
			PlanOnly: true,
		},
		resource.TestStep{
			// State still equals Graph once every lag is over.
			Config: e.lagConfig(after),
		},
	)
	return steps
}

// checkLagArmed asserts that the writes happened and each armed a lag.
func (e *accEnv) checkLagArmed(writes int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, f := range e.mock.Faults() {
			if f.ID == "lag" && f.Remaining != 0 {
				return fmt.Errorf("lag fault armed by %d of %d writes", writes-f.Remaining, writes)
			}
		}
		return nil
	}
}

// writesSince asserts that Graph was sent exactly the needed writes since
// t, each answered with success.
func (e *accEnv) writesSince(t time.Time, needed map[string]int) error {
	got := map[string]int{}
	for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Since: t}) {
		if r.Method != "GET" {
			got[fmt.Sprintf("%s %d", r.Operation, r.Status)]++
		}
	}
	want := map[string]int{}
	for op, n := range needed {
		status := 204
		if op == mockgraph.OpCreate {
			status = 201
		}
		want[fmt.Sprintf("%s %d", op, status)] = n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("writes since the lag was armed: %v; want %v", got, want)
	}
	return nil
}

// lagReadsServed proves the lag was met: for read-limited lag, each written
// phone was read after its write at least as many times as the lag lasts
// (so every lagging response reached the provider); for time-limited lag,
// some read fell inside it; not-found lag shows its 404s.
func (e *accEnv) lagReadsServed(c lagCase, since time.Time) error {
	log := e.mock.RequestLog(mockgraph.RequestLogFilter{Since: since})
	var writes []mockgraph.RequestLogEntry
	for _, r := range log {
		if r.Operation == c.write && r.Status >= 200 && r.Status < 300 {
			writes = append(writes, r)
		}
	}
	if len(writes) == 0 {
		return fmt.Errorf("no successful %s after the lag was armed", c.write)
	}
	if c.write == mockgraph.OpCreate {
		// Creates are serialised per user: the first one precedes every read.
		writes = writes[:1]
	}
	var problems []string
	inSpan := 0
	for _, w := range writes {
		for _, phone := range lagPhonePaths(w, c.write) {
			lagging := 0
			for _, r := range log {
				if r.Operation != mockgraph.OpGet || !strings.EqualFold(r.Path, phone) || !r.Time.After(w.Time) {
					continue
				}
				if c.span > 0 && r.Time.After(w.Time.Add(c.span)) {
					continue
				}
				lagging++
			}
			inSpan += lagging
			if c.reads > 0 && lagging < c.reads {
				problems = append(problems, fmt.Sprintf("%s was read %d times while lagging after the %s; want at least %d", phone, lagging, c.write, c.reads))
			}
		}
	}
	if c.span > 0 && inSpan == 0 {
		// Time-limited lag: a phone read only after it ended saw none, so
		// only require that some read fell inside it.
		problems = append(problems, fmt.Sprintf("no phone was read within %s after the %s", c.span, c.write))
	}
	if c.mode == "not_found" {
		if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Since: since, Operation: mockgraph.OpGet, Status: 404})); n == 0 {
			problems = append(problems, "no read answered 404")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the lag was not exercised: %s", strings.Join(problems, "; "))
	}
	return nil
}

// lagPhonePaths are the get paths of the phones a write changed: the
// write's own path without the action; a create is posted to the
// collection, so each created phone is read after the first create (a
// phone cannot be read before its own create, which comes later).
func lagPhonePaths(w mockgraph.RequestLogEntry, write string) []string {
	switch write {
	case mockgraph.OpCreate:
		return []string{w.Path + "/" + mobileMethodID, w.Path + "/" + officeMethodID}
	case mockgraph.OpEnableSmsSignIn, mockgraph.OpDisableSmsSignIn:
		return []string{w.Path[:strings.LastIndex(w.Path, "/")]}
	}
	return []string{w.Path}
}

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
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
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
		{Config: e.lagConfig(before)},
		{
			PreConfig: func() {
				e.mock.ClearFaults()
				armedAt = time.Now()
				_, err := e.mock.AddFaults(fault)
				e.must(err)
			},
			Config: e.lagConfig(after),
			Check: resource.ComposeAggregateTestCheckFunc(
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
