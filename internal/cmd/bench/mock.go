package main

import (
	"fmt"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

// The benchmark tenant and app registration exist only inside the mock;
// the secret is a fixed bench value, never a real credential.
const (
	benchTenantID     = "5b3e9c1d-0000-4e8d-9a6b-00000000be01"
	benchDomain       = "bench.onmicrosoft.com"
	benchClientID     = "5b3e9c1d-0000-4b6a-9f0e-00000000c1e1"
	benchClientSecret = "bench-client-secret-not-for-production"
)

// userUPN is the n-th (1-based) benchmark user.
func userUPN(n int) string { return fmt.Sprintf("user%05d@%s", n, benchDomain) }

// benchSeed is a tenant with users users and no phones, whose SMS policy
// lets every user sign in with SMS (all_users, isUsableForSignIn).
func benchSeed(users int) *mockgraph.Seed {
	st := mockgraph.SeedTenant{
		ID:     benchTenantID,
		Domain: benchDomain,
		Apps: []identity.App{{
			ClientID:    benchClientID,
			DisplayName: "terraform (bench)",
			Secrets:     []string{benchClientSecret},
			Roles:       []string{"UserAuthenticationMethod.ReadWrite.All", "User.Read.All", "GroupMember.Read.All"},
		}},
		SMSPolicy: &mockgraph.SMSPolicy{
			State:          "enabled",
			IncludeTargets: []mockgraph.SMSIncludeTarget{{ID: mockgraph.AllUsers, TargetType: "group", IsUsableForSignIn: true}},
		},
	}
	for i := 1; i <= users; i++ {
		st.Users = append(st.Users, mockgraph.SeedUser{User: mockgraph.User{
			UserPrincipalName: userUPN(i),
			DisplayName:       fmt.Sprintf("Bench user %d", i),
		}})
	}
	return &mockgraph.Seed{Tenants: []mockgraph.SeedTenant{st}}
}

// benchApp is the app registration the provider signs in as.
var benchApp = tfharness.App{TenantID: benchTenantID, ClientID: benchClientID, ClientSecret: benchClientSecret}

// mockOptions serve the bench tenant on an OS-chosen loopback port. The
// mock's default write and read budgets apply until the throttled scenario
// scales them down.
func mockOptions(users int, latency time.Duration) mockgraph.Options {
	budget, reads := mockgraph.GraphWriteBudget, mockgraph.GraphReadBudget
	return mockgraph.Options{
		Addr:        "127.0.0.1:0",
		Seed:        benchSeed(users),
		Latency:     latency,
		WriteBudget: &budget,
		ReadBudget:  &reads,
		// Room for the largest run's requests: each stage reads the log and
		// resets it, but a throttled stage logs every 429 as well.
		RequestLogLimit: 1_000_000,
	}
}

// mobileState counts, from the mock's own view, how many of the first n
// users have a mobile phone with the wanted number prefix, and how many of
// those are ready for SMS sign-in.
func mobileState(srv *mockgraph.Server, n int, number func(int) string) (withNumber, ready, total int, err error) {
	for i := 1; i <= n; i++ {
		pms, err := srv.PhoneMethods(benchTenantID, userUPN(i))
		if err != nil {
			return 0, 0, 0, err
		}
		for _, pm := range pms {
			total++
			if pm.PhoneType == "mobile" && pm.PhoneNumber == number(i) {
				withNumber++
				if pm.SMSSignInState == "ready" {
					ready++
				}
			}
		}
	}
	return withNumber, ready, total, nil
}
