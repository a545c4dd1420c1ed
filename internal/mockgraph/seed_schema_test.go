package mockgraph

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// exampleSeeds are every seed file under examples/ (names containing
// "seed" and ending in .json): the ones users copy.
func exampleSeeds(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "..", "examples"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") && strings.Contains(d.Name(), "seed") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d example seeds (%v); did examples/ move?", len(files), files)
	}
	return files
}

// TestSeedSchemaAcceptsExampleSeeds: the schema and the mock agree on every
// example seed, and the mock starts from each.
func TestSeedSchemaAcceptsExampleSeeds(t *testing.T) {
	for _, f := range exampleSeeds(t) {
		t.Run(f, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkSeedJSON(b); err != nil {
				t.Fatalf("schema: %v", err)
			}
			s := startTest(t, Options{Seed: &Seed{}})
			if err := s.LoadSeed(f); err != nil {
				t.Fatalf("load: %v", err)
			}
		})
	}
}

// TestSeedSchemaMatchesGoTypes walks the Seed type and the schema side by
// side: a field added to a seed type without its schema property (or a
// schema property without a field) fails here.
func TestSeedSchemaMatchesGoTypes(t *testing.T) {
	root := compiledSeedSchema
	var walk func(typ reflect.Type, s *jsonSchema, path string)
	walk = func(typ reflect.Type, s *jsonSchema, path string) {
		s = s.resolve(root)
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		has := func(types ...string) bool {
			return slices.ContainsFunc(s.types, func(x string) bool { return slices.Contains(types, x) })
		}
		switch {
		case typ == reflect.TypeFor[Duration]():
			if !has("string") || !has("number") {
				t.Errorf("%s: a Duration is a string or a number, schema says %v", path, s.types)
			}
			return
		case typ.Kind() == reflect.String:
			if !has("string") && len(s.Enum) == 0 {
				t.Errorf("%s: a string in Go, %v in the schema", path, s.types)
			}
		case typ.Kind() == reflect.Bool:
			if !has("boolean") {
				t.Errorf("%s: a bool in Go, %v in the schema", path, s.types)
			}
		case typ.Kind() == reflect.Int:
			if !has("integer") {
				t.Errorf("%s: an int in Go, %v in the schema", path, s.types)
			}
		case typ.Kind() == reflect.Float64:
			if !has("number") {
				t.Errorf("%s: a float in Go, %v in the schema", path, s.types)
			}
		case typ.Kind() == reflect.Slice:
			if !has("array") || s.Items == nil {
				t.Errorf("%s: a list in Go, %v in the schema", path, s.types)
				return
			}
			walk(typ.Elem(), s.Items, path+"[]")
		case typ.Kind() == reflect.Map:
			if !has("object") || s.additional == nil {
				t.Errorf("%s: a map in Go; the schema needs type object with additionalProperties", path)
				return
			}
			walk(typ.Elem(), s.additional, path+"{}")
		case typ.Kind() == reflect.Struct:
			if !has("object") || !s.closed {
				t.Errorf("%s: a struct in Go; the schema needs type object with additionalProperties false", path)
			}
			var goNames []string
			for _, f := range jsonFields(typ) {
				goNames = append(goNames, f.name)
				p := s.Properties[f.name]
				if p == nil {
					t.Errorf("%s: Go field %q (%s.%s) has no property in seed.schema.json", path, f.name, typ.Name(), f.name)
					continue
				}
				walk(f.typ, p, joinPath(path, f.name))
			}
			for _, n := range s.propertyNames() {
				if !slices.Contains(goNames, n) {
					t.Errorf("%s: schema property %q has no field in Go type %s", path, n, typ.Name())
				}
			}
		case typ.Kind() == reflect.Interface:
			// any JSON value (a method's properties): the schema must not
			// constrain it.
			if len(s.types) != 0 || len(s.Enum) != 0 {
				t.Errorf("%s: any value in Go, the schema says %v", path, s.types)
			}
		default:
			t.Errorf("%s: Go kind %s is not mapped by this test", path, typ.Kind())
		}
	}
	walk(reflect.TypeFor[Seed](), root, "")
}

// TestSeedSchemaPhonePattern: the schema's phone number pattern is the
// mock's own.
func TestSeedSchemaPhonePattern(t *testing.T) {
	got := compiledSeedSchema.Defs["phoneMethod"].Properties["phoneNumber"].Pattern
	if got != phoneNumberPattern.String() {
		t.Fatalf("seed.schema.json phoneNumber pattern %q, rules.go %q", got, phoneNumberPattern.String())
	}
}

// TestSeedErrorPaths: a bad seed names the path of the bad field, from the
// schema (JSON) and from Validate and ApplySeed (Go and JSON alike).
func TestSeedErrorPaths(t *testing.T) {
	for _, c := range []struct{ name, seed, want string }{
		{"bad number", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"a@t"},{"userPrincipalName":"b@t"},{"userPrincipalName":"c@t","phoneMethods":[{"phoneType":"mobile","phoneNumber":"+1 555-555-0100"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[2].phoneMethods[0].phoneNumber: "+1 555-555-0100" does not match`},
		{"unknown field", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","mail":"x@t"}]}]}`,
			`mockgraph: seed: tenants[0].users[0].mail: unknown field (allowed here: authenticationMethods, defaultMethod, displayName, emailMethod, id, otherMethods, phoneMethods, replicationDelay, temporaryAccessPasses, userPrincipalName)`},
		{"bad email", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","emailMethod":{"emailAddress":"nope"}}]}]}`,
			`mockgraph: seed: tenants[0].users[0].emailMethod.emailAddress: "nope" does not match`},
		{"bad pass reason", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","temporaryAccessPasses":[{"methodUsabilityReason":"Lost"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[0].temporaryAccessPasses[0].methodUsabilityReason: "Lost" is not one of`},
		{"bad pass time", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","temporaryAccessPasses":[{"startDateTime":"soon"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[0].temporaryAccessPasses[0]: startDateTime "soon" is not an RFC 3339 time`},
		{"method without type", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","authenticationMethods":[{"displayName":"key"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[0].authenticationMethods[0]: @odata.type is required`},
		{"method of an own type", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","authenticationMethods":[{"@odata.type":"#microsoft.graph.emailAuthenticationMethod"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[0].authenticationMethods[0]: #microsoft.graph.emailAuthenticationMethod is seeded with`},
		{"wrong type", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","phoneMethods":[{"phoneType":"mobile","phoneNumber":"+1 5555550100","smsSignInEnabled":"yes"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[0].phoneMethods[0].smsSignInEnabled: want boolean, got string`},
		{"bad enum", `{"tenants":[{"id":"t","smsPolicy":{"state":"enabled","includeTargets":[{"id":"all_users","targetType":"everyone"}]}}]}`,
			`mockgraph: seed: tenants[0].smsPolicy.includeTargets[0].targetType: "everyone" is not one of "user", "group"`},
		{"missing id", `{"tenants":[{"domain":"t.example"}]}`,
			`mockgraph: seed: tenants[0]: id is required`},
		{"bad fault", `{"tenants":[],"faults":[{"kind":"throttle"},{"kind":"meteor"}]}`,
			`mockgraph: seed: faults[1].kind: "meteor" is not one of`},
		{"bad duration", `{"tenants":[],"faults":[{"kind":"latency","latency":"soon"}]}`,
			`mockgraph: seed: faults[0].latency: "soon" does not match`},
		{"top level", `{"tenant":[]}`,
			`mockgraph: seed: tenant: unknown field (allowed here: $schema, //, faults, readBudget, tenants, writeBudget)`},
		{"not json", `{"tenants":`, `mockgraph: seed: not valid JSON`},
		// Found by Validate, past the schema.
		{"two mobiles", `{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","phoneMethods":[{"phoneType":"mobile","phoneNumber":"+1 5555550100"},{"phoneType":"mobile","phoneNumber":"+1 5555550101"}]}]}]}`,
			`mockgraph: seed: tenants[0].users[0].phoneMethods[1].phoneType: x@t has a second mobile phone`},
		{"lag without duration", `{"tenants":[],"faults":[{"kind":"throttle"},{"kind":"lag"}]}`,
			`mockgraph: seed: faults[1]: fault "": lag needs lag_for or lag_reads`},
		// Found while applying.
		{"dangling member", `{"tenants":[{"id":"t","groups":[{"id":"g"},{"id":"g2","members":["nobody@t"]}]}]}`,
			`mockgraph: seed: tenants[0].groups[1]: `},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startTest(t, Options{Seed: &Seed{}})
			sd, err := ParseSeed([]byte(c.seed))
			if err == nil {
				err = s.ApplySeed(sd)
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error\n  %v\nwant prefix\n  %s", err, c.want)
			}
			var se *SeedError
			if !errors.As(err, &se) {
				t.Fatalf("%T is not a *SeedError", err)
			}
		})
	}
	// The Go API reports the same paths.
	err := (&Seed{Tenants: []SeedTenant{{ID: "t", Users: []SeedUser{{User: User{UserPrincipalName: "x@t"}, PhoneMethods: []SeedPhoneMethod{{PhoneType: "pager", PhoneNumber: "+1 5555550100"}}}}}}}).Validate()
	if err == nil || err.Error() != `mockgraph: seed: tenants[0].users[0].phoneMethods[0].phoneType: "pager" is not mobile, alternateMobile or office` {
		t.Fatalf("Go seed: %v", err)
	}
}

// TestSeedSchemaReportsEveryMistake: one run lists all the mistakes, not
// just the first.
func TestSeedSchemaReportsEveryMistake(t *testing.T) {
	err := checkSeedJSON([]byte(`{"tenants":[{"id":"t","users":[{"userPrincipalName":"x@t","phoneMethods":[{"phoneType":"pager","phoneNumber":"1"}]}]}],"writeBudget":{"capacity":-1}}`))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"tenants[0].users[0].phoneMethods[0].phoneType: ",
		"tenants[0].users[0].phoneMethods[0].phoneNumber: ",
		"writeBudget.capacity: -1 is below the minimum 0",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}
