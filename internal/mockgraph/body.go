package mockgraph

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds request bodies; phone and policy bodies are tiny.
const maxBody = 1 << 20

// readBody reads the request body, decompressing it when the client sent
// Content-Encoding: gzip (msgraph-sdk-go compresses by default). A body
// labelled gzip that is not gzip is refused, as Graph refuses it, which is
// how the kiota retry/compression ordering bug shows up.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		writeRule(w, r, ruleInvalidBody, "The request body could not be read.")
		return nil, false
	}
	if len(raw) > maxBody {
		writeGraphError(w, r, http.StatusRequestEntityTooLarge, "BadRequest", "The request body is too large.")
		return nil, false
	}
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
		return raw, true
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			writeRule(w, r, ruleInvalidBody, "The request body is labelled Content-Encoding: gzip but is not gzip data.")
			return nil, false
		}
		out, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
		if err != nil || len(out) > maxBody {
			writeRule(w, r, ruleInvalidBody, "The gzip request body is corrupt or too large.")
			return nil, false
		}
		return out, true
	default:
		writeGraphError(w, r, http.StatusUnsupportedMediaType, "BadRequest", "Unsupported Content-Encoding '"+enc+"'.")
		return nil, false
	}
}

// phoneBody is a parsed phoneAuthenticationMethod write body.
type phoneBody struct {
	PhoneNumber    *string
	PhoneType      *string
	hasPhoneNumber bool
	hasPhoneType   bool
}

// parsePhoneBody accepts phoneNumber, phoneType and @odata.type; id and
// smsSignInState are read-only and anything else is unknown (both 400).
func parsePhoneBody(body []byte) (phoneBody, rule, string) {
	var pb phoneBody
	var raw map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		return pb, ruleInvalidBody, "A request body is required."
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return pb, ruleInvalidBody, "The request body is not a JSON object."
	}
	for k, v := range raw {
		switch k {
		case "@odata.type":
			var s string
			if json.Unmarshal(v, &s) != nil || !strings.EqualFold(strings.TrimPrefix(s, "#"), "microsoft.graph.phoneAuthenticationMethod") {
				return pb, ruleInvalidBody, "Unexpected @odata.type " + string(v) + "; expected '#microsoft.graph.phoneAuthenticationMethod'."
			}
		case "phoneNumber":
			pb.hasPhoneNumber = true
			if string(v) != "null" {
				var s string
				if json.Unmarshal(v, &s) != nil {
					return pb, ruleInvalidBody, "phoneNumber must be a string."
				}
				pb.PhoneNumber = &s
			}
		case "phoneType":
			pb.hasPhoneType = true
			if string(v) != "null" {
				var s string
				if json.Unmarshal(v, &s) != nil {
					return pb, ruleInvalidBody, "phoneType must be a string."
				}
				pb.PhoneType = &s
			}
		case "id", "smsSignInState":
			return pb, ruleReadOnlyProperty, "The property '" + k + "' is read-only and cannot be set."
		default:
			return pb, ruleUnknownProperty, "The property '" + k + "' does not exist on type 'microsoft.graph.phoneAuthenticationMethod'. Make sure to only use property names that are defined by the type."
		}
	}
	return pb, "", ""
}

// emptyActionBody accepts no body, or an empty JSON object, for actions.
func emptyActionBody(w http.ResponseWriter, r *http.Request) bool {
	b, ok := readBody(w, r)
	if !ok {
		return false
	}
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return true
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) == nil && len(m) == 0 {
		return true
	}
	writeRule(w, r, ruleUnexpectedBody, "")
	return false
}
