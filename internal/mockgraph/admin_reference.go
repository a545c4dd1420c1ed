package mockgraph

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// adminRoute is one row of the admin API: what it serves and what the
// reference says about it.
type adminRoute struct {
	method string
	path   string // below /_mock, with {name} wildcards as in http.ServeMux
	query  string // documented query parameters, if any
	// body and answer are values of the JSON types read and written (their
	// fields are rendered by reflection, so a new field shows up in the
	// reference by itself), or a jsonShape; a nil answer means 204 No Content.
	body, answer any
	doc          string
	handler      http.HandlerFunc
}

// faultKinds and operations are listed in the reference; TestFaultKindsListed
// checks every listed kind is accepted.
var (
	faultKinds = []string{FaultLatency, FaultThrottle, FaultUnavailable, FaultGatewayTimeout, FaultDrop, FaultSlowResponse, FaultLag, FaultRaw}
	operations = []string{OpList, OpGet, OpCreate, OpUpdate, OpDelete, OpEnableSmsSignIn, OpDisableSmsSignIn, OpPolicyGet, OpPolicyUpdate, OpMethodConfigurationGet, OpMethodConfigurationUpdate, OpPolicyRootGet, OpPolicyRootUpdate, OpUserList, OpUserGet, OpGroupMembers,
		OpEmailList, OpEmailGet, OpEmailCreate, OpEmailUpdate, OpEmailDelete, OpTAPList, OpTAPGet, OpTAPCreate, OpTAPDelete, OpMethodList, OpMethodGet}
)

// jsonShape is a JSON shape written out by hand, for answers that have no
// Go type of their own.
type jsonShape string

// PhoneMethodList is the answer of GET .../users/{user}/phoneMethods,
// Graph's collection shape.
type PhoneMethodList struct {
	Value []PhoneMethod `json:"value"`
}

// pattern is the http.ServeMux pattern of the route.
func (rt adminRoute) pattern() string {
	if rt.path == "/" {
		return rt.method + " /_mock/{$}"
	}
	return rt.method + " /_mock" + rt.path
}

// AdminAPIReference renders every admin route with its JSON, and the JSON
// types they use, from the route table itself.
func AdminAPIReference() string {
	var b strings.Builder
	b.WriteString("Admin API (below admin_url, e.g. https://127.0.0.1:41234/_mock; no token; JSON bodies;\n")
	b.WriteString("errors are {\"error\": string} with status 400 or 404):\n\n")
	types := &typeSet{seen: map[reflect.Type]bool{}}
	for _, rt := range (*Server)(nil).adminRoutes() {
		line := rt.method + " /_mock" + rt.path
		if rt.query != "" {
			line += "?" + rt.query
		}
		fmt.Fprintf(&b, "%s\n    %s\n", line, rt.doc)
		if rt.body != nil {
			fmt.Fprintf(&b, "    body:   %s\n", types.shape(rt.body))
		}
		if rt.answer == nil {
			b.WriteString("    answer: 204 No Content\n")
		} else {
			fmt.Fprintf(&b, "    answer: %s\n", types.shape(rt.answer))
		}
		b.WriteString("\n")
	}
	b.WriteString("* /_mock/oidc/...\n    the authority's external OIDC issuer (discovery, keys, github-token), standing in for GitHub Actions\n\n")
	b.WriteString("Types (JSON field names; a Duration is a Go duration string like \"250ms\" or a number of milliseconds):\n\n")
	for _, t := range types.order {
		fmt.Fprintf(&b, "%s %s\n", typeName(t), types.fields(t))
	}
	b.WriteString("\nFault kinds: " + strings.Join(faultKinds, ", ") + ".\n")
	b.WriteString("Fault match: an operation (" + strings.Join(operations, ", ") + "),\n")
	b.WriteString("a group (read, write, policy, phone, authenticationMethods, directory), \"\" or \"*\" for all, or a path glob starting with \"/\".\n")
	return b.String()
}

// typeSet collects the named struct types a reference mentions, in order.
type typeSet struct {
	seen  map[reflect.Type]bool
	order []reflect.Type
}

func (ts *typeSet) shape(v any) string {
	if s, ok := v.(jsonShape); ok {
		return string(s)
	}
	return ts.kind(reflect.TypeOf(v))
}

// kind names a type as it appears inside a shape: named structs by name
// (listed under Types), the rest by JSON kind.
func (ts *typeSet) kind(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Duration]():
		return "Duration"
	case t == reflect.TypeFor[time.Time]():
		return "string (RFC 3339 time)"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return ts.kind(t.Elem())
	case reflect.Slice:
		return "[" + ts.kind(t.Elem()) + "]"
	case reflect.Map:
		return "{string: " + ts.kind(t.Elem()) + "}"
	case reflect.Struct:
		if t.Name() == "" {
			return ts.fields(t)
		}
		if !ts.seen[t] {
			ts.seen[t] = true
			ts.order = append(ts.order, t)
			ts.fields(t) // collect nested types now, so they list in order
		}
		return typeName(t)
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	}
	return t.Kind().String()
}

// fields renders a struct's JSON fields, embedded structs inlined.
func (ts *typeSet) fields(t reflect.Type) string {
	if t == reflect.TypeFor[Seed]() {
		return "(the seed format: see seed.schema.json and mockgraph --help)"
	}
	var parts []string
	for _, f := range jsonFields(t) {
		parts = append(parts, fmt.Sprintf("%q: %s", f.name, ts.kind(f.typ)))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func typeName(t reflect.Type) string { return t.Name() }

// jsonField is one field as encoding/json sees it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitEmpty bool
}

// jsonFields lists a struct's JSON fields in order, with embedded structs
// flattened and "-" fields left out, as encoding/json does.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	return out
}
