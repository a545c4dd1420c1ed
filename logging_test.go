package main

import (
	"context"
	"io"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

func TestSilenceDiscardedLogs(t *testing.T) {
	off := map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_ENTRAAUTH": "OFF"}
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"Terraform drops the lines", map[string]string{}, off},
		{"TF_LOG shows them", map[string]string{"TF_LOG": "DEBUG"}, map[string]string{"TF_LOG": "DEBUG"}},
		{"TF_LOG_PROVIDER shows them", map[string]string{"TF_LOG_PROVIDER": "TRACE"}, map[string]string{"TF_LOG_PROVIDER": "TRACE"}},
		{"a level set by the caller is kept", map[string]string{"TF_LOG_SDK_PROTO": "TRACE"},
			map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "TRACE", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_ENTRAAUTH": "OFF"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := maps.Clone(tt.env)
			silenceDiscardedLogs(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if !maps.Equal(env, tt.want) {
				t.Errorf("environment %v, want %v", env, tt.want)
			}
		})
	}
}

// TestSDKLoggerStillDefaultsToTrace is why silenceDiscardedLogs exists
// (UPSTREAM.md): terraform-plugin-log's root SDK logger, which
// terraform-plugin-go and the framework log through, writes TRACE lines
// when TF_LOG_SDK is unset. When this fails, upstream no longer logs by
// default and silenceDiscardedLogs can go.
func TestSDKLoggerStillDefaultsToTrace(t *testing.T) {
	t.Setenv("TF_LOG_SDK", "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w // the logger takes os.Stderr when it is made
	ctx := tfsdklog.NewRootSDKLogger(context.Background(), tfsdklog.WithLevelFromEnv("TF_LOG_SDK"))
	os.Stderr = stderr
	tfsdklog.Trace(ctx, "entraauth-trace-probe")
	w.Close()
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "entraauth-trace-probe") {
		t.Fatalf("terraform-plugin-log's SDK logger no longer writes TRACE lines with TF_LOG_SDK unset (wrote %q): "+
			"silenceDiscardedLogs in logging.go and its entry in UPSTREAM.md can go", out)
	}
}
