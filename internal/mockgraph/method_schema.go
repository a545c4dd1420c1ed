package mockgraph

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// The method configurations other than SMS are stored as Graph JSON
// (map[string]any) rather than typed structs: the mock never evaluates
// them, it only has to answer GET with what was written and refuse what
// Graph refuses. A small schema per type says which properties exist, what
// values they accept and how a PATCH merges into the stored value.

// propKind is the JSON shape of one property.
type propKind int

const (
	propString propKind = iota
	propEnum            // a string from enum
	propBool
	propInt  // a whole number within min..max
	propGUID // a string in GUID form
	propID   // the entity's key: read-only, echoing it unchanged is allowed
	propObject
	propArray
)

// propSpec describes one property.
type propSpec struct {
	kind     propKind
	enum     []string
	min, max int
	obj      *objSpec  // propObject
	elem     *propSpec // propArray
	// refused: a PATCH that carries the property is 400 with this message,
	// although GET returns it (Authenticator's numberMatchingRequiredState).
	refused string
}

// objSpec describes an object: a configuration, a nested object or the
// element of a collection.
type objSpec struct {
	typeName string // "microsoft.graph.x": messages and the accepted @odata.type
	// renderType: the object carries its @odata.type in GET answers
	// (Authenticator's include targets do).
	renderType bool
	props      map[string]*propSpec
	// required and defaults apply to collection elements, which are
	// written whole: an omitted property takes its default.
	required []string
	defaults map[string]any
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// schemaError is a refused PATCH: the rule and its message.
type schemaError struct {
	rule rule
	msg  string
}

func badValue(path, format string, a ...any) *schemaError {
	return &schemaError{ruleInvalidPolicy, fmt.Sprintf("Invalid value for property '%s': ", path) + fmt.Sprintf(format, a...)}
}

// sameType reports whether an @odata.type value names typeName (with or
// without the leading '#', case-insensitively as Graph reads it).
func sameType(v any, typeName string) bool {
	s, ok := v.(string)
	return ok && strings.EqualFold(strings.TrimPrefix(s, "#"), typeName)
}

// merge applies patch to cur (which it does not modify) as a PATCH does:
// given properties replace, omitted ones keep their value; a nested object
// merges the same way; a collection is replaced whole. oob (out of band,
// the Go and admin API) accepts properties a PATCH must not carry.
func (o *objSpec) merge(cur, patch map[string]any, path string, oob bool) (map[string]any, *schemaError) {
	out := make(map[string]any, len(cur)+len(patch))
	for k, v := range cur {
		out[k] = v
	}
	keys := make([]string, 0, len(patch))
	for k := range patch {
		keys = append(keys, k)
	}
	// Sorted, so the same body always reports the same first error.
	sort.Strings(keys)
	for _, k := range keys {
		v := patch[k]
		if isAnnotation(k) {
			continue // e.g. @odata.context echoed by a client that GETs then PATCHes
		}
		if k == "@odata.type" {
			if !sameType(v, o.typeName) {
				return nil, &schemaError{ruleInvalidBody, fmt.Sprintf("Unexpected @odata.type %v at '%s'; expected '#%s'.", jsonText(v), strings.TrimPrefix(path+".", "."), o.typeName)}
			}
			continue
		}
		p, ok := o.props[k]
		if !ok {
			return nil, &schemaError{ruleUnknownProperty, fmt.Sprintf("The property '%s' does not exist on type '%s'.", k, o.typeName)}
		}
		if p.refused != "" && !oob {
			return nil, &schemaError{ruleInvalidPolicy, p.refused}
		}
		sub := propPath(path, k)
		if p.kind == propID {
			if s, ok := v.(string); !ok || !strings.EqualFold(s, fmt.Sprint(cur[k])) {
				return nil, &schemaError{ruleReadOnlyProperty, fmt.Sprintf("The property '%s' is read-only.", k)}
			}
			continue
		}
		if p.kind == propObject {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, badValue(sub, "an object is expected, not %s.", jsonText(v))
			}
			old, _ := cur[k].(map[string]any)
			nv, err := p.obj.merge(old, m, sub, oob)
			if err != nil {
				return nil, err
			}
			out[k] = nv
			continue
		}
		nv, err := p.check(v, sub, oob)
		if err != nil {
			return nil, err
		}
		out[k] = nv
	}
	return out, nil
}

// element builds one collection element from what was given: defaults for
// what was omitted, then the required properties must be there.
func (o *objSpec) element(v any, path string, oob bool) (map[string]any, *schemaError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badValue(path, "an object is expected, not %s.", jsonText(v))
	}
	base := map[string]any{}
	for k, d := range o.defaults {
		base[k] = d
	}
	if o.renderType {
		base["@odata.type"] = "#" + o.typeName
	}
	out, err := o.merge(base, m, path, oob)
	if err != nil {
		return nil, err
	}
	for _, r := range o.required {
		if _, ok := out[r]; !ok {
			return nil, &schemaError{ruleInvalidPolicy, fmt.Sprintf("The property '%s' is required on type '%s'.", propPath(path, r), o.typeName)}
		}
	}
	return out, nil
}

// check validates a value that is not a merged object and returns it as
// it is stored.
func (p *propSpec) check(v any, path string, oob bool) (any, *schemaError) {
	if v == nil {
		// A choice: Graph's answer to null differs by property; the mock
		// refuses it everywhere, so clients never rely on null clearing.
		return nil, badValue(path, "null is not accepted.")
	}
	switch p.kind {
	case propString:
		if _, ok := v.(string); !ok {
			return nil, badValue(path, "a string is expected, not %s.", jsonText(v))
		}
	case propGUID:
		s, ok := v.(string)
		if !ok || !guidPattern.MatchString(s) {
			return nil, badValue(path, "%s is not a GUID.", jsonText(v))
		}
	case propEnum:
		s, ok := v.(string)
		if !ok || !containsString(p.enum, s) {
			return nil, badValue(path, "%s is not one of: %s.", jsonText(v), strings.Join(p.enum, ", "))
		}
	case propBool:
		if _, ok := v.(bool); !ok {
			return nil, badValue(path, "true or false is expected, not %s.", jsonText(v))
		}
	case propInt:
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			return nil, badValue(path, "a whole number is expected, not %s.", jsonText(v))
		}
		if f < float64(p.min) || f > float64(p.max) {
			return nil, badValue(path, "%s is outside %d-%d.", jsonText(v), p.min, p.max)
		}
	case propArray:
		a, ok := v.([]any)
		if !ok {
			return nil, badValue(path, "an array is expected, not %s.", jsonText(v))
		}
		out := make([]any, 0, len(a))
		for i, e := range a {
			ep := fmt.Sprintf("%s[%d]", path, i)
			var nv any
			var err *schemaError
			if p.elem.kind == propObject {
				nv, err = p.elem.obj.element(e, ep, oob)
			} else {
				nv, err = p.elem.check(e, ep, oob)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, nv)
		}
		return out, nil
	}
	return v, nil
}

func propPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// cloneJSON deep-copies a JSON value, so callers of the Go API and stored
// configurations never share maps.
func cloneJSON[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic("mockgraph: clone: " + err.Error())
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic("mockgraph: clone: " + err.Error())
	}
	return out
}

// Shared pieces of the configuration schemas.

func enumProp(values ...string) *propSpec { return &propSpec{kind: propEnum, enum: values} }

func arrayOf(o *objSpec) *propSpec {
	return &propSpec{kind: propArray, elem: &propSpec{kind: propObject, obj: o}}
}

func objectProp(o *objSpec) *propSpec { return &propSpec{kind: propObject, obj: o} }

var (
	boolProp   = &propSpec{kind: propBool}
	stringProp = &propSpec{kind: propString}
	idProp     = &propSpec{kind: propID}
	// targetType of method targets: user | group (documented,
	// authenticationMethodTargetType; unknownFutureValue is not accepted).
	targetTypeProp = enumProp("user", "group")
)

// excludeTargetSpec is microsoft.graph.excludeTarget.
var excludeTargetSpec = &objSpec{
	typeName: "microsoft.graph.excludeTarget",
	props:    map[string]*propSpec{"id": stringProp, "targetType": targetTypeProp},
	required: []string{"id", "targetType"},
}

// includeTargetSpec is microsoft.graph.authenticationMethodTarget; every
// include target carries isRegistrationRequired (false when omitted).
var includeTargetSpec = &objSpec{
	typeName: "microsoft.graph.authenticationMethodTarget",
	props:    map[string]*propSpec{"id": stringProp, "targetType": targetTypeProp, "isRegistrationRequired": boolProp},
	required: []string{"id", "targetType"},
	defaults: map[string]any{"isRegistrationRequired": false},
}

// configSpec builds a configuration's schema: the common properties (id,
// state, includeTargets, excludeTargets) plus its own.
func configSpec(typeName string, include *objSpec, own map[string]*propSpec) *objSpec {
	props := map[string]*propSpec{
		"id":             idProp,
		"state":          enumProp("enabled", "disabled"),
		"includeTargets": arrayOf(include),
		"excludeTargets": arrayOf(excludeTargetSpec),
	}
	for k, v := range own {
		props[k] = v
	}
	return &objSpec{typeName: typeName, props: props}
}
