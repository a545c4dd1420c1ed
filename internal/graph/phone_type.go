package graph

import (
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// PhoneType is the kind of a user's phone, as Graph spells it. Each has a
// fixed method id, the same for every user, so a phone is addressed by
// (user, phone type) and never needs a lookup.
type PhoneType string

// Phone types as Graph spells them.
const (
	PhoneTypeMobile          PhoneType = "mobile"
	PhoneTypeAlternateMobile PhoneType = "alternateMobile"
	PhoneTypeOffice          PhoneType = "office"
)

// phoneTypes is Graph's order, used for listings, validators and docs.
var phoneTypes = []PhoneType{PhoneTypeMobile, PhoneTypeAlternateMobile, PhoneTypeOffice}

// methodIDs are Graph's fixed phone method ids.
var methodIDs = map[PhoneType]string{
	PhoneTypeMobile:          "3179e48a-750b-4051-897c-87b9720928f7",
	PhoneTypeAlternateMobile: "b6332ec1-7057-4abe-9331-3d72feddfe41",
	PhoneTypeOffice:          "e37fc753-ff3b-4958-9484-eaa9425c82bc",
}

// PhoneTypes lists the phone types in Graph's order.
func PhoneTypes() []PhoneType { return append([]PhoneType(nil), phoneTypes...) }

// PhoneTypeNames lists the phone types in Graph's order as strings, for
// validators and descriptions.
func PhoneTypeNames() []string {
	out := make([]string, len(phoneTypes))
	for i, t := range phoneTypes {
		out[i] = string(t)
	}
	return out
}

// MethodID returns Graph's fixed method id of the phone type, or "" for a
// type Graph does not have.
func (t PhoneType) MethodID() string { return methodIDs[t] }

// Valid reports whether t is one of Graph's phone types (exact spelling).
func (t PhoneType) Valid() bool { _, ok := methodIDs[t]; return ok }

// PhoneTypeNamed returns the phone type name names in any case ("MOBILE"
// is mobile), as Graph spells it; import ids, identities and moved states
// all accept any case.
func PhoneTypeNamed(name string) (PhoneType, bool) {
	for _, t := range phoneTypes {
		if strings.EqualFold(string(t), name) {
			return t, true
		}
	}
	return "", false
}

// PhoneTypeForMethodID returns the phone type of a fixed method id
// (case-insensitive, as Graph ids are GUIDs).
func PhoneTypeForMethodID(methodID string) (PhoneType, bool) {
	for _, t := range phoneTypes {
		if strings.EqualFold(methodIDs[t], methodID) {
			return t, true
		}
	}
	return "", false
}

// model is the SDK's enum value of the phone type.
func (t PhoneType) model() (models.AuthenticationPhoneType, error) {
	switch t {
	case PhoneTypeMobile:
		return models.MOBILE_AUTHENTICATIONPHONETYPE, nil
	case PhoneTypeAlternateMobile:
		return models.ALTERNATEMOBILE_AUTHENTICATIONPHONETYPE, nil
	case PhoneTypeOffice:
		return models.OFFICE_AUTHENTICATIONPHONETYPE, nil
	}
	return 0, fmt.Errorf("unknown phone type %q: expected one of %s", string(t), strings.Join(PhoneTypeNames(), ", "))
}
