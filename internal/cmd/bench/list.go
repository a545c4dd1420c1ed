package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// listResult is the listing scenario: `terraform query` with the list
// resource over every user of a tenant, at Graph's read budget.
type listResult struct {
	Users     int    `json:"users"`
	Found     int    `json:"phones_found"`
	Terraform string `json:"terraform_version"`

	WallMS float64 `json:"wall_ms"`
	// Requests by kind: user pages, per-user phone reads, and 429 answers
	// (retried) among them.
	UserPages   int `json:"user_pages"`
	PhoneReads  int `json:"phone_reads"`
	Throttled   int `json:"throttled_429"`
	OtherErrors int `json:"other_errors"`

	// FloorMS is what the read budget alone allows: reads beyond the full
	// bucket at its refill rate, plus one latency per page (pages are read
	// one after the other).
	FloorMS         float64 `json:"read_budget_floor_ms"`
	ProviderPeakRSS int64   `json:"provider_peak_rss_bytes"`
	ProviderCPUMS   float64 `json:"provider_cpu_ms"`
}

// print is the listing's part of the result table.
func (r *listResult) print(b *strings.Builder) {
	fmt.Fprintf(b, "\nlisting (terraform query, all_users, %s, read budget %d per %s):\n",
		r.Terraform, mockgraph.GraphReadBudget.Capacity, time.Duration(mockgraph.GraphReadBudget.Window))
	fmt.Fprintf(b, "  %d users, %d phones found in %.1f s; requests: %d user pages, %d phone reads, %d answered 429 (retried), %d other errors\n",
		r.Users, r.Found, r.WallMS/1000, r.UserPages, r.PhoneReads, r.Throttled, r.OtherErrors)
	fmt.Fprintf(b, "  read budget floor %.1f s, wall/floor %.2f; provider peak RSS %s, provider CPU %.0f ms (%.2f ms per user)\n",
		r.FloorMS/1000, r.WallMS/max(r.FloorMS, 1), formatBytes(r.ProviderPeakRSS), r.ProviderCPUMS, r.ProviderCPUMS/float64(max(r.Users, 1)))
}

// listingScenario gives every one of users users (generated beyond the
// ones the tenant has) a mobile phone, restores Graph's read budget, and
// runs `terraform query` over all users with tfQuery, which must be
// Terraform 1.14+.
func listingScenario(ctx context.Context, srv *mockgraph.Server, latency time.Duration, users int, tfQuery string, env []string, root, logs string) (*listResult, error) {
	version, err := queryTerraformVersion(ctx, tfQuery)
	if err != nil {
		return nil, err
	}
	have, err := srv.Users(benchTenantID)
	if err != nil {
		return nil, err
	}
	if len(have) < users {
		if _, err := srv.GenerateUsers(benchTenantID, mockgraph.GenerateUsers{Count: users - len(have), Start: len(have) + 1, UPNPattern: "user%05d@" + benchDomain}); err != nil {
			return nil, err
		}
	}
	for i := 1; i <= users; i++ {
		if err := srv.SetPhoneMethodOutOfBand(benchTenantID, userUPN(i), "mobile", fmt.Sprintf("+1 555%07d", i), false); err != nil {
			return nil, err
		}
	}
	srv.SetReadBudget(mockgraph.GraphReadBudget)
	ws := newWorkspace(root, "list", tfQuery, env, logs)
	dir := ws.dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	main := "terraform {\n  required_providers {\n    entraauth = {\n      source = \"entraauth/entraauth\"\n    }\n  }\n}\n\nprovider \"entraauth\" {}\n"
	query := fmt.Sprintf("list \"entraauth_phone_authentication_method\" \"everyone\" {\n  provider = entraauth\n  limit    = %d\n  config {\n    all_users = true\n  }\n}\n", users*3)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "everyone.tfquery.hcl"), []byte(query), 0o644); err != nil {
		return nil, err
	}

	srv.ResetRequestLog()
	r, err := ws.terraform(ctx, "query", "-no-color", "-json")
	if err != nil {
		return nil, err
	}
	if err := r.mustSucceed(); err != nil {
		return nil, err
	}
	res := &listResult{Users: users, Terraform: version, WallMS: ms(r.Wall), ProviderPeakRSS: r.Provider.PeakBytes, ProviderCPUMS: ms(r.Provider.CPU)}
	res.Found, err = countQueryResults(r.LogFile)
	if err != nil {
		return nil, err
	}
	for _, e := range srv.RequestLog() {
		switch {
		case e.Status == http.StatusTooManyRequests:
			res.Throttled++
		case e.Status >= 400:
			res.OtherErrors++
		case e.Operation == mockgraph.OpUserList:
			res.UserPages++
		case e.Operation == mockgraph.OpList:
			res.PhoneReads++
		}
	}
	b := mockgraph.GraphReadBudget
	rate := float64(b.Capacity) / time.Duration(b.Window).Seconds() // reads per second once the bucket is empty
	beyond := max(0, res.UserPages+res.PhoneReads-b.Capacity)
	res.FloorMS = float64(beyond)/rate*1000 + float64(res.UserPages)*ms(latency)
	return res, nil
}

// countQueryResults counts the list results in `terraform query -json`
// output: one "list_resource_found" message per phone.
func countQueryResults(logFile string) (int, error) {
	b, err := os.ReadFile(logFile)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		var msg struct {
			Type string `json:"type"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "list_resource_found" {
			n++
		}
	}
	return n, nil
}

// queryTerraformVersion checks that tf can run terraform query (1.14+).
func queryTerraformVersion(ctx context.Context, tf string) (string, error) {
	out, err := exec.CommandContext(ctx, tf, "version", "-json").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w (the listing needs Terraform 1.14+: pass -query-terraform, or make terraform-newest)", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return "", err
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil || major < 1 || (major == 1 && minor < 14) {
		return "", fmt.Errorf("%s is Terraform %s; the listing needs 1.14+ (terraform query)", tf, v.Version)
	}
	return "Terraform " + v.Version, nil
}
