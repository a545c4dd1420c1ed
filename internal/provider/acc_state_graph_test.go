package provider

import (
	"testing"

	"fmt"
	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// stateMatchesGraph is the harness's state == Graph check
// (acctest.StateMatchesGraph), for tests that run terraform themselves
// rather than through acctest.Test.
func (e *accEnv) stateMatchesGraph(s *terraform.State) error {
	return acctest.StateMatchesGraph(e.m, s, nil)
}

// test runs tc through the one acceptance harness (acctest.Test) against
// this env's mock.
func (e *accEnv) test(t *testing.T, tc resource.TestCase, opts ...acctest.Option) {
	t.Helper()
	acctest.Test(t, e.m, tc, opts...)
}

// checkTenantWithoutPhones asserts no user of the tenant has a phone left
// (CheckDestroy of the fault suites).
func (e *accEnv) checkTenantWithoutPhones() func(*terraform.State) error {
	return func(*terraform.State) error {
		users, err := e.mock.Users(e.tenant)
		if err != nil {
			return err
		}
		for _, u := range users {
			if len(u.PhoneMethods) > 0 {
				return fmt.Errorf("Graph still has %s's phones %+v", u.UserPrincipalName, u.PhoneMethods)
			}
		}
		return nil
	}
}
