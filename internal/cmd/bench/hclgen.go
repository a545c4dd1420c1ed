package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Both configurations read the same phones.json through a local list, so
// Terraform does the same expansion, graph walk and state work for
// terraform_data as for the provider: the difference is the provider.
//
// count over a list rather than for_each over a map: Terraform 1.11's own
// cost of for_each over a map of N objects grows as N squared (a plan of
// 2,000 terraform_data from empty took 38.7 s of CPU with for_each over
// the decoded map, 1.9 s with count), which buried the provider's share of
// every figure and made N=5,000 take hours.
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
  count = length(local.phones)

  user_id             = local.phones[count.index].user
  phone_type          = "mobile"
  phone_number        = local.phones[count.index].number
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
  count = length(local.phones)

  input = local.phones[count.index]
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

// phonesJSON is the list of the first n users' phones in a generation.
func phonesJSON(n, gen int) ([]byte, error) {
	l := make([]phoneEntry, 0, n)
	for i := 1; i <= n; i++ {
		l = append(l, phoneEntry{User: userUPN(i), Number: phoneNumber(gen, i)})
	}
	return json.MarshalIndent(l, "", " ")
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
