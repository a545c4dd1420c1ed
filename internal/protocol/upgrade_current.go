package protocol

import (
	"context"

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
// framework cost a request context, loggers and two walks of every
// attribute per resource: about 8% of the provider's CPU on a refresh.
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
	v, err := req.RawState.UnmarshalWithOpts(sch.typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return nil, false
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
