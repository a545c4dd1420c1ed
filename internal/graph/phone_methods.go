package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// Phone types as Graph spells them.
const (
	PhoneTypeMobile          = "mobile"
	PhoneTypeAlternateMobile = "alternateMobile"
	PhoneTypeOffice          = "office"
)

// PhoneTypes lists the phone types in Graph's order, for validators and docs.
func PhoneTypes() []string {
	return []string{PhoneTypeMobile, PhoneTypeAlternateMobile, PhoneTypeOffice}
}

// methodIDs are Graph's fixed phone method ids, the same for every user.
var methodIDs = map[string]string{
	PhoneTypeMobile:          "3179e48a-750b-4051-897c-87b9720928f7",
	PhoneTypeAlternateMobile: "b6332ec1-7057-4abe-9331-3d72feddfe41",
	PhoneTypeOffice:          "e37fc753-ff3b-4958-9484-eaa9425c82bc",
}

// MethodIDForPhoneType returns Graph's fixed method id for a phone type.
func MethodIDForPhoneType(phoneType string) (string, bool) {
	id, ok := methodIDs[phoneType]
	return id, ok
}

// PhoneTypeForMethodID returns the phone type of a fixed method id
// (case-insensitive, as Graph ids are GUIDs).
func PhoneTypeForMethodID(methodID string) (string, bool) {
	for t, id := range methodIDs {
		if strings.EqualFold(id, methodID) {
			return t, true
		}
	}
	return "", false
}

// SMS sign-in states as Graph spells them.
const (
	SMSSignInStateNotSupported         = "notSupported"
	SMSSignInStateNotAllowedByPolicy   = "notAllowedByPolicy"
	SMSSignInStateNotEnabled           = "notEnabled"
	SMSSignInStatePhoneNumberNotUnique = "phoneNumberNotUnique"
	SMSSignInStateReady                = "ready"
	SMSSignInStateNotConfigured        = "notConfigured"
	SMSSignInStateUnknownFutureValue   = "unknownFutureValue"
)

// PhoneMethod is a user's phone authentication method.
type PhoneMethod struct {
	// ID is Graph's method id (fixed per phone type).
	ID          string
	PhoneNumber string
	// PhoneType is mobile, alternateMobile or office.
	PhoneType string
	// SMSSignInState is Graph's smsSignInState, e.g. ready, notEnabled.
	SMSSignInState string
}

// GetOption tunes GetPhoneMethod.
type GetOption func(*getPolicy)

// getPolicy is GetPhoneMethod's retry policy and read-after-write check.
type getPolicy struct {
	retryPolicy
	expected func(PhoneMethod) bool
}

// WithNotFoundRetries makes a 404 retried up to n more times with back-off
// (within the context's deadline): for reads right after a write, when
// Entra's eventual consistency may not show the object yet.
func WithNotFoundRetries(n int) GetOption {
	return func(p *getPolicy) {
		if n > 0 {
			p.notFoundRetries = n
		}
	}
}

// WithExpected makes a read that expected rejects count as stale: right
// after a write, Entra may still answer with the value from before it. A
// stale read is retried like a 404, from the same WithNotFoundRetries
// budget; when the budget or the deadline runs out, the last value read is
// returned as it is (it may be real drift), so the caller decides.
func WithExpected(expected func(PhoneMethod) bool) GetOption {
	return func(p *getPolicy) { p.expected = expected }
}

func (c *Client) phoneMethods(userID string) *users.ItemAuthenticationPhoneMethodsRequestBuilder {
	return users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).
		ByUserId(userID).Authentication().PhoneMethods()
}

func requireIDs(operation string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return &Error{Operation: operation, Message: pairs[i] + " must not be empty"}
		}
	}
	return nil
}

// ListPhoneMethods returns all of a user's phone methods (Graph returns at
// most three, one per type, so there is no paging).
func (c *Client) ListPhoneMethods(ctx context.Context, userID string) ([]PhoneMethod, error) {
	const op = "list phone methods"
	if err := requireIDs(op, "user id", userID); err != nil {
		return nil, err
	}
	var out []PhoneMethod
	err := c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		resp, err := c.phoneMethods(userID).Get(ctx, nil)
		if err != nil {
			return err
		}
		out = out[:0]
		if resp == nil {
			return nil
		}
		for _, m := range resp.GetValue() {
			if m != nil {
				out = append(out, fromModel(m))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetPhoneMethod reads one phone method; a missing one gives an error for
// which IsNotFound is true.
func (c *Client) GetPhoneMethod(ctx context.Context, userID, methodID string, opts ...GetOption) (*PhoneMethod, error) {
	const op = "get phone method"
	if err := requireIDs(op, "user id", userID, "method id", methodID); err != nil {
		return nil, err
	}
	var policy getPolicy
	for _, o := range opts {
		o(&policy)
	}
	var out *PhoneMethod
	err := c.run(ctx, op, policy.retryPolicy, func(ctx context.Context) error {
		m, err := c.phoneMethods(userID).ByPhoneAuthenticationMethodId(methodID).Get(ctx, nil)
		if err != nil {
			return err
		}
		if m == nil {
			return &Error{Operation: op, Message: "Graph returned no phone method"}
		}
		pm := fromModel(m)
		out = &pm
		if policy.expected != nil && !policy.expected(pm) {
			return errStaleRead
		}
		return nil
	})
	if errors.Is(err, errStaleRead) && out != nil {
		// Still not the expected value: the caller gets what Graph says.
		return out, nil
	}
	return out, err
}

// CreatePhoneMethod adds a phone method and returns Graph's object (trust
// it: a read right after may not see it yet).
//
// A create whose response was lost (dropped connection, 504) may have been
// applied; its retry is then refused because the type already exists. In
// that case the phone is read back by its fixed id and, when it holds the
// requested number, returned as created, so nothing is left in Graph that
// the caller does not know about.
func (c *Client) CreatePhoneMethod(ctx context.Context, userID, phoneType, phoneNumber string) (*PhoneMethod, error) {
	const op = "create phone method"
	if err := requireIDs(op, "user id", userID, "phone number", phoneNumber); err != nil {
		return nil, err
	}
	pt, err := parsePhoneType(phoneType)
	if err != nil {
		return nil, &Error{Operation: op, Message: err.Error()}
	}
	methodID, _ := MethodIDForPhoneType(phoneType)
	var out *PhoneMethod
	mayHaveApplied := false
	err = c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		// A fresh body per attempt: nothing of a previous attempt is reused.
		body := models.NewPhoneAuthenticationMethod()
		body.SetPhoneNumber(&phoneNumber)
		body.SetPhoneType(&pt)
		m, err := c.phoneMethods(userID).Post(ctx, body, nil)
		if err != nil {
			if mayHaveApplied && isClientError(ctx) {
				if pm := c.readBackCreated(ctx, userID, methodID, phoneNumber); pm != nil {
					out = pm
					return nil
				}
			}
			mayHaveApplied = mayHaveApplied || responseLost(ctx)
			return err
		}
		if m == nil {
			return &Error{Operation: op, Message: "Graph returned no phone method"}
		}
		pm := fromModel(m)
		out = &pm
		return nil
	})
	return out, err
}

// responseLost reports an attempt whose outcome is unknown: no response, or
// a gateway timeout.
func responseLost(ctx context.Context) bool {
	o, _ := ctx.Value(observationKey{}).(*observation)
	return o != nil && (o.transportErr != nil || o.status == 504)
}

// isClientError reports an attempt Graph refused with a 4xx other than 429.
func isClientError(ctx context.Context) bool {
	o, _ := ctx.Value(observationKey{}).(*observation)
	return o != nil && o.status >= 400 && o.status < 500 && o.status != 429
}

// readBackCreated returns the phone when it exists with the requested
// number, or nil. The number is compared as phonenumber.SamePhone does:
// Graph may spell it with separators, or mask it for a caller holding only
// the Authentication Administrator role ("+1 XXXXXXXX34").
func (c *Client) readBackCreated(ctx context.Context, userID, methodID, phoneNumber string) *PhoneMethod {
	// Its own observation slot: the attempt's stays the POST's.
	ctx = withObservation(ctx, &observation{})
	m, err := c.phoneMethods(userID).ByPhoneAuthenticationMethodId(methodID).Get(ctx, nil)
	if err != nil || m == nil {
		return nil
	}
	pm := fromModel(m)
	if !phonenumber.SamePhone(phoneNumber, pm.PhoneNumber) {
		return nil
	}
	return &pm
}

// UpdatePhoneMethod changes a phone method's number (its type cannot
// change). Graph answers 204 without a body: re-read for the new state.
func (c *Client) UpdatePhoneMethod(ctx context.Context, userID, methodID, phoneNumber string) error {
	const op = "update phone method"
	if err := requireIDs(op, "user id", userID, "method id", methodID, "phone number", phoneNumber); err != nil {
		return err
	}
	return c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		body := models.NewPhoneAuthenticationMethod()
		body.SetPhoneNumber(&phoneNumber)
		_, err := c.phoneMethods(userID).ByPhoneAuthenticationMethodId(methodID).Patch(ctx, body, nil)
		return err
	})
}

// DeletePhoneMethod removes a phone method; a 404 is returned as an error
// (IsNotFound) so the caller decides whether that means done.
func (c *Client) DeletePhoneMethod(ctx context.Context, userID, methodID string) error {
	const op = "delete phone method"
	if err := requireIDs(op, "user id", userID, "method id", methodID); err != nil {
		return err
	}
	return c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		return c.phoneMethods(userID).ByPhoneAuthenticationMethodId(methodID).Delete(ctx, nil)
	})
}

// EnableSMSSignIn makes a mobile phone usable for SMS sign-in. Graph refuses
// it for non-mobile phones, users not allowed by the SMS policy, and numbers
// not unique in the tenant; check smsSignInState afterwards.
func (c *Client) EnableSMSSignIn(ctx context.Context, userID, methodID string) error {
	const op = "enable SMS sign-in"
	if err := requireIDs(op, "user id", userID, "method id", methodID); err != nil {
		return err
	}
	return c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		return c.phoneMethods(userID).ByPhoneAuthenticationMethodId(methodID).EnableSmsSignIn().Post(ctx, nil)
	})
}

// DisableSMSSignIn stops a mobile phone being used for SMS sign-in.
func (c *Client) DisableSMSSignIn(ctx context.Context, userID, methodID string) error {
	const op = "disable SMS sign-in"
	if err := requireIDs(op, "user id", userID, "method id", methodID); err != nil {
		return err
	}
	return c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		return c.phoneMethods(userID).ByPhoneAuthenticationMethodId(methodID).DisableSmsSignIn().Post(ctx, nil)
	})
}

func parsePhoneType(s string) (models.AuthenticationPhoneType, error) {
	switch s {
	case PhoneTypeMobile:
		return models.MOBILE_AUTHENTICATIONPHONETYPE, nil
	case PhoneTypeAlternateMobile:
		return models.ALTERNATEMOBILE_AUTHENTICATIONPHONETYPE, nil
	case PhoneTypeOffice:
		return models.OFFICE_AUTHENTICATIONPHONETYPE, nil
	}
	return 0, fmt.Errorf("unknown phone type %q: expected one of %s", s, strings.Join(PhoneTypes(), ", "))
}

func fromModel(m models.PhoneAuthenticationMethodable) PhoneMethod {
	pm := PhoneMethod{ID: deref(m.GetId()), PhoneNumber: deref(m.GetPhoneNumber())}
	if t := m.GetPhoneType(); t != nil {
		pm.PhoneType = t.String()
	}
	if s := m.GetSmsSignInState(); s != nil {
		pm.SMSSignInState = s.String()
	}
	return pm
}
