package mockgraph

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SeedSchema is the JSON Schema (draft 2020-12) of the seed format. Every
// seed read from JSON is checked against it first, so a bad field is
// reported with its path (tenants[0].users[2].phoneMethods[0].phoneNumber).
// Editors can use the file for completion: seed.schema.json beside this file.
//
//go:embed seed.schema.json
var SeedSchema []byte

// SeedError is a seed mistake at Path, a JSON path such as
// tenants[0].users[2].phoneMethods[0].phoneNumber ("" for the whole seed).
type SeedError struct {
	Path string
	Msg  string
}

func (e *SeedError) Error() string {
	if e.Path == "" {
		return "mockgraph: seed: " + e.Msg
	}
	return "mockgraph: seed: " + e.Path + ": " + e.Msg
}

func seedErr(path, format string, args ...any) *SeedError {
	return &SeedError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// jsonSchema is the subset of JSON Schema the seed schema uses. Decoding the
// schema rejects any other keyword, so a keyword this checker would ignore
// cannot be added to the schema by mistake.
type jsonSchema struct {
	Schema      string                 `json:"$schema"`
	ID          string                 `json:"$id"`
	Ref         string                 `json:"$ref"`
	Defs        map[string]*jsonSchema `json:"$defs"`
	Title       string                 `json:"title"`
	Description string                 `json:"description"`

	Type                 json.RawMessage        `json:"type"` // "t" or ["t", ...]
	Enum                 []any                  `json:"enum"`
	Properties           map[string]*jsonSchema `json:"properties"`
	Required             []string               `json:"required"`
	AdditionalProperties json.RawMessage        `json:"additionalProperties"` // false or a schema
	Items                *jsonSchema            `json:"items"`
	Pattern              string                 `json:"pattern"`
	MinLength            *int                   `json:"minLength"`
	Minimum              *float64               `json:"minimum"`
	Maximum              *float64               `json:"maximum"`

	types      []string
	pattern    *regexp.Regexp
	additional *jsonSchema // nil: any; closed: none
	closed     bool
}

// compiledSeedSchema is SeedSchema parsed once.
var compiledSeedSchema = mustCompileSchema(SeedSchema)

func mustCompileSchema(b []byte) *jsonSchema {
	s, err := compileSchema(b)
	if err != nil {
		panic("mockgraph: seed.schema.json: " + err.Error())
	}
	return s
}

func compileSchema(b []byte) (*jsonSchema, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var root jsonSchema
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	var prep func(s *jsonSchema, at string) error
	prep = func(s *jsonSchema, at string) error {
		if s.Ref != "" {
			name, ok := strings.CutPrefix(s.Ref, "#/$defs/")
			if !ok || root.Defs[name] == nil {
				return fmt.Errorf("%s: unresolved $ref %q", at, s.Ref)
			}
		}
		if len(s.Type) > 0 {
			if s.Type[0] == '[' {
				if err := json.Unmarshal(s.Type, &s.types); err != nil {
					return fmt.Errorf("%s: type: %w", at, err)
				}
			} else {
				var t string
				if err := json.Unmarshal(s.Type, &t); err != nil {
					return fmt.Errorf("%s: type: %w", at, err)
				}
				s.types = []string{t}
			}
		}
		if s.Pattern != "" {
			re, err := regexp.Compile(s.Pattern)
			if err != nil {
				return fmt.Errorf("%s: pattern: %w", at, err)
			}
			s.pattern = re
		}
		switch a := bytes.TrimSpace(s.AdditionalProperties); {
		case len(a) == 0 || string(a) == "true":
		case string(a) == "false":
			s.closed = true
		default:
			s.additional = &jsonSchema{}
			dec := json.NewDecoder(bytes.NewReader(a))
			dec.DisallowUnknownFields()
			if err := dec.Decode(s.additional); err != nil {
				return fmt.Errorf("%s: additionalProperties: %w", at, err)
			}
			if err := prep(s.additional, at+"/additionalProperties"); err != nil {
				return err
			}
		}
		for name, p := range s.Properties {
			if err := prep(p, at+"/properties/"+name); err != nil {
				return err
			}
		}
		for name, d := range s.Defs {
			if err := prep(d, at+"/$defs/"+name); err != nil {
				return err
			}
		}
		if s.Items != nil {
			return prep(s.Items, at+"/items")
		}
		return nil
	}
	if err := prep(&root, "#"); err != nil {
		return nil, err
	}
	return &root, nil
}

// resolve follows $ref into root's $defs.
func (s *jsonSchema) resolve(root *jsonSchema) *jsonSchema {
	for s.Ref != "" {
		s = root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
	}
	return s
}

// maxSeedErrors caps how many mistakes one check reports.
const maxSeedErrors = 20

// checkSeedJSON checks seed JSON against the schema and returns every
// mistake (up to maxSeedErrors) with its path, in document order.
func checkSeedJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return seedErr("", "not valid JSON: %v", err)
	}
	if dec.More() {
		return seedErr("", "not valid JSON: more than one value")
	}
	var errs []error
	compiledSeedSchema.check(compiledSeedSchema, doc, "", &errs)
	return errors.Join(errs...)
}

func (s *jsonSchema) check(root *jsonSchema, v any, path string, errs *[]error) {
	if len(*errs) >= maxSeedErrors {
		return
	}
	s = s.resolve(root)
	fail := func(format string, args ...any) { *errs = append(*errs, seedErr(path, format, args...)) }
	if len(s.types) > 0 && !slices.ContainsFunc(s.types, func(t string) bool { return jsonTypeIs(v, t) }) {
		fail("want %s, got %s", strings.Join(s.types, " or "), jsonTypeOf(v))
		return
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) && jsonTypeOf(v) == "string" }) {
		var opts []string
		for _, e := range s.Enum {
			opts = append(opts, strconv.Quote(fmt.Sprint(e)))
		}
		fail("%s is not one of %s", shortJSON(v), strings.Join(opts, ", "))
		return
	}
	switch v := v.(type) {
	case string:
		if s.MinLength != nil && utf8.RuneCountInString(v) < *s.MinLength {
			fail("must not be empty")
		}
		if s.pattern != nil && !s.pattern.MatchString(v) {
			if s.Description != "" {
				fail("%q does not match %s (%s)", v, s.Pattern, strings.TrimSuffix(s.Description, "."))
			} else {
				fail("%q does not match %s", v, s.Pattern)
			}
		}
	case json.Number:
		f, _ := v.Float64()
		if s.Minimum != nil && f < *s.Minimum {
			fail("%s is below the minimum %v", v, *s.Minimum)
		}
		if s.Maximum != nil && f > *s.Maximum {
			fail("%s is above the maximum %v", v, *s.Maximum)
		}
	case []any:
		if s.Items != nil {
			for i, e := range v {
				s.Items.check(root, e, fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := v[r]; !ok {
				fail("%s is required", r)
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			sub := joinPath(path, k)
			switch p := s.Properties[k]; {
			case p != nil:
				p.check(root, v[k], sub, errs)
			case s.additional != nil:
				s.additional.check(root, v[k], sub, errs)
			case s.closed:
				*errs = append(*errs, seedErr(sub, "unknown field (allowed here: %s)", strings.Join(s.propertyNames(), ", ")))
			}
		}
	}
}

// propertyNames lists a schema's properties, sorted.
func (s *jsonSchema) propertyNames() []string {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func jsonTypeOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func jsonTypeIs(v any, t string) bool {
	got := jsonTypeOf(v)
	return got == t || (t == "number" && got == "integer")
}

func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}
