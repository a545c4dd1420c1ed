package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestToGraphFeatureSettings: an Authenticator feature_settings that sets
// one feature sends that feature whole, the other as Graph holds it, and
// never numberMatchingRequiredState (Graph returns it and refuses it).
func TestToGraphFeatureSettings(t *testing.T) {
	var fs policyField
	for _, f := range authenticatorPolicy.fields {
		if f.name == "feature_settings" {
			fs = f
		}
	}
	ft, _ := fs.attrType().(types.ObjectType)
	featureType, _ := ft.AttrTypes["display_location_information_required_state"].(types.ObjectType)
	targetType, _ := featureType.AttrTypes["include_target"].(types.ObjectType)
	target := func(id string) attr.Value {
		return types.ObjectValueMust(targetType.AttrTypes, map[string]attr.Value{"id": types.StringValue(id), "target_type": types.StringValue("group")})
	}
	location := types.ObjectValueMust(featureType.AttrTypes, map[string]attr.Value{
		"state": types.StringValue("enabled"), "include_target": target("all_users"), "exclude_target": target(noFeatureTarget),
	})
	plan := map[string]attr.Value{"feature_settings": types.ObjectValueMust(ft.AttrTypes, map[string]attr.Value{
		"display_location_information_required_state": location,
		"display_app_information_required_state":      types.ObjectUnknown(featureType.AttrTypes),
	})}
	config := map[string]attr.Value{"feature_settings": types.ObjectValueMust(ft.AttrTypes, map[string]attr.Value{
		"display_location_information_required_state": location,
		"display_app_information_required_state":      types.ObjectNull(featureType.AttrTypes),
	})}
	var current map[string]any
	if err := json.Unmarshal([]byte(`{"featureSettings":{
		"displayAppInformationRequiredState":{"state":"disabled","includeTarget":{"id":"all_users","targetType":"group"},"excludeTarget":{"id":"00000000-0000-0000-0000-000000000000","targetType":"group"}},
		"displayLocationInformationRequiredState":{"state":"default","includeTarget":{"id":"all_users","targetType":"group"},"excludeTarget":{"id":"00000000-0000-0000-0000-000000000000","targetType":"group"}},
		"numberMatchingRequiredState":{"state":"default","includeTarget":{"id":"all_users","targetType":"group"},"excludeTarget":{"id":"00000000-0000-0000-0000-000000000000","targetType":"group"}}}}`), &current); err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(toGraph([]policyField{fs}, plan, config, current, false))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"featureSettings":{"displayAppInformationRequiredState":{"excludeTarget":{"id":"00000000-0000-0000-0000-000000000000","targetType":"group"},"includeTarget":{"id":"all_users","targetType":"group"},"state":"disabled"},` +
		`"displayLocationInformationRequiredState":{"excludeTarget":{"id":"00000000-0000-0000-0000-000000000000","targetType":"group"},"includeTarget":{"id":"all_users","targetType":"group"},"state":"enabled"}}}`
	if string(got) != want {
		t.Fatalf("PATCH body\n%s\nwant\n%s", got, want)
	}
	// Left out of the configuration at the top level: not sent at all.
	got, _ = json.Marshal(toGraph([]policyField{fs}, map[string]attr.Value{"feature_settings": types.ObjectUnknown(ft.AttrTypes)},
		map[string]attr.Value{"feature_settings": types.ObjectNull(ft.AttrTypes)}, current, false))
	if string(got) != `{}` {
		t.Fatalf("PATCH body %s; want {}", got)
	}
}

// TestNullUnknowns: a state saved without a read holds no unknown value at
// any depth.
func TestNullUnknowns(t *testing.T) {
	inner := map[string]attr.Type{"a": types.StringType, "b": types.Int64Type}
	v := types.ObjectValueMust(map[string]attr.Type{"o": types.ObjectType{AttrTypes: inner}, "s": types.StringType}, map[string]attr.Value{
		"o": types.ObjectValueMust(inner, map[string]attr.Value{"a": types.StringValue("x"), "b": types.Int64Unknown()}),
		"s": types.StringUnknown(),
	})
	got := attributesOf(nullUnknowns(v))
	o := attributesOf(got["o"])
	if !got["s"].IsNull() || !o["b"].IsNull() || stringOf(o["a"]) != "x" {
		t.Fatalf("nullUnknowns = %v", got)
	}
}
