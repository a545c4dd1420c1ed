package protocol

import (
	"bytes"
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// planUnchanged answers the plan of an unchanged resource (the proposed new
// state is byte for byte the prior state: every refresh that found no
// drift, for every resource) with the prior state, its private data and
// its identity, for the types the provider vouches for (UnchangedPlanner).
// The framework gives the same answer after decoding three values and
// walking every attribute's plan modifiers (BENCHMARKS.md has the share of
// a refresh). Only with tuning on (TuningEnv). internal/provider's
// TestUnchangedPlanIsPrior compares the two whole responses for each type.
func (s *server) planUnchanged(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	if !s.unchangedIsPrior[req.TypeName] || !sameExistingState(req.PriorState, req.ProposedNewState) {
		return nil, false
	}
	identity := req.PriorIdentity
	if identity == nil {
		var ok bool
		if identity, ok = s.nullIdentityOf(ctx, req.TypeName); !ok {
			return nil, false
		}
	}
	return &tfprotov6.PlanResourceChangeResponse{
		PlannedState:    req.ProposedNewState,
		PlannedPrivate:  req.PriorPrivate,
		PlannedIdentity: identity,
	}, true
}

// sameExistingState reports whether prior and proposed are the same
// msgpack encoding of a resource that exists (not a create or a destroy).
func sameExistingState(prior, proposed *tfprotov6.DynamicValue) bool {
	if prior == nil || proposed == nil || len(prior.JSON) > 0 || len(proposed.JSON) > 0 {
		return false
	}
	const msgpackNil = 0xc0
	return len(prior.MsgPack) > 0 && prior.MsgPack[0] != msgpackNil && bytes.Equal(prior.MsgPack, proposed.MsgPack)
}

// nullIdentityOf is the type's identity with every attribute null, which
// the framework plans when Terraform sends no prior identity; false when
// the type has no identity schema (then the framework answers).
func (s *server) nullIdentityOf(ctx context.Context, typeName string) (*tfprotov6.ResourceIdentityData, bool) {
	if v, ok := s.nullIdentity.Load(typeName); ok {
		id, _ := v.(*tfprotov6.ResourceIdentityData)
		return id, id != nil
	}
	var id *tfprotov6.ResourceIdentityData
	if resp, err := serve(s, ctx, &tfprotov6.GetResourceIdentitySchemasRequest{}, s.frameworkServer.GetResourceIdentitySchemas); err == nil && resp != nil {
		if sch := resp.IdentitySchemas[typeName]; sch != nil {
			typ := sch.ValueType()
			if dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil)); err == nil {
				id = &tfprotov6.ResourceIdentityData{IdentityData: &dv}
			}
		}
	}
	s.nullIdentity.Store(typeName, id)
	return id, id != nil
}
