package main

import (
	"encoding/json"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// Numbers must be valid for Graph and unique in the tenant (SMS sign-in
// refuses a shared number), and an update must change every one of them.
func TestPhoneNumbers(t *testing.T) {
	seen := map[string]bool{}
	for gen := 0; gen <= 1; gen++ {
		for _, i := range []int{1, 2, 999, 1000, 99999} {
			n := phoneNumber(gen, i)
			if !mockgraph.ValidPhoneNumber(n) {
				t.Errorf("phoneNumber(%d, %d) = %q is not a valid Graph number", gen, i, n)
			}
			if seen[n] {
				t.Errorf("phoneNumber(%d, %d) = %q repeats", gen, i, n)
			}
			seen[n] = true
		}
	}
}

func TestPhonesJSON(t *testing.T) {
	b, err := phonesJSON(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	var l []phoneEntry
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	if len(l) != 3 || l[1].User != userUPN(2) || l[1].Number != phoneNumber(1, 2) {
		t.Errorf("phones.json = %s", b)
	}
}

func TestBenchSeedIsValid(t *testing.T) {
	sd := benchSeed(3)
	if err := sd.Validate(); err != nil {
		t.Fatal(err)
	}
	st := sd.Tenants[0]
	if len(st.Users) != 3 || st.SMSPolicy.State != "enabled" || st.SMSPolicy.IncludeTargets[0].ID != mockgraph.AllUsers || !st.SMSPolicy.IncludeTargets[0].IsUsableForSignIn {
		t.Errorf("seed tenant %+v", st)
	}
}
