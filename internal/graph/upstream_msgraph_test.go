package graph

import (
	"strings"
	"testing"

	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// TestSDKEmailMethodModelSendsODataType holds UPSTREAM.md entry 6: the
// SDK's email method model writes "@odata.type" into every request body,
// which Graph was reported to refuse in a PATCH, so the email method is
// written as JSON of its own (emailMethodBody). When this fails, the model
// no longer adds it and the workaround can go.
func TestSDKEmailMethodModelSendsODataType(t *testing.T) {
	m := models.NewEmailAuthenticationMethod()
	address := "adele@contoso.com"
	m.SetEmailAddress(&address)
	w := jsonserialization.NewJsonSerializationWriter()
	if err := w.WriteObjectValue("", m); err != nil {
		t.Fatal(err)
	}
	b, err := w.GetSerializedContent()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"@odata.type"`) {
		t.Fatalf("msgraph-sdk-go's EmailAuthenticationMethod no longer writes @odata.type (%s): emailMethodBody's own JSON is not needed any more (UPSTREAM.md entry 6)", b)
	}
	raw, err := emailMethodBody("adele@contoso.com")
	if err != nil || string(raw) != `{"emailAddress":"adele@contoso.com"}` {
		t.Fatalf("emailMethodBody = %s, %v", raw, err)
	}
}

var _ serialization.Parsable = (*models.EmailAuthenticationMethod)(nil)
