package main

import "github.com/entraauth/terraform-provider-entraauth/internal/graph"

// Terraform shows a provider's log lines only when TF_LOG or TF_LOG_PROVIDER
// is set (the provider inherits Terraform's environment); otherwise it reads
// them from the provider's stderr and drops them. terraform-plugin-go and
// terraform-plugin-framework log at TRACE unless told otherwise: a JSON line
// for each request and each phase of it, built by the provider and read and
// dropped by Terraform (UPSTREAM.md, BENCHMARKS.md). With neither variable
// set, their levels are set to OFF; a level the caller set is kept.
var discardedLogLevels = []string{
	"TF_LOG_SDK",              // terraform-plugin-go and -framework, root
	"TF_LOG_SDK_PROTO",        // terraform-plugin-go's protocol subsystem
	"TF_LOG_SDK_FRAMEWORK",    // terraform-plugin-framework's subsystem
	graph.ProviderLogLevelEnv, // the provider's own tflog lines; OFF also skips the Graph request log middleware's work
}

// silenceDiscardedLogs turns the loggers off when Terraform would drop
// their lines. Not in debug mode: the developer reads stderr there.
func silenceDiscardedLogs(getenv func(string) string, setenv func(string, string) error) {
	if getenv("TF_LOG") != "" || getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, name := range discardedLogLevels {
		if getenv(name) == "" {
			_ = setenv(name, "OFF")
		}
	}
}
