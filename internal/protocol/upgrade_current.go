package protocol

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// currentSchema is what upgradeCurrent needs of a resource type's schema.
type currentSchema struct {
	version int64
	typ     tftypes.Type
}

// upgradeCurrent answers UpgradeResourceState for state saved at the
// type's current schema version: Terraform asks for it once per resource
// on every plan, and the framework's answer is then its passthrough, the
// saved JSON read with the current schema's type (attributes the schema no
// longer has are dropped) and sent back as msgpack. Going through the
// framework costs a request context, loggers and walks of every
// attribute per resource (UPSTREAM.md; BENCHMARKS.md has the share of a
// refresh). Only with tuning on (TuningEnv).
//
// Types with list or set blocks are left to the framework, which also
// turns a null block into an empty one on the way out; so are older
// versions (the resource's StateUpgraders), flatmap state from Terraform
// 0.11 and state the current schema cannot read (the framework explains
// the error). internal/provider's TestUpgradeCurrentIsFrameworks compares
// the two answers for every resource type.
func (s *server) upgradeCurrent(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, bool) {
	if req.RawState == nil || len(req.RawState.JSON) == 0 || len(req.RawState.Flatmap) > 0 {
		return nil, false
	}
	sch, ok := s.currentSchemas(ctx)[req.TypeName]
	if !ok || req.Version != sch.version {
		return nil, false
	}
	v, ok := valueFromStateJSON(req.RawState.JSON, sch.typ)
	if !ok {
		var err error
		v, err = req.RawState.UnmarshalWithOpts(sch.typ, tfprotov6.UnmarshalOpts{
			ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
		})
		if err != nil {
			return nil, false
		}
	}
	dv, err := tfprotov6.NewDynamicValue(sch.typ, v)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, true
}

// currentSchemas is, once per process, the resource types upgradeCurrent
// may answer for: those without list or set blocks at any depth.
func (s *server) currentSchemas(ctx context.Context) map[string]currentSchema {
	s.currentOnce.Do(func() {
		s.current = map[string]currentSchema{}
		resp, err := serve(s, ctx, &tfprotov6.GetProviderSchemaRequest{}, s.frameworkServer.GetProviderSchema)
		if err != nil || resp == nil || hasErrors(resp.Diagnostics) {
			return
		}
		for name, sch := range resp.ResourceSchemas {
			if sch == nil || sch.Block == nil || hasCollectionBlocks(sch.Block) {
				continue
			}
			s.current[name] = currentSchema{version: sch.Version, typ: sch.ValueType()}
		}
	})
	return s.current
}

// hasCollectionBlocks reports whether b nests a list or set block at any
// depth: those the framework reifies from null to empty.
func hasCollectionBlocks(b *tfprotov6.SchemaBlock) bool {
	for _, nb := range b.BlockTypes {
		switch nb.Nesting {
		case tfprotov6.SchemaNestedBlockNestingModeList, tfprotov6.SchemaNestedBlockNestingModeSet:
			return true
		}
		if nb.Block != nil && hasCollectionBlocks(nb.Block) {
			return true
		}
	}
	return false
}

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// valueFromStateJSON reads saved state as tftypes.ValueFromJSONWithOpts
// with IgnoreUndefinedAttributes does, for the shapes Terraform writes:
// strings, bools and numbers as themselves, objects, nulls. Anything else
// (a number sent as a string, collections, dynamic values, a repeated key,
// JSON that does not parse) is false, for tftypes to read or refuse.
// tftypes starts a new json.Decoder for every value of the state; this
// reads the state with one (BenchmarkUpgradeResourceState compares them).
func valueFromStateJSON(data []byte, typ tftypes.Type) (tftypes.Value, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return readStateValue(dec, typ)
}

func readStateValue(dec *json.Decoder, typ tftypes.Type) (tftypes.Value, bool) {
	tok, err := dec.Token()
	if err != nil {
		return tftypes.Value{}, false
	}
	if tok == nil {
		return tftypes.NewValue(typ, nil), true
	}
	switch {
	case typ.Is(tftypes.String):
		if s, ok := tok.(string); ok {
			return tftypes.NewValue(tftypes.String, s), true
		}
	case typ.Is(tftypes.Bool):
		if b, ok := tok.(bool); ok {
			return tftypes.NewValue(tftypes.Bool, b), true
		}
	case typ.Is(tftypes.Number):
		if n, ok := tok.(json.Number); ok {
			if f, _, err := big.ParseFloat(string(n), 10, 512, big.ToNearestEven); err == nil {
				return tftypes.NewValue(tftypes.Number, f), true
			}
		}
	case typ.Is(tftypes.Object{}):
		obj, ok := typ.(tftypes.Object)
		if ok && tok == json.Delim('{') && len(obj.OptionalAttributes) == 0 {
			return readStateObject(dec, obj)
		}
	}
	return tftypes.Value{}, false
}

func readStateObject(dec *json.Decoder, obj tftypes.Object) (tftypes.Value, bool) {
	vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for dec.More() {
		tok, err := dec.Token()
		key, isString := tok.(string)
		if err != nil || !isString {
			return tftypes.Value{}, false
		}
		if _, seen := vals[key]; seen {
			return tftypes.Value{}, false
		}
		at, known := obj.AttributeTypes[key]
		if !known {
			// An attribute the schema no longer has: dropped.
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return tftypes.Value{}, false
			}
			continue
		}
		v, ok := readStateValue(dec, at)
		if !ok {
			return tftypes.Value{}, false
		}
		vals[key] = v
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return tftypes.Value{}, false
	}
	for name, at := range obj.AttributeTypes {
		if _, ok := vals[name]; !ok {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(obj, vals), true
}
