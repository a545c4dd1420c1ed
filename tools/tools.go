//go:build generate

// Package tools pins the versions of the developer tools the Makefile runs,
// in their own module so they never leak into the provider's dependencies.
// The "generate" build tag is set by go generate itself, so this file is
// seen by "go generate" and by "go mod tidy" but never built.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"

	// Test runner with a per-package view and a closing summary line.
	_ "gotest.tools/gotestsum"
)

// Format the examples, then render docs/ from the provider schema, templates/
// and examples/.
//go:generate terraform fmt -recursive ../examples/
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name entraauth --rendered-provider-name "Entra Authentication Methods"
