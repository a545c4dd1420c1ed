package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// A user's methods are read as Graph's JSON, not as msgraph-sdk-go's
// models: a tenant returns method types the SDK does not model (they must
// be listed, not dropped or refused), and only a few properties of each
// type are kept. The requests are still built by msgraph-sdk-go's request
// builders and sent through its adapter, as the policy reads are
// (method_configurations.go).

// ListAuthenticationMethodsPermissions are the application (or delegated)
// permissions with which Graph lets the provider list another user's
// methods, least privileged first (Graph's "List methods" page).
var ListAuthenticationMethodsPermissions = []string{"UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"}

// ListAuthenticationMethodsRoles are the Entra roles a signed-in user needs
// to list another user's methods with a delegated permission.
var ListAuthenticationMethodsRoles = []string{"Global Reader", "Authentication Administrator", "Privileged Authentication Administrator"}

// AuthenticationMethod is one of a user's authentication methods. The
// type-specific fields are nil for every other type, and for their own
// type when Graph left them out; a type this provider does not know has
// only ID, Type, DisplayName and CreatedDateTime.
type AuthenticationMethod struct {
	ID string
	// Type is the @odata.type without "#microsoft.graph.", e.g.
	// "fido2AuthenticationMethod".
	Type string
	// DisplayName is set for the types Graph names (FIDO2 keys,
	// Authenticator devices, Windows Hello and platform credentials).
	DisplayName     *string
	CreatedDateTime *time.Time

	// Phone.
	PhoneType      *string
	PhoneNumber    *string
	SMSSignInState *string
	// Email.
	EmailAddress *string
	// FIDO2.
	AAGUID *string
	Model  *string
	// Microsoft Authenticator.
	DeviceTag       *string
	PhoneAppVersion *string
	// Windows Hello for Business and platform credential.
	KeyStrength *string
	// Temporary Access Pass (never the pass itself).
	IsUsable              *bool
	MethodUsabilityReason *string
	LifetimeInMinutes     *int64
}

// Method types as Graph spells them (without "#microsoft.graph.").
const (
	MethodTypePassword              = "passwordAuthenticationMethod"
	MethodTypePhone                 = "phoneAuthenticationMethod"
	MethodTypeEmail                 = "emailAuthenticationMethod"
	MethodTypeFido2                 = "fido2AuthenticationMethod"
	MethodTypeAuthenticator         = "microsoftAuthenticatorAuthenticationMethod"
	MethodTypeWindowsHello          = "windowsHelloForBusinessAuthenticationMethod"
	MethodTypeSoftwareOath          = "softwareOathAuthenticationMethod"
	MethodTypeTemporaryAccessPass   = "temporaryAccessPassAuthenticationMethod"
	MethodTypePlatformCredential    = "platformCredentialAuthenticationMethod"
	methodTypeBase                  = "authenticationMethod"
	odataTypePrefix                 = "#microsoft.graph."
	odataTypePrefixWithoutHash      = "microsoft.graph."
	createdDateTimeProperty         = "createdDateTime"
	createdDateTimePropertyFormerly = "creationDateTime"
)

// methodField reads one Graph property into an AuthenticationMethod.
type methodField func(m *AuthenticationMethod, obj map[string]any)

// methodFields is the one list of which properties are read for which
// type: a property of another type, or of a type not listed, is ignored.
var methodFields = map[string][]methodField{
	MethodTypePassword: nil,
	MethodTypePhone: {
		stringProperty("phoneType", func(m *AuthenticationMethod) **string { return &m.PhoneType }),
		stringProperty("phoneNumber", func(m *AuthenticationMethod) **string { return &m.PhoneNumber }),
		stringProperty("smsSignInState", func(m *AuthenticationMethod) **string { return &m.SMSSignInState }),
	},
	MethodTypeEmail: {
		stringProperty("emailAddress", func(m *AuthenticationMethod) **string { return &m.EmailAddress }),
	},
	MethodTypeFido2: {
		stringProperty("aaGuid", func(m *AuthenticationMethod) **string { return &m.AAGUID }),
		stringProperty("model", func(m *AuthenticationMethod) **string { return &m.Model }),
	},
	MethodTypeAuthenticator: {
		stringProperty("deviceTag", func(m *AuthenticationMethod) **string { return &m.DeviceTag }),
		stringProperty("phoneAppVersion", func(m *AuthenticationMethod) **string { return &m.PhoneAppVersion }),
	},
	MethodTypeWindowsHello: {
		stringProperty("keyStrength", func(m *AuthenticationMethod) **string { return &m.KeyStrength }),
	},
	MethodTypePlatformCredential: {
		stringProperty("keyStrength", func(m *AuthenticationMethod) **string { return &m.KeyStrength }),
	},
	MethodTypeSoftwareOath: nil,
	// temporaryAccessPass is deliberately not read: Graph returns the pass
	// only in the answer to its creation, and it must not reach state.
	MethodTypeTemporaryAccessPass: {
		boolProperty("isUsable", func(m *AuthenticationMethod) **bool { return &m.IsUsable }),
		stringProperty("methodUsabilityReason", func(m *AuthenticationMethod) **string { return &m.MethodUsabilityReason }),
		int64Property("lifetimeInMinutes", func(m *AuthenticationMethod) **int64 { return &m.LifetimeInMinutes }),
	},
}

// KnownMethodTypes are the types whose own properties the provider reads,
// sorted.
func KnownMethodTypes() []string {
	out := make([]string, 0, len(methodFields))
	for t := range methodFields {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// KnownMethodType reports whether the provider reads type-specific
// properties of t (a type it does not know is still listed).
func KnownMethodType(t string) bool {
	_, ok := methodFields[t]
	return ok
}

// ListAuthenticationMethods returns all of a user's authentication methods
// (GET /users/{id}/authentication/methods) in Graph's order, every type
// included, following @odata.nextLink when Graph pages. Each page is one
// operation with its own retries. An unknown user gives an error for which
// IsNotFound is true.
func (c *Client) ListAuthenticationMethods(ctx context.Context, userID string) ([]AuthenticationMethod, error) {
	const op = "list authentication methods"
	if strings.TrimSpace(userID) == "" {
		return nil, &Error{Operation: op, Message: "user id must not be empty"}
	}
	out := []AuthenticationMethod{}
	link := ""
	for page := 1; ; page++ {
		pageOp := op
		if page > 1 {
			pageOp = fmt.Sprintf("%s (page %d)", op, page)
		}
		var body PolicyJSON
		err := c.run(ctx, pageOp, retryPolicy{}, func(ctx context.Context) error {
			var req *abstractions.RequestInformation
			var err error
			if link == "" {
				req, err = users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).
					ByUserId(userID).Authentication().Methods().ToGetRequestInformation(ctx, nil)
			} else {
				req, err = users.NewItemAuthenticationMethodsRequestBuilder(link, c.adapter).ToGetRequestInformation(ctx, nil)
			}
			if err != nil {
				return err
			}
			body, err = c.sendForJSON(ctx, req)
			return err
		})
		if err != nil {
			return nil, err
		}
		values, _ := body["value"].([]any)
		for _, v := range values {
			if obj, ok := v.(map[string]any); ok {
				out = append(out, authenticationMethodFromJSON(obj))
			}
		}
		link, _ = body["@odata.nextLink"].(string)
		if link == "" {
			return out, nil
		}
		if err := c.checkNextLink(op, link); err != nil {
			return nil, err
		}
	}
}

// authenticationMethodFromJSON reads one element of Graph's value array:
// the common properties of every type, and the listed properties of the
// known types. A property of the wrong JSON type is left nil.
func authenticationMethodFromJSON(obj map[string]any) AuthenticationMethod {
	m := AuthenticationMethod{Type: methodType(obj["@odata.type"])}
	m.ID, _ = obj["id"].(string)
	m.DisplayName = stringOf(obj["displayName"])
	created := obj[createdDateTimeProperty]
	if created == nil {
		created = obj[createdDateTimePropertyFormerly] // as Graph's own "List methods" example spells it
	}
	m.CreatedDateTime = timeOf(created)
	for _, f := range methodFields[m.Type] {
		f(&m, obj)
	}
	return m
}

// methodType is the @odata.type without its namespace; the base type when
// Graph left it out.
func methodType(v any) string {
	s, _ := v.(string)
	s = strings.TrimPrefix(s, "#")
	if strings.HasPrefix(strings.ToLower(s), odataTypePrefixWithoutHash) {
		s = s[len(odataTypePrefixWithoutHash):]
	}
	if s == "" {
		return methodTypeBase
	}
	return s
}

func stringProperty(name string, field func(*AuthenticationMethod) **string) methodField {
	return func(m *AuthenticationMethod, obj map[string]any) { *field(m) = stringOf(obj[name]) }
}

func boolProperty(name string, field func(*AuthenticationMethod) **bool) methodField {
	return func(m *AuthenticationMethod, obj map[string]any) {
		if b, ok := obj[name].(bool); ok {
			*field(m) = &b
		}
	}
}

func int64Property(name string, field func(*AuthenticationMethod) **int64) methodField {
	return func(m *AuthenticationMethod, obj map[string]any) {
		if n, ok := obj[name].(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				*field(m) = &i
			}
		}
	}
}

func stringOf(v any) *string {
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}

// timeOf parses Graph's DateTimeOffset (RFC 3339, up to seven fractional
// digits); anything else is nil.
func timeOf(v any) *time.Time {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}
