package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// A method configuration's attributes are declared once, as policyFields:
// the resource schema, the data source schema, the PATCH body and the
// state read back from Graph are all derived from the declaration, so a
// new configuration type is a list of fields and nothing else.

// fieldKind is an attribute's Terraform type.
type fieldKind int

const (
	boolField fieldKind = iota
	int64Field
	stringField
	stringSetField
	objectField    // a single nested attribute
	objectSetField // a set nested attribute (targets: order never matters)
)

// policyField is one attribute and the Graph property it maps to.
//
// Who manages it: a required field always; a field with a default always
// (the default is sent when the configuration leaves it out); any other
// field only when the configuration sets it: left out, it is not sent and
// shows Graph's value without ever planning a difference.
type policyField struct {
	name, graph string
	kind        fieldKind
	description string
	required    bool
	// optionalOnly is for attributes of set elements that may be absent:
	// optional and never computed, so null means "none" and is not sent.
	optionalOnly bool
	// defaultValue is a bool, int64, string, emptySet, or (objectField) a
	// map of child name to default.
	defaultValue any
	oneOf        []string // allowed strings (stringField, stringSetField)
	between      [2]int64 // allowed range (int64Field) when not zero
	guids        bool     // stringSetField: GUIDs, compared case-insensitively
	caseFree     bool     // stringField: compared case-insensitively (ids)
	validators   []validator.String
	fields       []policyField // objectField, objectSetField
	// odataType is sent with an object or element of this field, for
	// types Graph needs to be named (for example Authenticator targets).
	odataType string
}

// emptySet is the default of a set that defaults to no elements.
type emptySetDefault struct{}

var emptySet = emptySetDefault{}

func (f policyField) managedByDefault() bool {
	return f.required || f.defaultValue != nil || f.optionalOnly
}

// attrType is the field's Terraform value type.
func (f policyField) attrType() attr.Type {
	switch f.kind {
	case boolField:
		return types.BoolType
	case int64Field:
		return types.Int64Type
	case stringField:
		return types.StringType
	case stringSetField:
		return types.SetType{ElemType: types.StringType}
	case objectField:
		return types.ObjectType{AttrTypes: attrTypes(f.fields)}
	case objectSetField:
		return types.SetType{ElemType: types.ObjectType{AttrTypes: attrTypes(f.fields)}}
	}
	panic("unknown field kind")
}

func attrTypes(fields []policyField) map[string]attr.Type {
	out := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		out[f.name] = f.attrType()
	}
	return out
}

// resourceAttribute is the field's resource schema attribute.
func (f policyField) resourceAttribute() schema.Attribute {
	required := f.required
	optional, computed := !required, !required && !f.optionalOnly
	desc := f.description
	switch f.kind {
	case boolField:
		a := schema.BoolAttribute{Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc}
		if v, ok := f.defaultValue.(bool); ok {
			a.Default = booldefault.StaticBool(v)
		} else if computed {
			a.PlanModifiers = []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
		}
		return a
	case int64Field:
		a := schema.Int64Attribute{Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc}
		if f.between != [2]int64{} {
			a.Validators = []validator.Int64{int64validator.Between(f.between[0], f.between[1])}
		}
		if v, ok := f.defaultValue.(int64); ok {
			a.Default = int64default.StaticInt64(v)
		} else if computed {
			a.PlanModifiers = []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}
		}
		return a
	case stringField:
		a := schema.StringAttribute{Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc, Validators: f.stringValidators()}
		if v, ok := f.defaultValue.(string); ok {
			a.Default = stringdefault.StaticString(v)
		} else if computed {
			a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		}
		return a
	case stringSetField:
		a := schema.SetAttribute{ElementType: types.StringType, Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc}
		if v := f.stringValidators(); len(v) > 0 {
			a.Validators = []validator.Set{setvalidator.ValueStringsAre(v...)}
		}
		if f.guids {
			a.Validators = append(a.Validators, guidsOnce{})
		}
		if f.defaultValue == emptySet {
			a.Default = setdefault.StaticValue(types.SetValueMust(types.StringType, nil))
		} else if computed {
			a.PlanModifiers = []planmodifier.Set{setplanmodifier.UseStateForUnknown()}
		}
		return a
	case objectField:
		a := schema.SingleNestedAttribute{Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc, Attributes: resourceAttributes(f.fields)}
		if v, ok := f.defaultValue.(map[string]any); ok {
			a.Default = objectdefault.StaticValue(types.ObjectValueMust(attrTypes(f.fields), defaultAttrs(f.fields, v)))
		} else if computed {
			a.PlanModifiers = []planmodifier.Object{objectplanmodifier.UseStateForUnknown()}
		}
		return a
	case objectSetField:
		a := schema.SetNestedAttribute{Required: required, Optional: optional, Computed: computed, MarkdownDescription: desc,
			NestedObject: schema.NestedAttributeObject{Attributes: resourceAttributes(f.fields)}}
		if f.defaultValue == emptySet {
			a.Default = setdefault.StaticValue(types.SetValueMust(types.ObjectType{AttrTypes: attrTypes(f.fields)}, nil))
		} else if computed {
			a.PlanModifiers = []planmodifier.Set{setplanmodifier.UseStateForUnknown()}
		}
		return a
	}
	panic("unknown field kind")
}

func resourceAttributes(fields []policyField) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(fields))
	for _, f := range fields {
		out[f.name] = f.resourceAttribute()
	}
	return out
}

// defaultAttrs is an object default's value.
func defaultAttrs(fields []policyField, v map[string]any) map[string]attr.Value {
	out := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		switch d := v[f.name].(type) {
		case string:
			out[f.name] = types.StringValue(d)
		case bool:
			out[f.name] = types.BoolValue(d)
		case int64:
			out[f.name] = types.Int64Value(d)
		default:
			panic(fmt.Sprintf("object default of %s lacks %s", f.name, f.name))
		}
	}
	return out
}

func (f policyField) stringValidators() []validator.String {
	v := append([]validator.String(nil), f.validators...)
	if len(f.oneOf) > 0 {
		v = append(v, stringvalidator.OneOf(f.oneOf...))
	}
	if f.guids {
		v = append(v, stringvalidator.RegexMatches(guidPattern, `must be a GUID such as "cb69481e-8ff7-4039-93ec-0a2729a154a8"`))
	}
	return v
}

// guidsOnce refuses a set holding one GUID in two spellings: a Terraform
// set tells them apart, Graph does not.
type guidsOnce struct{}

func (guidsOnce) Description(context.Context) string {
	return "each GUID at most once, compared case-insensitively"
}

func (v guidsOnce) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (guidsOnce) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]string{}
	for _, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		k := strings.ToLower(s.ValueString())
		if first, dup := seen[k]; dup {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate GUID",
				fmt.Sprintf("%s lists %q and %q, the same GUID in two spellings (GUIDs compare case-insensitively). List it once.", req.Path, first, s.ValueString()))
			return
		}
		seen[k] = s.ValueString()
	}
}

// resourceOnly are the sentences of a description that speak of managing
// the attribute, which a data source only reads.
var resourceOnly = regexp.MustCompile(` ?(` + regexp.QuoteMeta(unmanagedWhenOmitted) + `|` + regexp.QuoteMeta(keptWhenOmitted) + `|` + regexp.QuoteMeta(setSentWhole) + `|Defaults to [^.]*\.|Order never matters\.)`)

// dataSourceAttribute is the field as a computed data source attribute.
func (f policyField) dataSourceAttribute() dsschema.Attribute {
	desc := strings.TrimSpace(resourceOnly.ReplaceAllString(f.description, ""))
	switch f.kind {
	case boolField:
		return dsschema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	case int64Field:
		return dsschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	case stringField:
		return dsschema.StringAttribute{Computed: true, MarkdownDescription: desc}
	case stringSetField:
		return dsschema.SetAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: desc}
	case objectField:
		return dsschema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc, Attributes: dataSourceAttributes(f.fields)}
	case objectSetField:
		return dsschema.SetNestedAttribute{Computed: true, MarkdownDescription: desc,
			NestedObject: dsschema.NestedAttributeObject{Attributes: dataSourceAttributes(f.fields)}}
	}
	panic("unknown field kind")
}

func dataSourceAttributes(fields []policyField) map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(fields))
	for _, f := range fields {
		out[f.name] = f.dataSourceAttribute()
	}
	return out
}

// toGraph is the PATCH body for the managed fields: plan holds the values,
// config (nil inside set elements, whose every known value is sent) says
// which optional fields the configuration sets. current is what Graph
// holds of the same object; when fill is set (inside a nested object, or a
// part Graph stores inside another object), a field the configuration
// leaves out is sent as Graph holds it, so the write keeps it whether
// Graph merges a nested object or replaces it whole. Only modelled
// properties are ever sent.
func toGraph(fields []policyField, plan, config map[string]attr.Value, current map[string]any, fill bool) graph.PolicyJSON {
	out := graph.PolicyJSON{}
	for _, f := range fields {
		v := plan[f.name]
		var cv attr.Value
		if config != nil {
			cv = config[f.name]
			if (cv == nil || cv.IsNull()) && !f.managedByDefault() {
				// Left out of the configuration: not managed.
				if g, ok := current[f.graph]; ok && fill && g != nil {
					out[f.graph] = f.modelled(g)
				}
				continue
			}
		}
		if v == nil || v.IsNull() || v.IsUnknown() {
			continue
		}
		cur, _ := current[f.graph].(map[string]any)
		out[f.graph] = f.valueToGraph(v, cv, cur)
	}
	return out
}

// modelled is Graph's value of the field with only the properties the
// field models (never, say, numberMatchingRequiredState).
func (f policyField) modelled(g any) any {
	switch f.kind {
	case objectField:
		m, ok := g.(map[string]any)
		if !ok {
			return g
		}
		out := map[string]any{}
		for _, c := range f.fields {
			if v, ok := m[c.graph]; ok && v != nil {
				out[c.graph] = c.modelled(v)
			}
		}
		return out
	case objectSetField:
		list, _ := g.([]any)
		out := make([]any, 0, len(list))
		for _, e := range list {
			out = append(out, (policyField{kind: objectField, fields: f.fields}).modelled(e))
		}
		return out
	}
	return g
}

func (f policyField) valueToGraph(v, config attr.Value, current map[string]any) any {
	switch f.kind {
	case boolField:
		b, _ := v.(types.Bool)
		return b.ValueBool()
	case int64Field:
		n, _ := v.(types.Int64)
		return n.ValueInt64()
	case stringField:
		str, _ := v.(types.String)
		return str.ValueString()
	case stringSetField:
		out := []any{}
		for _, e := range elementsOf(v) {
			if s, ok := e.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
				out = append(out, s.ValueString())
			}
		}
		return out
	case objectField:
		var cfg map[string]attr.Value
		if co, ok := config.(types.Object); ok && !co.IsNull() && !co.IsUnknown() {
			cfg = co.Attributes()
		}
		obj := toGraph(f.fields, attributesOf(v), cfg, current, true)
		if f.odataType != "" {
			obj["@odata.type"] = f.odataType
		}
		return obj
	case objectSetField:
		out := []any{}
		for _, e := range elementsOf(v) {
			o, ok := e.(types.Object)
			if !ok || o.IsUnknown() || o.IsNull() {
				continue
			}
			el := toGraph(f.fields, o.Attributes(), nil, nil, false)
			if f.odataType != "" {
				el["@odata.type"] = f.odataType
			}
			out = append(out, el)
		}
		return out
	}
	panic("unknown field kind")
}

// elementsOf, attributesOf and stringOf read a value of the kind its
// field declares (nothing for another kind).
func elementsOf(v attr.Value) []attr.Value {
	set, _ := v.(types.Set)
	return set.Elements()
}

func attributesOf(v attr.Value) map[string]attr.Value {
	o, _ := v.(types.Object)
	return o.Attributes()
}

func stringOf(v attr.Value) string {
	s, _ := v.(types.String)
	return s.ValueString()
}

// spellings maps each case-insensitive string of the prior state, by its
// attribute path (set elements share one) and lower-case form, to its
// spelling there, so an id or GUID Graph spells in another case never plans
// a change. The path keeps two attributes holding the same id in two
// spellings apart.
type spellings map[string]string

func spellingKey(path, v string) string { return path + "\x00" + strings.ToLower(v) }

func (s spellings) collect(fields []policyField, attrs map[string]attr.Value, at string) {
	for _, f := range fields {
		v := attrs[f.name]
		if v == nil || v.IsNull() || v.IsUnknown() {
			continue
		}
		path := at + "." + f.name
		switch f.kind {
		case stringField:
			if f.caseFree {
				str := stringOf(v)
				s[spellingKey(path, str)] = str
			}
		case stringSetField:
			if f.guids {
				for _, e := range elementsOf(v) {
					if str, ok := e.(types.String); ok && !str.IsUnknown() {
						s[spellingKey(path, str.ValueString())] = str.ValueString()
					}
				}
			}
		case objectField:
			s.collect(f.fields, attributesOf(v), path)
		case objectSetField:
			for _, e := range elementsOf(v) {
				if o, ok := e.(types.Object); ok && !o.IsUnknown() {
					s.collect(f.fields, o.Attributes(), path)
				}
			}
		}
	}
}

func (s spellings) of(path, v string) string {
	if prior, ok := s[spellingKey(path, v)]; ok {
		return prior
	}
	return v
}

// fromGraph is the state of the fields as Graph holds them. A property
// Graph leaves out is null (an empty set for collections).
func fromGraph(fields []policyField, g map[string]any, spelled spellings, at string) map[string]attr.Value {
	out := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		out[f.name] = f.valueFromGraph(g[f.graph], spelled, at+"."+f.name)
	}
	return out
}

func (f policyField) valueFromGraph(v any, spelled spellings, path string) attr.Value {
	switch f.kind {
	case boolField:
		if b, ok := v.(bool); ok {
			return types.BoolValue(b)
		}
		return types.BoolNull()
	case int64Field:
		switch n := v.(type) {
		case json.Number:
			if i, err := n.Int64(); err == nil {
				return types.Int64Value(i)
			}
		case float64:
			return types.Int64Value(int64(n))
		}
		return types.Int64Null()
	case stringField:
		if s, ok := v.(string); ok {
			if f.caseFree {
				s = spelled.of(path, s)
			}
			return types.StringValue(s)
		}
		return types.StringNull()
	case stringSetField:
		var elems []attr.Value
		seen := map[string]bool{}
		list, _ := v.([]any)
		for _, e := range list {
			if s, ok := e.(string); ok {
				if f.guids {
					s = spelled.of(path, s)
				}
				if !seen[s] {
					seen[s] = true
					elems = append(elems, types.StringValue(s))
				}
			}
		}
		return types.SetValueMust(types.StringType, elems)
	case objectField:
		m, ok := v.(map[string]any)
		if !ok {
			return types.ObjectNull(attrTypes(f.fields))
		}
		return types.ObjectValueMust(attrTypes(f.fields), fromGraph(f.fields, m, spelled, path))
	case objectSetField:
		et := types.ObjectType{AttrTypes: attrTypes(f.fields)}
		var elems []attr.Value
		list, _ := v.([]any)
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				elems = append(elems, types.ObjectValueMust(et.AttrTypes, fromGraph(f.fields, m, spelled, path)))
			}
		}
		return types.SetValueMust(et, elems)
	}
	panic("unknown field kind")
}
