package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// EmailMethodID is the id Graph gives every user's email authentication
// method (the v1.0 pages' examples; a user has at most one).
const EmailMethodID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"

// EmailMethod is a user's email authentication method, used for
// self-service password reset.
type EmailMethod struct {
	ID           string
	EmailAddress string
}

// SameEmail reports whether two addresses are the same mailbox for Entra:
// it compares addresses case-insensitively (as it does user principal
// names), ignoring surrounding spaces.
func SameEmail(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func (c *Client) emailMethods(userID string) *users.ItemAuthenticationEmailMethodsRequestBuilder {
	return users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).
		ByUserId(userID).Authentication().EmailMethods()
}

// emailMethodBody is what is sent on create and update: the address alone.
// Not msgraph-sdk-go's model, which adds "@odata.type": Graph refused a
// PATCH carrying it ("Unable to parse request body as an authentication
// method", msgraph-sdk-dotnet issues 1616 and 1901), and the address is all
// either request needs.
func emailMethodBody(address string) ([]byte, error) {
	return json.Marshal(map[string]string{"emailAddress": address})
}

// GetEmailMethod reads the user's email method; a user without one gives
// an error for which IsNotFound is true. It lists the user's email methods
// rather than reading the fixed id, so it does not depend on that id.
// retries > 0 retries a 404 or a read that expected rejects (a write made
// moments ago that Graph does not show yet) up to retries more times; the
// last value read is returned when they run out.
func (c *Client) GetEmailMethod(ctx context.Context, userID string, retries int, expected func(EmailMethod) bool) (*EmailMethod, error) {
	const op = "get email method"
	if strings.TrimSpace(userID) == "" {
		return nil, &Error{Operation: op, Message: "user id must not be empty"}
	}
	var out *EmailMethod
	err := c.run(ctx, op, retryPolicy{notFoundRetries: retries}, func(ctx context.Context) error {
		resp, err := c.emailMethods(userID).Get(ctx, nil)
		if err != nil {
			return err
		}
		out = nil
		if resp != nil {
			for _, m := range resp.GetValue() {
				if m != nil {
					out = &EmailMethod{ID: deref(m.GetId()), EmailAddress: deref(m.GetEmailAddress())}
					break
				}
			}
		}
		if out == nil {
			return &Error{Operation: op, StatusCode: http.StatusNotFound, Code: "itemNotFound",
				Message: fmt.Sprintf("user %q has no email authentication method", userID)}
		}
		if expected != nil && !expected(*out) {
			return errStaleRead
		}
		return nil
	})
	if errors.Is(err, errStaleRead) && out != nil {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readEmailAfterWrite reads the email method after a write that ended with
// err: under a grace period when the write stopped by its deadline or an
// interrupt (it may have been applied with its answer lost).
func (c *Client) readEmailAfterWrite(ctx context.Context, err error, userID string, retries int, expected func(EmailMethod) bool) (*EmailMethod, error) {
	if stop := StopReasonOf(err); err != nil && stop != StoppedByAnswer {
		gctx, cancel := GraceContext(ctx, stop)
		defer cancel()
		return c.GetEmailMethod(gctx, userID, retries, expected)
	}
	return c.GetEmailMethod(ctx, userID, retries, expected)
}

// CreatedEmail is the email method as Graph holds it after a create, and how
// it came to exist (the phone create's outcomes: Created, AdoptedExisting,
// RecoveredLostResponse, AppliedBeforeStop).
type CreatedEmail struct {
	EmailMethod
	How CreateOutcome
}

// DifferentEmailError says the user already has an email method with
// another address; the create changed nothing.
type DifferentEmailError struct {
	Existing EmailMethod
	Err      error
}

func (e *DifferentEmailError) Error() string {
	return fmt.Sprintf("the user already has an email method, with the address %q: %v", e.Existing.EmailAddress, e.Err)
}

func (e *DifferentEmailError) Unwrap() error { return e.Err }

// CreateEmailMethod adds the user's email method and is the one place that
// decides whether Graph applied a create that got no plain answer: a POST
// refused (400 or 409) while the user has an email method with this address
// adopts it (AdoptedExisting, or RecoveredLostResponse when an earlier
// attempt's answer was lost); one with another address gives
// *DifferentEmailError; a create stopped by its deadline or an interrupt is
// checked by reading under a grace period (AppliedBeforeStop with the
// error, or *UnconfirmedCreateError when that read fails too).
func (c *Client) CreateEmailMethod(ctx context.Context, userID, address string) (*CreatedEmail, error) {
	const op = "create email method"
	if strings.TrimSpace(userID) == "" || strings.TrimSpace(address) == "" {
		return nil, &Error{Operation: op, Message: "user id and email address must not be empty"}
	}
	raw, err := emailMethodBody(address)
	if err != nil {
		return nil, &Error{Operation: op, Message: err.Error()}
	}
	var out EmailMethod
	responseLost := false
	err = c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		req, err := c.emailMethods(userID).ToGetRequestInformation(ctx, nil)
		if err != nil {
			return err
		}
		req.Method = abstractions.POST
		req.SetStreamContentAndContentType(raw, "application/json")
		got, err := c.sendForJSON(ctx, req)
		if err != nil {
			responseLost = responseLost || attemptResponseLost(ctx)
			return err
		}
		out = EmailMethod{ID: jsonString(got["id"]), EmailAddress: jsonString(got["emailAddress"])}
		return nil
	})
	if err == nil {
		if out.ID == "" {
			out.ID = EmailMethodID
		}
		return &CreatedEmail{EmailMethod: out, How: Created}, nil
	}
	same := func(m EmailMethod) bool { return SameEmail(m.EmailAddress, address) }
	if StopReasonOf(err) != StoppedByAnswer {
		cur, gerr := c.readEmailAfterWrite(ctx, err, userID, ReadAfterWriteRetries, nil)
		switch {
		case gerr == nil && same(*cur):
			return &CreatedEmail{EmailMethod: *cur, How: AppliedBeforeStop}, err
		case gerr == nil:
			return nil, &DifferentEmailError{Existing: *cur, Err: err}
		case IsNotFound(gerr):
			return nil, err
		}
		return nil, &UnconfirmedCreateError{Err: err, CheckErr: gerr}
	}
	if status := StatusCode(err); status != http.StatusBadRequest && status != http.StatusConflict {
		return nil, err
	}
	// Refused: the user has one (Graph may not show it yet when it was made
	// by an attempt whose answer was lost, so a 404 is read again).
	cur, gerr := c.GetEmailMethod(ctx, userID, ReadAfterWriteRetries, nil)
	switch {
	case gerr == nil && same(*cur):
		how := AdoptedExisting
		if responseLost {
			how = RecoveredLostResponse
		}
		return &CreatedEmail{EmailMethod: *cur, How: how}, nil
	case gerr == nil:
		return nil, &DifferentEmailError{Existing: *cur, Err: err}
	}
	return nil, err
}

// UpdatedEmail is the outcome of an address change (the phone update's
// outcomes: Updated, UpdateAppliedBeforeStop, UpdateNotAppliedBeforeStop,
// UpdateUnknownBeforeStop) and the method as read after it.
type UpdatedEmail struct {
	How    UpdateOutcome
	Method EmailMethod
	Read   bool
	// ReadErr says why the method could not be read back (or still showed
	// the old address after Graph's answer) when not Read.
	ReadErr error
}

// UpdateEmailMethod changes the address of the user's email method with one
// PATCH (retried on throttling and lost answers: the same body gives the
// same end state) and reads it back; it is the one place that decides
// whether Graph applied it. A refusal returns the error alone; a stop
// (deadline or interrupt) returns the outcome with the error.
func (c *Client) UpdateEmailMethod(ctx context.Context, userID, methodID, address string) (*UpdatedEmail, error) {
	const op = "update email method"
	if strings.TrimSpace(userID) == "" || strings.TrimSpace(address) == "" {
		return nil, &Error{Operation: op, Message: "user id and email address must not be empty"}
	}
	if methodID == "" {
		methodID = EmailMethodID
	}
	raw, err := emailMethodBody(address)
	if err != nil {
		return nil, &Error{Operation: op, Message: err.Error()}
	}
	err = c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		req, err := c.emailMethods(userID).ByEmailAuthenticationMethodId(methodID).ToGetRequestInformation(ctx, nil)
		if err != nil {
			return err
		}
		req.Method = abstractions.PATCH
		req.SetStreamContentAndContentType(raw, "application/json")
		// Graph answers 200 with the method or 204; only the status matters.
		_, err = c.adapter.SendPrimitive(ctx, req, "[]byte", graphErrors)
		return err
	})
	showsNew := func(m EmailMethod) bool { return SameEmail(m.EmailAddress, address) }
	switch {
	case err == nil:
		out := &UpdatedEmail{How: Updated}
		cur, gerr := c.GetEmailMethod(ctx, userID, ReadAfterWriteRetries, showsNew)
		switch {
		case gerr == nil && showsNew(*cur):
			out.Method, out.Read = *cur, true
		case gerr == nil:
			// Graph answered; a read still showing the old address is
			// replication lag, and the write's own answer is trusted.
			out.ReadErr = fmt.Errorf("the method still read the address %q", cur.EmailAddress)
		default:
			out.ReadErr = gerr
		}
		return out, nil
	case StopReasonOf(err) == StoppedByAnswer:
		return nil, err
	}
	cur, gerr := c.readEmailAfterWrite(ctx, err, userID, 0, nil)
	switch {
	case gerr != nil:
		return &UpdatedEmail{How: UpdateUnknownBeforeStop, ReadErr: gerr}, err
	case showsNew(*cur):
		return &UpdatedEmail{How: UpdateAppliedBeforeStop, Method: *cur, Read: true}, err
	}
	return &UpdatedEmail{How: UpdateNotAppliedBeforeStop, Method: *cur, Read: true}, err
}

// DeletedEmail is the outcome of a delete (the phone delete's outcomes);
// ReadErr says why a stopped delete could not be checked.
type DeletedEmail struct {
	How     DeleteOutcome
	ReadErr error
}

// DeleteEmailMethod removes the user's email method; a 404 is AlreadyGone.
// A delete that stopped (deadline or interrupt) is checked by reading under
// a grace period, and the outcome is returned with the error.
func (c *Client) DeleteEmailMethod(ctx context.Context, userID, methodID string) (*DeletedEmail, error) {
	const op = "delete email method"
	if strings.TrimSpace(userID) == "" {
		return nil, &Error{Operation: op, Message: "user id must not be empty"}
	}
	if methodID == "" {
		methodID = EmailMethodID
	}
	err := c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		return c.emailMethods(userID).ByEmailAuthenticationMethodId(methodID).Delete(ctx, nil)
	})
	switch stop := StopReasonOf(err); {
	case err == nil:
		return &DeletedEmail{How: Deleted}, nil
	case IsNotFound(err):
		return &DeletedEmail{How: AlreadyGone}, nil
	case stop != StoppedByAnswer:
		_, gerr := c.readEmailAfterWrite(ctx, err, userID, 0, nil)
		switch {
		case IsNotFound(gerr):
			return &DeletedEmail{How: DeleteAppliedBeforeStop}, err
		case gerr == nil:
			return &DeletedEmail{How: DeleteNotAppliedBeforeStop}, err
		}
		return &DeletedEmail{How: DeleteUnknownBeforeStop, ReadErr: gerr}, err
	}
	return nil, err
}

// jsonString is a JSON string value, "" for anything else.
func jsonString(v any) string {
	s, _ := v.(string)
	return s
}
