package main

import (
	"fmt"
	"strings"
)

// The demo app registered in examples/demo/mockgraph-seed.json.
const (
	demoClientID     = "3a9c1f27-8e4d-4b6a-9f0e-1d2c3b4a0d01"
	demoClientSecret = "demo-client-secret-not-for-production"
)

// Graph's fixed method ids (the same for every user).
const (
	mobileMethodID = "3179e48a-750b-4051-897c-87b9720928f7"
	officeMethodID = "e37fc753-ff3b-4958-9484-eaa9425c82bc"
)

// driftTenant makes five changes an administrator might make by hand.
func (w *workspace) driftTenant() error {
	tenant := w.Mock.Tenants()[0].ID
	changes := []struct {
		what string
		fn   func() error
	}{
		{"disable SMS sign-in on adele's mobile", func() error {
			return w.Mock.SetSMSSignInOutOfBand(tenant, "adele@fabrikam.onmicrosoft.com", mobileMethodID, false)
		}},
		{"change carlos's mobile number to +1 5555550999", func() error {
			return w.Mock.SetPhoneNumberOutOfBand(tenant, "carlos@fabrikam.onmicrosoft.com", mobileMethodID, "+1 5555550999")
		}},
		{"delete bianca's office phone", func() error {
			return w.Mock.DeletePhoneMethodOutOfBand(tenant, "bianca@fabrikam.onmicrosoft.com", officeMethodID)
		}},
		{"remove the excluded group from the SMS policy", func() error {
			p, err := w.Mock.SMSPolicy(tenant)
			if err != nil {
				return err
			}
			p.ExcludeTargets = nil
			return w.Mock.SetSMSPolicy(tenant, p)
		}},
		{"allow every passkey model (turn the AAGUID allow-list off)", func() error {
			return w.Mock.SetMethodConfiguration(tenant, "Fido2", map[string]any{"keyRestrictions": map[string]any{"isEnforced": false}})
		}},
	}
	for _, c := range changes {
		fmt.Println("-", c.what)
		if err := c.fn(); err != nil {
			return fmt.Errorf("%s: %w", c.what, err)
		}
	}
	return nil
}

// expectEmptyTenant proves destroy left nothing behind in Graph.
func (w *workspace) expectEmptyTenant() error {
	tenant := w.Mock.Tenants()[0].ID
	users, err := w.Mock.Users(tenant)
	if err != nil {
		return err
	}
	var left []string
	for _, u := range users {
		for _, m := range u.PhoneMethods {
			left = append(left, fmt.Sprintf("%s %s", u.UserPrincipalName, m.PhoneType))
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("phone methods left in the tenant after destroy: %s", strings.Join(left, ", "))
	}
	fmt.Printf("%d users, 0 phone methods\n", len(users))
	// Destroy never changes the SMS policy: users who sign in by text
	// message must not be locked out by a destroy.
	p, err := w.Mock.SMSPolicy(tenant)
	if err != nil {
		return err
	}
	if p.State != "enabled" {
		return fmt.Errorf("destroy changed the SMS policy to %q; it must leave it as it was", p.State)
	}
	fmt.Printf("SMS policy left as it was: %s, %d include target(s)\n", p.State, len(p.IncludeTargets))
	fido2, err := w.Mock.MethodConfiguration(tenant, "Fido2")
	if err != nil {
		return err
	}
	if fido2["state"] != "enabled" {
		return fmt.Errorf("destroy changed the passkey (FIDO2) configuration to %v; it must leave it as it was", fido2["state"])
	}
	fmt.Printf("passkey (FIDO2) configuration left as it was: %v\n", fido2["state"])
	return nil
}
