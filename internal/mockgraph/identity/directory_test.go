package identity

import (
	"testing"
)

func TestAddTenantAndApp(t *testing.T) {
	c := testCerts(t)
	a := New(Options{})
	must(t, a.AddTenant(Tenant{ID: tenantID, Domain: tenantDomain}))
	must(t, a.AddTenant(Tenant{ID: tenantID, Domain: tenantDomain})) // idempotent

	tests := []struct {
		name string
		add  func() error
		ok   bool
	}{
		{"tenant without id", func() error { return a.AddTenant(Tenant{Domain: "x.onmicrosoft.com"}) }, false},
		{"tenant id with a slash", func() error { return a.AddTenant(Tenant{ID: "a/b"}) }, false},
		{"domain owned by another tenant", func() error { return a.AddTenant(Tenant{ID: otherTenant, Domain: tenantDomain}) }, false},
		{"domain equal to another tenant's id", func() error { return a.AddTenant(Tenant{ID: otherTenant, Domain: tenantID}) }, false},
		{"app in unknown tenant", func() error { return a.AddApp(App{TenantID: otherTenant, ClientID: secretApp}) }, false},
		{"app without client id", func() error { return a.AddApp(App{TenantID: tenantID}) }, false},
		{"app with a bad certificate", func() error {
			return a.AddApp(App{TenantID: tenantID, ClientID: certApp, Certificates: []string{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}})
		}, false},
		{"app with no PEM", func() error {
			return a.AddApp(App{TenantID: tenantID, ClientID: certApp, Certificates: []string{"hello"}})
		}, false},
		{"federated credential without subject", func() error {
			return a.AddApp(App{TenantID: tenantID, ClientID: fedApp, FederatedCredentials: []FederatedCredential{{Issuer: "https://x"}}})
		}, false},
		{"app by tenant domain", func() error { return a.AddApp(App{TenantID: tenantDomain, ClientID: secretApp}) }, true},
		{"app with certificate", func() error {
			return a.AddApp(App{TenantID: tenantID, ClientID: certApp, Certificates: []string{c[0].pem}})
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.add(); (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}

	if tn, ok := a.LookupTenant("CONTOSO.onmicrosoft.com"); !ok || tn.ID != tenantID {
		t.Fatalf("LookupTenant by domain = %+v, %v", tn, ok)
	}
	oid, ok := a.ServicePrincipalID(tenantDomain, secretApp)
	if !ok || oid == "" {
		t.Fatal("no service principal id")
	}
	must(t, a.AddApp(App{TenantID: tenantID, ClientID: secretApp, Roles: []string{roleWrite}}))
	if again, _ := a.ServicePrincipalID(tenantID, secretApp); again != oid {
		t.Fatal("re-registering an app changed its object id")
	}
	must(t, a.RemoveApp(tenantDomain, secretApp))
	if _, ok := a.ServicePrincipalID(tenantID, secretApp); ok {
		t.Fatal("removed app still registered")
	}
	if err := a.RemoveApp(tenantID, secretApp); err == nil {
		t.Fatal("removing twice succeeded")
	}
	if err := a.RemoveApp("nope", secretApp); err == nil {
		t.Fatal("removing from an unknown tenant succeeded")
	}
	// A tenant can move to a new domain; the old one stops resolving.
	must(t, a.AddTenant(Tenant{ID: tenantID, Domain: "contoso.example"}))
	if _, ok := a.LookupTenant(tenantDomain); ok {
		t.Fatal("old domain still resolves")
	}
}

func TestAddAppCopiesInput(t *testing.T) {
	a := New(Options{})
	a.SetBaseURL("https://127.0.0.1:1")
	must(t, a.AddTenant(Tenant{ID: tenantID}))
	roles := []string{roleWrite}
	must(t, a.AddApp(App{TenantID: tenantID, ClientID: secretApp, Roles: roles}))
	roles[0] = "Directory.ReadWrite.All" // the caller's later change must not leak in
	tok, err := a.MintAppToken(tenantID, secretApp, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := (&fixture{base: "https://127.0.0.1:1"}).graphRequest(tok)
	p, err := a.Authenticate(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Roles) != 1 || p.Roles[0] != roleWrite {
		t.Fatalf("roles = %v", p.Roles)
	}
}
