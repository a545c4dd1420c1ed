package mockgraph

import (
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateReference = flag.Bool("update-admin-reference", false, "rewrite testdata/admin-api.txt from the route table")

// adminReferenceFile is the rendered reference the testing guide includes
// (templates/guides/testing-modules-offline.md.tmpl); mockgraph --help
// prints the same text.
var adminReferenceFile = filepath.Join("testdata", "admin-api.txt")

// TestAdminAPIReferenceIsCurrent keeps the committed reference equal to the
// route table: a new route, a renamed path or a new JSON field fails here
// until the file is regenerated with
//
//	go test ./internal/mockgraph -run TestAdminAPIReferenceIsCurrent -update-admin-reference
func TestAdminAPIReferenceIsCurrent(t *testing.T) {
	got := AdminAPIReference()
	if *updateReference {
		if err := os.WriteFile(adminReferenceFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(adminReferenceFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Fatalf("%s is stale; regenerate it with\n  go test ./internal/mockgraph -run TestAdminAPIReferenceIsCurrent -update-admin-reference\nthen run make generate. Rendered from the route table:\n%s", adminReferenceFile, got)
	}
}

// TestAdminRoutesAreServedAndListed: every row of the table is routed to
// its own handler (not the catch-all 404), listed by GET /_mock/, and
// named in the reference.
func TestAdminRoutesAreServedAndListed(t *testing.T) {
	s := startTest(t, Options{})
	var idx struct{ Routes []string }
	if st := admin(t, s, "GET", "/", "", &idx); st != 200 {
		t.Fatalf("index: %d", st)
	}
	ref := AdminAPIReference()
	mux := s.adminMux()
	for _, rt := range s.adminRoutes() {
		path := "/_mock" + strings.NewReplacer("{tenant}", "t", "{user}", "u", "{method}", "m", "{id}", "f").Replace(rt.path)
		req := httptest.NewRequest(rt.method, path, nil)
		if _, pattern := mux.Handler(req); pattern != rt.pattern() {
			t.Errorf("%s %s is routed to %q, want %q", rt.method, path, pattern, rt.pattern())
		}
		line := rt.method + " /_mock" + rt.path
		if !slices.Contains(idx.Routes, line) {
			t.Errorf("GET /_mock/ does not list %q: %v", line, idx.Routes)
		}
		if !strings.Contains(ref, line+"\n") && !strings.Contains(ref, line+"?") {
			t.Errorf("the reference does not document %q", line)
		}
		if rt.doc == "" {
			t.Errorf("%s has no doc", line)
		}
	}
}

// TestFaultKindsListed: every kind the reference lists is one the mock knows.
func TestFaultKindsListed(t *testing.T) {
	for _, k := range faultKinds {
		f := Fault{Kind: k}
		if err := f.validate(); err != nil && strings.Contains(err.Error(), "unknown kind") {
			t.Errorf("the reference lists fault kind %q, which the mock does not know", k)
		}
	}
	for _, op := range operations {
		if f := (Fault{Kind: FaultThrottle, Match: op}); f.validate() != nil {
			t.Errorf("the reference lists operation %q, which a fault cannot match: %v", op, f.validate())
		}
	}
}
