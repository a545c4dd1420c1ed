package protocol

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateType has every kind valueFromStateJSON reads itself, a nested
// object, and a list it leaves to tftypes.
var stateType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id":      tftypes.String,
	"enabled": tftypes.Bool,
	"count":   tftypes.Number,
	"timeouts": tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"create": tftypes.String,
		"delete": tftypes.String,
	}},
	"tags": tftypes.List{ElementType: tftypes.String},
}}

var stateJSONSeeds = []string{
	`{"id":"adele@contoso.com/mobile","enabled":true,"count":3,"timeouts":null,"tags":null}`,
	`{"id":"x","timeouts":{"create":"10m"}}`,
	`{"id":"x","retired":{"deep":[1,2,{"a":null}]},"enabled":false}`,
	`{}`,
	`null`,
	`{"count":1e400}`,
	`{"count":-0.000000000000000000001}`,
	`{"id":5}`,
	`{"id":true}`,
	`{"enabled":"true"}`,
	`{"enabled":1}`,
	`{"count":"12"}`,
	`{"id":"a","id":"b"}`,
	`{"id":"a"} trailing`,
	`{"id":"a"`,
	`{"tags":["a","b"]}`,
	`{"timeouts":{"create":"1m","unknown":1}}`,
	`{"timeouts":[]}`,
	`[]`,
	`"x"`,
	``,
	`{"id":"\u00e9\ud83d\ude00"}`,
}

// checkStateJSON holds valueFromStateJSON to tftypes: whatever it reads
// itself is what tftypes.ValueFromJSONWithOpts (IgnoreUndefinedAttributes,
// the framework's options) reads.
func checkStateJSON(t *testing.T, data string) {
	t.Helper()
	got, ok := valueFromStateJSON([]byte(data), stateType)
	if !ok {
		return
	}
	want, err := tftypes.ValueFromJSONWithOpts([]byte(data), stateType, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		t.Fatalf("%q: read as %s, but tftypes refuses it: %v", data, got, err)
	}
	if !got.Equal(want) {
		t.Fatalf("%q: read as %s, tftypes reads %s", data, got, want)
	}
}

func TestValueFromStateJSONIsTftypes(t *testing.T) {
	read := 0
	for _, data := range stateJSONSeeds {
		checkStateJSON(t, data)
		if _, ok := valueFromStateJSON([]byte(data), stateType); ok {
			read++
		}
	}
	// The shapes Terraform writes are read without tftypes.
	for _, data := range stateJSONSeeds[:7] {
		if _, ok := valueFromStateJSON([]byte(data), stateType); !ok {
			t.Errorf("%q was left to tftypes", data)
		}
	}
	if read == len(stateJSONSeeds) {
		t.Error("every seed was read without tftypes: the fallback is untested")
	}
}

func FuzzValueFromStateJSON(f *testing.F) {
	for _, s := range stateJSONSeeds {
		f.Add(s)
	}
	f.Fuzz(checkStateJSON)
}
