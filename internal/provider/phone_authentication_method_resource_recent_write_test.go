package provider

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateMap stands in for the framework's private state: values must be
// JSON, as the framework requires.
type privateMap map[string][]byte

func (m privateMap) SetKey(_ context.Context, k string, v []byte) diag.Diagnostics {
	if len(v) == 0 {
		delete(m, k)
		return nil
	}
	if !json.Valid(v) {
		var d diag.Diagnostics
		d.AddError("not JSON", string(v))
		return d
	}
	m[k] = v
	return nil
}

func (m privateMap) GetKey(_ context.Context, k string) ([]byte, diag.Diagnostics) { return m[k], nil }

func TestRecentWriteWindow(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	p := privateMap{}
	if d := markRecentWrite(ctx, p, at); d.HasError() {
		t.Fatalf("marker is not valid private state: %v", d)
	}
	cases := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"right after the write", at.Add(2 * time.Second), true},
		{"just inside the window", at.Add(recentWriteWindow - time.Second), true},
		{"a later CI plan", at.Add(recentWriteWindow), false},
		{"days later", at.Add(72 * time.Hour), false},
	}
	for _, c := range cases {
		if got := wroteRecently(ctx, p, c.now); got != c.want {
			t.Errorf("%s: wroteRecently = %v, want %v", c.name, got, c.want)
		}
	}
	// The flag an earlier version wrote never makes a read wait.
	legacy := privateMap{privateRecentWrite: []byte("true")}
	if wroteRecently(ctx, legacy, at) {
		t.Error(`legacy "true" marker counted as recent`)
	}
	_ = clearRecentWrite(ctx, p)
	if wroteRecently(ctx, p, at.Add(time.Second)) {
		t.Error("cleared marker still counts as recent")
	}
}
