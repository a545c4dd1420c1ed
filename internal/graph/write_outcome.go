package graph

import "context"

// Applied is the graph layer's answer to "did Graph apply this write?",
// the one question every write raises when its answer was an error, a
// timeout, or a success that a read does not confirm. Each write returns
// its own outcome type (CreateOutcome, UpdateOutcome, SMSSignInOutcome,
// DeleteOutcome, PolicyOutcome), whose value says why; its Applied method
// says which of these three it means, so callers never compare what Graph
// holds with what they asked for to decide it themselves.
type Applied int

const (
	// WriteApplied: Graph holds what the write asked for.
	WriteApplied Applied = iota + 1
	// WriteNotApplied: Graph holds something else (the value from before).
	WriteNotApplied
	// WriteUnknown: Graph could not be read, or showed a value that fits
	// both (a masked number), so whether it applied the write is not known.
	WriteUnknown
)

func (a Applied) String() string {
	switch a {
	case WriteApplied:
		return "applied"
	case WriteNotApplied:
		return "not applied"
	case WriteUnknown:
		return "unknown"
	}
	return "invalid"
}

// Applied says what a create outcome means: every one is applied.
func (o CreateOutcome) Applied() Applied { return WriteApplied }

// readAfterWrite reads the phone after a write that ended with err, to
// learn what Graph holds: under a grace period when the write stopped by
// its deadline or an interrupt (it may have been applied with its answer
// lost), in ctx otherwise.
func (c *Client) readAfterWrite(ctx context.Context, err error, userID string, t PhoneType, opts ...GetOption) (*PhoneMethod, error) {
	if stop := StopReasonOf(err); err != nil && stop != StoppedByAnswer {
		gctx, cancel := GraceContext(ctx, stop)
		defer cancel()
		return c.GetPhoneMethod(gctx, userID, t, opts...)
	}
	return c.GetPhoneMethod(ctx, userID, t, opts...)
}
