package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

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

// ReadAfterWriteRetries is how many 404s (or stale values, see
// WithExpected) a read right after a write tolerates: Entra is eventually
// consistent and may not show the write yet.
const ReadAfterWriteRetries = 3

// PhoneMethod is a user's phone authentication method.
type PhoneMethod struct {
	// ID is Graph's method id (fixed per phone type).
	ID          string
	PhoneNumber string
	PhoneType   PhoneType
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

func (c *Client) phoneMethod(userID string, t PhoneType) *users.ItemAuthenticationPhoneMethodsPhoneAuthenticationMethodItemRequestBuilder {
	return c.phoneMethods(userID).ByPhoneAuthenticationMethodId(t.MethodID())
}

// checkInput refuses an empty user id, an unknown phone type or an empty
// number before any request is sent.
func checkInput(operation, userID string, t PhoneType, number *string) error {
	switch {
	case strings.TrimSpace(userID) == "":
		return &Error{Operation: operation, Message: "user id must not be empty"}
	case !t.Valid():
		_, err := t.model()
		return &Error{Operation: operation, Message: err.Error()}
	case number != nil && strings.TrimSpace(*number) == "":
		return &Error{Operation: operation, Message: "phone number must not be empty"}
	}
	return nil
}

// ListPhoneMethods returns all of a user's phone methods (Graph returns at
// most three, one per type, so there is no paging).
func (c *Client) ListPhoneMethods(ctx context.Context, userID string) ([]PhoneMethod, error) {
	const op = "list phone methods"
	if strings.TrimSpace(userID) == "" {
		return nil, &Error{Operation: op, Message: "user id must not be empty"}
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
func (c *Client) GetPhoneMethod(ctx context.Context, userID string, t PhoneType, opts ...GetOption) (*PhoneMethod, error) {
	const op = "get phone method"
	if err := checkInput(op, userID, t, nil); err != nil {
		return nil, err
	}
	var policy getPolicy
	for _, o := range opts {
		o(&policy)
	}
	var out *PhoneMethod
	err := c.run(ctx, op, policy.retryPolicy, func(ctx context.Context) error {
		m, err := c.phoneMethod(userID, t).Get(ctx, nil)
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

// CreateOutcome says how the phone CreatePhoneMethod returns came to exist.
type CreateOutcome int

const (
	// Created: Graph answered the POST with the new phone.
	Created CreateOutcome = iota + 1
	// AdoptedExisting: Graph refused the POST because the user already had
	// a phone of this type, and that phone has the requested number (added
	// outside Terraform, or by an earlier create whose answer never came).
	AdoptedExisting
	// RecoveredLostResponse: an attempt's answer was lost (no response, or
	// a 504), its retry was refused because the phone now exists, and the
	// phone has the requested number: the lost attempt created it.
	RecoveredLostResponse
	// AppliedBeforeStop: the operation's deadline passed, or it was
	// interrupted, before Graph answered, yet Graph holds the phone with the
	// requested number. It is returned together with the error.
	AppliedBeforeStop
	// AppliedNumberNotUnique: Graph answered 409 phoneNumberNotUnique, yet
	// applied the create (real tenants do this when another user uses the
	// mobile number for SMS sign-in): the phone exists, and SMS sign-in is
	// not available for it.
	AppliedNumberNotUnique
)

// CreatedPhone is the requested phone as Graph holds it, and how it came
// to exist.
type CreatedPhone struct {
	PhoneMethod
	How CreateOutcome
}

// DifferentPhoneError says the user already has a phone of the requested
// type with another number; the create changed nothing.
type DifferentPhoneError struct {
	// Existing is the phone Graph holds.
	Existing PhoneMethod
	// Err is Graph's refusal, or the error the operation stopped with.
	Err error
}

func (e *DifferentPhoneError) Error() string {
	return fmt.Sprintf("the user already has a %s phone, with another number: %v", e.Existing.PhoneType, e.Err)
}

func (e *DifferentPhoneError) Unwrap() error { return e.Err }

// MobileRequiredError says Graph refused an alternateMobile phone because
// the user has no mobile phone: Graph adds an alternateMobile only after it.
type MobileRequiredError struct{ Err error }

func (e *MobileRequiredError) Error() string {
	return "the user has no mobile phone, which an alternateMobile needs: " + e.Err.Error()
}

func (e *MobileRequiredError) Unwrap() error { return e.Err }

// UnconfirmedCreateError says a create stopped (deadline or interrupt)
// before Graph answered, and the read that followed failed too, so whether
// Graph applied it is not known.
type UnconfirmedCreateError struct {
	// Err is the error the create stopped with.
	Err error
	// CheckErr is the error of the read that followed.
	CheckErr error
}

func (e *UnconfirmedCreateError) Error() string {
	return fmt.Sprintf("%v (whether Graph applied it could not be checked: %v)", e.Err, e.CheckErr)
}

func (e *UnconfirmedCreateError) Unwrap() error { return e.Err }

// CreatePhoneMethod adds a phone method. It is the one place that decides
// whether Graph applied a create that got no plain answer (see
// reconcileCreate): the result says how the phone came to exist, and a
// *DifferentPhoneError, *MobileRequiredError or *UnconfirmedCreateError says
// why not. Trust the result: a read right after may not see the phone yet.
func (c *Client) CreatePhoneMethod(ctx context.Context, userID string, t PhoneType, phoneNumber string) (*CreatedPhone, error) {
	const op = "create phone method"
	if err := checkInput(op, userID, t, &phoneNumber); err != nil {
		return nil, err
	}
	pt, _ := t.model()
	var out PhoneMethod
	responseLost := false
	err := c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		// A fresh body per attempt: nothing of a previous attempt is reused.
		body := models.NewPhoneAuthenticationMethod()
		body.SetPhoneNumber(canonicalNumber(phoneNumber))
		body.SetPhoneType(&pt)
		m, err := c.phoneMethods(userID).Post(ctx, body, nil)
		if err != nil {
			responseLost = responseLost || attemptResponseLost(ctx)
			return err
		}
		if m == nil {
			return &Error{Operation: op, Message: "Graph returned no phone method"}
		}
		out = fromModel(m)
		return nil
	})
	if err == nil {
		return &CreatedPhone{PhoneMethod: out, How: Created}, nil
	}
	return c.reconcileCreate(ctx, userID, t, phoneNumber, responseLost, err)
}

// reconcileCreate decides, by reading the phone by its fixed id, whether a
// create that failed with err was applied after all:
//   - it stopped by its deadline or an interrupt: the POST may have been
//     applied with its answer slow or lost, so Graph is read under a grace
//     period;
//   - Graph refused it (400 or 409): the user may already have a phone of
//     this type, from outside Terraform or from an earlier attempt whose
//     answer was lost; or an alternateMobile may lack its mobile.
//
// The number is compared with phonenumber.SamePhone: Graph may spell it with
// other separators, or mask it for a caller holding only the Authentication
// Administrator role ("+1 XXXXXXXX34").
func (c *Client) reconcileCreate(ctx context.Context, userID string, t PhoneType, number string, responseLost bool, err error) (*CreatedPhone, error) {
	if StopReasonOf(err) != StoppedByAnswer {
		cur, gerr := c.readAfterWrite(ctx, err, userID, t, WithNotFoundRetries(ReadAfterWriteRetries))
		switch {
		case gerr == nil && phonenumber.SamePhone(number, cur.PhoneNumber):
			return &CreatedPhone{PhoneMethod: *cur, How: AppliedBeforeStop}, err
		case gerr == nil:
			return nil, &DifferentPhoneError{Existing: *cur, Err: err}
		case IsNotFound(gerr):
			return nil, err
		}
		return nil, &UnconfirmedCreateError{Err: err, CheckErr: gerr}
	}
	if numberNotUnique(err) {
		// Applied despite the 409; the phone may not be readable for a few
		// seconds, and when it is not, Graph's answer is trusted.
		cur, gerr := c.GetPhoneMethod(ctx, userID, t, WithNotFoundRetries(ReadAfterWriteRetries))
		switch {
		case gerr == nil && phonenumber.SamePhone(number, cur.PhoneNumber):
			return &CreatedPhone{PhoneMethod: *cur, How: AppliedNumberNotUnique}, nil
		case gerr == nil:
			return nil, &DifferentPhoneError{Existing: *cur, Err: err}
		case IsNotFound(gerr):
			return &CreatedPhone{PhoneMethod: PhoneMethod{ID: t.MethodID(), PhoneNumber: number, PhoneType: t,
				SMSSignInState: SMSSignInStatePhoneNumberNotUnique}, How: AppliedNumberNotUnique}, nil
		}
		return nil, &UnconfirmedCreateError{Err: err, CheckErr: gerr}
	}
	if status := StatusCode(err); status != http.StatusBadRequest && status != http.StatusConflict {
		return nil, err
	}
	cur, gerr := c.GetPhoneMethod(ctx, userID, t)
	switch {
	case gerr == nil && phonenumber.SamePhone(number, cur.PhoneNumber):
		how := AdoptedExisting
		if responseLost {
			how = RecoveredLostResponse
		}
		return &CreatedPhone{PhoneMethod: *cur, How: how}, nil
	case gerr == nil:
		return nil, &DifferentPhoneError{Existing: *cur, Err: err}
	case IsNotFound(gerr) && t == PhoneTypeAlternateMobile:
		if _, merr := c.GetPhoneMethod(ctx, userID, PhoneTypeMobile); IsNotFound(merr) {
			return nil, &MobileRequiredError{Err: err}
		}
	}
	return nil, err
}

// Shows reports whether Graph's phone pm is the phone number names:
// separator-blind, and a masked number ("+1 XXXXXXXX34", for callers
// holding only the Authentication Administrator role) matches on its
// visible digits. Read-after-write checks use it to tell a read that does
// not show a write yet from one that does.
func Shows(pm PhoneMethod, number string) bool { return phonenumber.SamePhone(number, pm.PhoneNumber) }

// canonicalNumber is the spelling sent to Graph: phonenumber's canonical
// "+{country code} {number}x{extension}" for any spelling of one number (the
// configuration's spelling stays in the state), and the value as given
// otherwise, for Graph to judge.
func canonicalNumber(number string) *string {
	if c, ok := phonenumber.Canonical(number); ok {
		return &c
	}
	return &number
}

// attemptResponseLost reports an attempt whose outcome is unknown: no
// response, or a gateway timeout.
func attemptResponseLost(ctx context.Context) bool {
	o, _ := ctx.Value(observationKey{}).(*observation)
	return o != nil && (o.transportErr != nil || o.status == http.StatusGatewayTimeout)
}

// UpdateOutcome says how Graph took a number change.
type UpdateOutcome int

const (
	// Updated: Graph answered 204 (the phone is read back when Graph shows
	// the new number within the read-after-write retries).
	Updated UpdateOutcome = iota + 1
	// UpdatedNumberNotUnique: Graph answered 409 phoneNumberNotUnique yet
	// applied the change (another user uses the mobile number for SMS
	// sign-in); SMS sign-in is not available for the new number.
	UpdatedNumberNotUnique
	// UpdateAppliedBeforeStop: the operation's deadline passed, or it was
	// interrupted, before Graph answered, yet Graph shows the new number.
	UpdateAppliedBeforeStop
	// UpdateNotAppliedBeforeStop: it stopped and Graph shows another
	// number (the old one, or one set outside Terraform meanwhile).
	UpdateNotAppliedBeforeStop
	// UpdateUnknownBeforeStop: it stopped and Graph could not be read, or
	// shows a masked number whose visible digits fit both numbers.
	UpdateUnknownBeforeStop
)

// Applied says whether Graph holds the new number.
func (o UpdateOutcome) Applied() Applied {
	switch o {
	case Updated, UpdatedNumberNotUnique, UpdateAppliedBeforeStop:
		return WriteApplied
	case UpdateNotAppliedBeforeStop:
		return WriteNotApplied
	}
	return WriteUnknown
}

// UpdatedPhone is the outcome of a number change and the phone as read
// after it.
type UpdatedPhone struct {
	How UpdateOutcome
	// Phone is Graph's phone when Read; otherwise zero.
	Phone PhoneMethod
	Read  bool
	// ReadErr says why the phone could not be read (or still showed the old
	// number after a 204) when not Read.
	ReadErr error
}

// numberNotUnique reports Graph's 409 phoneNumberNotUnique, which real
// tenants answer to a mobile write they applied.
func numberNotUnique(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && ge.StatusCode == http.StatusConflict && strings.EqualFold(ge.Code, "phoneNumberNotUnique")
}

// UpdatePhoneMethod changes a phone method's number from oldNumber to
// newNumber (its type cannot change) and is the one place that decides
// whether Graph applied it. Graph answers 204 without a body, so the phone
// is read back (a read still showing another number is retried as stale).
// When the operation stopped (deadline or interrupt) the phone is read
// under a grace period and the outcome says whether the change applied; it
// is returned with the error. A refusal returns the error alone.
func (c *Client) UpdatePhoneMethod(ctx context.Context, userID string, t PhoneType, oldNumber, newNumber string) (*UpdatedPhone, error) {
	const op = "update phone method"
	if err := checkInput(op, userID, t, &newNumber); err != nil {
		return nil, err
	}
	err := c.patchPhoneNumber(ctx, userID, t, newNumber)
	showsNew := func(pm PhoneMethod) bool { return Shows(pm, newNumber) }
	switch {
	case err == nil:
		out := &UpdatedPhone{How: Updated}
		cur, gerr := c.GetPhoneMethod(ctx, userID, t, WithNotFoundRetries(ReadAfterWriteRetries), WithExpected(showsNew))
		switch {
		case gerr == nil && showsNew(*cur):
			out.Phone, out.Read = *cur, true
		case gerr == nil:
			// Graph answered 204; a read still showing another number is
			// replication lag, and the write's own answer is trusted.
			out.ReadErr = fmt.Errorf("the phone still read the number %q", cur.PhoneNumber)
		default:
			out.ReadErr = gerr
		}
		return out, nil
	case numberNotUnique(err):
		return &UpdatedPhone{How: UpdatedNumberNotUnique, Phone: PhoneMethod{ID: t.MethodID(), PhoneNumber: newNumber, PhoneType: t,
			SMSSignInState: SMSSignInStatePhoneNumberNotUnique}}, nil
	case StopReasonOf(err) == StoppedByAnswer:
		return nil, err
	}
	cur, gerr := c.readAfterWrite(ctx, err, userID, t)
	if gerr != nil {
		return &UpdatedPhone{How: UpdateUnknownBeforeStop, ReadErr: gerr}, err
	}
	out := &UpdatedPhone{Phone: *cur, Read: true}
	isNew, isOld := showsNew(*cur), Shows(*cur, oldNumber)
	switch {
	case isNew && isOld && phonenumber.IsMasked(cur.PhoneNumber):
		out.How = UpdateUnknownBeforeStop
	case isNew:
		out.How = UpdateAppliedBeforeStop
	default:
		out.How = UpdateNotAppliedBeforeStop
	}
	return out, err
}

// patchPhoneNumber sends the number change alone (Graph takes no phoneType
// in an update).
func (c *Client) patchPhoneNumber(ctx context.Context, userID string, t PhoneType, number string) error {
	return c.run(ctx, "update phone method", retryPolicy{}, func(ctx context.Context) error {
		body := models.NewPhoneAuthenticationMethod()
		body.SetPhoneNumber(canonicalNumber(number))
		_, err := c.phoneMethod(userID, t).Patch(ctx, body, nil)
		return err
	})
}

// AlternateMobileExistsError says Graph refused to delete a mobile phone
// because the user still has an alternateMobile phone.
type AlternateMobileExistsError struct{ Err error }

func (e *AlternateMobileExistsError) Error() string {
	return "the user still has an alternateMobile phone, which needs the mobile: " + e.Err.Error()
}

func (e *AlternateMobileExistsError) Unwrap() error { return e.Err }

// DeleteOutcome says how a delete ended.
type DeleteOutcome int

const (
	// Deleted: Graph answered 204.
	Deleted DeleteOutcome = iota + 1
	// AlreadyGone: Graph answered 404; the phone (or the user) was gone.
	AlreadyGone
	// DeleteAppliedBeforeStop: the operation stopped (deadline or
	// interrupt) before Graph answered, and the phone is gone.
	DeleteAppliedBeforeStop
	// DeleteNotAppliedBeforeStop: it stopped and Graph still has the phone.
	DeleteNotAppliedBeforeStop
	// DeleteUnknownBeforeStop: it stopped and Graph could not be read.
	DeleteUnknownBeforeStop
)

// Applied says whether the phone is gone.
func (o DeleteOutcome) Applied() Applied {
	switch o {
	case Deleted, AlreadyGone, DeleteAppliedBeforeStop:
		return WriteApplied
	case DeleteNotAppliedBeforeStop:
		return WriteNotApplied
	}
	return WriteUnknown
}

// DeletedPhone is the outcome of a delete; ReadErr says why a stopped
// delete could not be checked.
type DeletedPhone struct {
	How     DeleteOutcome
	ReadErr error
}

// DeletePhoneMethod removes a phone method; a 404 is AlreadyGone. A delete
// that stopped (deadline or interrupt) is checked by reading the phone
// under a grace period, and the outcome is returned with the error. A
// mobile refused because an alternateMobile exists gives
// *AlternateMobileExistsError; a default method refused because the user
// has other methods gives *DefaultMethodError.
func (c *Client) DeletePhoneMethod(ctx context.Context, userID string, t PhoneType) (*DeletedPhone, error) {
	const op = "delete phone method"
	if err := checkInput(op, userID, t, nil); err != nil {
		return nil, err
	}
	err := c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		return c.phoneMethod(userID, t).Delete(ctx, nil)
	})
	switch stop := StopReasonOf(err); {
	case err == nil:
		return &DeletedPhone{How: Deleted}, nil
	case IsNotFound(err):
		return &DeletedPhone{How: AlreadyGone}, nil
	case stop != StoppedByAnswer:
		_, gerr := c.readAfterWrite(ctx, err, userID, t)
		switch {
		case IsNotFound(gerr):
			return &DeletedPhone{How: DeleteAppliedBeforeStop}, err
		case gerr == nil:
			return &DeletedPhone{How: DeleteNotAppliedBeforeStop}, err
		}
		return &DeletedPhone{How: DeleteUnknownBeforeStop, ReadErr: gerr}, err
	case IsBadRequest(err):
		// Graph answers 400 for two ordering rules; only the user's phones
		// tell which one this is.
		phones, lerr := c.ListPhoneMethods(ctx, userID)
		if lerr != nil {
			return nil, err
		}
		var others []PhoneType
		for _, p := range phones {
			if p.PhoneType != t {
				others = append(others, p.PhoneType)
			}
		}
		if t == PhoneTypeMobile && slices.Contains(others, PhoneTypeAlternateMobile) {
			return nil, &AlternateMobileExistsError{Err: err}
		}
		return nil, &DefaultMethodError{OtherPhones: others, Err: err}
	}
	return nil, err
}

// DefaultMethodError says Graph refused to delete the phone because it is
// the user's default sign-in method and the user has other methods: the
// phones in OtherPhones, or methods the phone API does not show
// (Authenticator app, FIDO2 key) when OtherPhones is empty.
type DefaultMethodError struct {
	OtherPhones []PhoneType
	Err         error
}

func (e *DefaultMethodError) Error() string {
	return "the phone is the user's default sign-in method and the user has other methods: " + e.Err.Error()
}

func (e *DefaultMethodError) Unwrap() error { return e.Err }

// EnableSMSSignIn makes a mobile phone usable for SMS sign-in. Graph refuses
// it for non-mobile phones, users not allowed by the SMS policy, and numbers
// not unique in the tenant; check smsSignInState afterwards.
func (c *Client) EnableSMSSignIn(ctx context.Context, userID string, t PhoneType) error {
	const op = "enable SMS sign-in"
	if err := checkInput(op, userID, t, nil); err != nil {
		return err
	}
	return c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		return c.phoneMethod(userID, t).EnableSmsSignIn().Post(ctx, nil)
	})
}

// DisableSMSSignIn stops a mobile phone being used for SMS sign-in.
func (c *Client) DisableSMSSignIn(ctx context.Context, userID string, t PhoneType) error {
	const op = "disable SMS sign-in"
	if err := checkInput(op, userID, t, nil); err != nil {
		return err
	}
	return c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		return c.phoneMethod(userID, t).DisableSmsSignIn().Post(ctx, nil)
	})
}

func fromModel(m models.PhoneAuthenticationMethodable) PhoneMethod {
	pm := PhoneMethod{ID: deref(m.GetId()), PhoneNumber: deref(m.GetPhoneNumber())}
	if t := m.GetPhoneType(); t != nil {
		pm.PhoneType = PhoneType(t.String())
	}
	if s := m.GetSmsSignInState(); s != nil {
		pm.SMSSignInState = s.String()
	}
	return pm
}
