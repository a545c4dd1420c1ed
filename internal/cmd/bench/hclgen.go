package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Both configurations read the same phones.json through a local map, so
// Terraform does the same for_each expansion, graph walk and state work
// for terraform_data as for the provider: the difference is the provider.
const entraauthConfig = `terraform {
  required_providers {
    entraauth = {
      source = "entraauth/entraauth"
    }
  }
}

# Settings come from the ARM_* variables the bench sets.
provider "entraauth" {}

locals {
  phones = jsondecode(file("${path.module}/phones.json"))
}

resource "entraauth_phone_authentication_method" "mobile" {
  for_each = local.phones

  user_id             = each.value.user
  phone_type          = "mobile"
  phone_number        = each.value.number
  sms_sign_in_enabled = true
}
`

// entraauthNoSMSConfig leaves sms_sign_in_enabled unset: the provider
// then neither enables nor disables SMS sign-in (the "create without SMS
// sign-in" target).
var entraauthNoSMSConfig = strings.Replace(entraauthConfig, "  sms_sign_in_enabled = true\n", "", 1)

const terraformDataConfig = `# The floor's baseline: Terraform's own cost for as many resources, built
# into Terraform (no provider process, no download).
locals {
  phones = jsondecode(file("${path.module}/phones.json"))
}

resource "terraform_data" "mobile" {
  for_each = local.phones

  input = each.value
}
`

// phoneNumber is user i's mobile number in a generation (0: created,
// 1: updated); unique per user, as SMS sign-in requires.
func phoneNumber(gen, i int) string { return fmt.Sprintf("+1 55%d%07d", 5+gen, i) }

// phoneEntry is one value of the phones map.
type phoneEntry struct {
	User   string `json:"user"`
	Number string `json:"number"`
}

// phonesJSON is the map of the first n users' phones in a generation.
func phonesJSON(n, gen int) ([]byte, error) {
	m := make(map[string]phoneEntry, n)
	for i := 1; i <= n; i++ {
		m[fmt.Sprintf("u%05d", i)] = phoneEntry{User: userUPN(i), Number: phoneNumber(gen, i)}
	}
	return json.MarshalIndent(m, "", " ")
}

// writeConfig writes main.tf (once) and phones.json (each generation).
func writeConfig(dir, mainTF string, n, gen int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(mainTF), 0o644); err != nil {
		return err
	}
	b, err := phonesJSON(n, gen)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "phones.json"), b, 0o644)
}
