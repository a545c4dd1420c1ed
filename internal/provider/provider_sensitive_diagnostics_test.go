package provider

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

func TestSensitiveAttributesMatchSchema(t *testing.T) {
	t.Parallel()
	var sr provider.SchemaResponse
	newProvider("test", nil, nil).Schema(context.Background(), provider.SchemaRequest{}, &sr)
	for _, st := range providerSettings {
		a, ok := sr.Schema.Attributes[st.name]
		if !ok {
			t.Errorf("%s is in providerSettings but not in the schema", st.name)
			continue
		}
		if a.IsSensitive() != st.sensitive || isSensitive(st.name) != st.sensitive {
			t.Errorf("%s: schema Sensitive is %v, providerSettings says %v", st.name, a.IsSensitive(), st.sensitive)
		}
	}
	for name, a := range sr.Schema.Attributes {
		if _, ok := settingNamed(name); !ok {
			t.Errorf("%s (Sensitive %v) is in the schema but not in providerSettings", name, a.IsSensitive())
		}
	}
}

// TestSensitiveAttributeErrorsHaveNoPath: Terraform prints the configuration
// line an attribute error points at, so errors about secrets must not
// point at them, and their text must not quote the value.
func TestSensitiveAttributeErrorsHaveNoPath(t *testing.T) {
	t.Parallel()
	pfx, _ := acctest.NewClientCertificate(t, "right-password")
	pfxBase64 := base64.StdEncoding.EncodeToString(pfx)
	base := map[string]any{attrTenantID: tenant, attrClientID: client}
	files := map[string][]byte{"/secret": []byte("file-secret")}
	for _, tc := range []struct {
		name    string
		attrs   map[string]any
		summary string
		secret  string
	}{
		{"secret and secret file", withAttrs(base, attrClientSecret, "literal-secret-1", attrClientSecretFilePath, "/secret"), "Conflicting provider configuration", "literal-secret-1"},
		{"certificate not base64", withAttrs(base, attrClientCertificate, "not base64 !!secret-ish"), "Invalid client certificate", "secret-ish"},
		{"certificate not PKCS#12", withAttrs(base, attrClientCertificate, base64.StdEncoding.EncodeToString([]byte("junk-archive-bytes"))), "Invalid client certificate", "anVuay1hcmNoaXZl"},
		{"wrong certificate password", withAttrs(base, attrClientCertificate, pfxBase64, attrClientCertificatePassword, "wrong-password-7"), "Client certificate password", "wrong-password-7"},
		{"missing certificate password", withAttrs(base, attrClientCertificate, pfxBase64), "Client certificate password", pfxBase64[:40]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := configure(t, testProvider(nil, files), tc.attrs).Diagnostics
			requireError(t, d, tc.summary)
			for _, x := range d {
				if wp, ok := x.(diag.DiagnosticWithPath); ok && isSensitive(wp.Path().String()) {
					t.Errorf("%q points at the sensitive attribute %s", x.Summary(), wp.Path())
				}
			}
			if strings.Contains(diagText(d), tc.secret) {
				t.Errorf("diagnostics quote the secret: %s", diagText(d))
			}
		})
	}
}
