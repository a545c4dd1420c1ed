package mockgraph

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// graphError is Graph's error envelope:
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
type graphError struct {
	Error graphErrorBody `json:"error"`
}

type graphErrorBody struct {
	Code       string          `json:"code"`
	Message    string          `json:"message"`
	InnerError graphInnerError `json:"innerError"`
}

type graphInnerError struct {
	// Message repeats the message in innerError, as real Graph does for
	// badRequest answers (observed in microsoft-graph-docs issues 14470, 18091).
	Message         string `json:"message,omitempty"`
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id,omitempty"`
}

type ctxKey int

const requestIDsKey ctxKey = 1

// requestIDs are the correlation ids of one request.
type requestIDs struct {
	RequestID       string
	ClientRequestID string
}

func idsFrom(ctx context.Context) requestIDs {
	if v, ok := ctx.Value(requestIDsKey).(requestIDs); ok {
		return v
	}
	return requestIDs{}
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// writeRule answers with the rule's status and code in Graph's envelope; a
// non-empty message replaces the table's default message.
func writeRule(w http.ResponseWriter, r *http.Request, rl rule, message string) {
	out, ok := ruleTable[rl]
	if !ok {
		out = ruleOutcome{http.StatusInternalServerError, "generalException", "unknown rule " + string(rl)}
	}
	if message == "" {
		message = out.Message
	}
	writeGraphError(w, r, out.Status, out.Code, message)
}

// writeGraphError writes an arbitrary status and code in Graph's envelope.
func writeGraphError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	ids := idsFrom(r.Context())
	body := graphError{Error: graphErrorBody{
		Code:    code,
		Message: message,
		InnerError: graphInnerError{
			Message: innerMessage(code, message),
			// Graph prints the date without zone or fraction.
			Date:            time.Now().UTC().Format("2006-01-02T15:04:05"),
			RequestID:       ids.RequestID,
			ClientRequestID: ids.ClientRequestID,
		},
	}}
	writeJSON(w, status, body)
}

// writeJSON writes v as the JSON response body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// innerMessage is innerError.message: real Graph repeats the message there
// for its lower-case badRequest answers.
func innerMessage(code, message string) string {
	if code == "badRequest" {
		return message
	}
	return ""
}
