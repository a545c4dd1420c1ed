package provider

import (
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

func TestParseImportID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, wantUser, wantType string
	}{
		{"adele@contoso.com/mobile", "adele@contoso.com", "mobile"},
		{"adele@contoso.com/alternateMobile", "adele@contoso.com", "alternateMobile"},
		{"adele@contoso.com/ALTERNATEMOBILE", "adele@contoso.com", "alternateMobile"},
		{"00000000-0000-0000-0000-000000000001/office", "00000000-0000-0000-0000-000000000001", "office"},
		{"adele@contoso.com/3179e48a-750b-4051-897c-87b9720928f7", "adele@contoso.com", "mobile"},
		{"adele@contoso.com/B6332EC1-7057-4ABE-9331-3D72FEDDFE41", "adele@contoso.com", "alternateMobile"},
		{"u/e37fc753-ff3b-4958-9484-eaa9425c82bc", "u", "office"},
	}
	for _, tt := range tests {
		user, typ, err := parseImportID(tt.id)
		if err != nil || user != tt.wantUser || string(typ) != tt.wantType {
			t.Errorf("parseImportID(%q) = %q, %q, %v; want %q, %q", tt.id, user, typ, err, tt.wantUser, tt.wantType)
		}
	}
}

func TestParseImportIDErrors(t *testing.T) {
	t.Parallel()
	for _, id := range []string{
		"", "adele@contoso.com", "/mobile", "adele@contoso.com/", "a/b/mobile",
		"adele@contoso.com/pager", "adele@contoso.com/00000000-0000-0000-0000-000000000000",
		" adele@contoso.com/mobile", "adele@contoso.com/mobile ",
	} {
		_, _, err := parseImportID(id)
		if err == nil {
			t.Errorf("parseImportID(%q) succeeded; want an error", id)
			continue
		}
		msg := err.Error()
		for _, want := range []string{`"{user_id}/{phone_type}"`, `"{user_id}/{method_id}"`, "adele@contoso.com/mobile", "/3179e48a-750b-4051-897c-87b9720928f7", "mobile, alternateMobile, office"} {
			if !strings.Contains(msg, want) {
				t.Errorf("parseImportID(%q) error %q does not contain %q", id, msg, want)
			}
		}
	}
}

func TestImportIDRoundTrip(t *testing.T) {
	t.Parallel()
	for _, typ := range graph.PhoneTypes() {
		user, got, err := parseImportID(importID("adele@contoso.com", typ))
		if err != nil || user != "adele@contoso.com" || got != typ {
			t.Errorf("round trip of %s: %q %q %v", typ, user, got, err)
		}
	}
}
