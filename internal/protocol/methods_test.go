package protocol

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entraauth/terraform-provider-entraauth/internal/provider"
)

// How the server serves each method of the interfaces it implements. A
// method missing from these lists is one tfprotov6 added since: the server
// would pass it to the framework through its embedded interface, with the
// request's context kept by the framework until the next StopProvider.
var (
	// passedThrough are served by (s *server) methods calling serve or
	// serveStream: the framework answers, the context is released.
	passedThrough = []string{
		"GetMetadata", "GetProviderSchema", "GetResourceIdentitySchemas", "ValidateProviderConfig", "ConfigureProvider",
		"ValidateResourceConfig", "UpgradeResourceIdentity", "ReadResource", "ApplyResourceChange",
		"ImportResourceState", "MoveResourceState", "GenerateResourceConfig",
		"ValidateDataResourceConfig", "ReadDataSource",
		"CallFunction", "GetFunctions",
		"ValidateEphemeralResourceConfig", "OpenEphemeralResource", "RenewEphemeralResource", "CloseEphemeralResource",
		"ValidateListResourceConfig", "ListResource",
		"ValidateActionConfig", "PlanAction", "InvokeAction",
		"ValidateStateStoreConfig", "ConfigureStateStore", "ReadStateBytes", "WriteStateBytes",
		"GetStates", "DeleteState", "LockState", "UnlockState",
	}
	// answeredWhenTuned are (s *server) methods that answer some requests
	// themselves when tuning is on (TuningEnv) and pass the rest through.
	answeredWhenTuned = []string{"UpgradeResourceState", "PlanResourceChange"}
	// straightThrough reach the framework through the embedded interface,
	// on purpose: StopProvider, Terraform's interrupt, must reach the
	// requests in flight and is not held back by a trim.
	straightThrough = []string{"StopProvider"}
)

// serverInterfaces are tfprotov6's server interfaces: the framework's
// server implements some, and the server must then implement them too
// (tf6server finds the optional services by type assertion).
var serverInterfaces = map[string]reflect.Type{
	"ProviderServer":                 reflect.TypeFor[tfprotov6.ProviderServer](),
	"ResourceServer":                 reflect.TypeFor[tfprotov6.ResourceServer](),
	"DataSourceServer":               reflect.TypeFor[tfprotov6.DataSourceServer](),
	"FunctionServer":                 reflect.TypeFor[tfprotov6.FunctionServer](),
	"EphemeralResourceServer":        reflect.TypeFor[tfprotov6.EphemeralResourceServer](),
	"ListResourceServer":             reflect.TypeFor[tfprotov6.ListResourceServer](),
	"ActionServer":                   reflect.TypeFor[tfprotov6.ActionServer](),
	"StateStoreServer":               reflect.TypeFor[tfprotov6.StateStoreServer](),
	"ProviderServerWithListResource": reflect.TypeFor[tfprotov6.ProviderServerWithListResource](), //nolint:staticcheck // tf6server still asserts it
	"ProviderServerWithActions":      reflect.TypeFor[tfprotov6.ProviderServerWithActions](),      //nolint:staticcheck // tf6server still asserts it
	"ProviderServerWithStateStores":  reflect.TypeFor[tfprotov6.ProviderServerWithStateStores](),  //nolint:staticcheck // tf6server still asserts it
}

// TestServerServesEveryMethodDeliberately fails when tfprotov6 (a
// terraform-plugin-go upgrade) adds a method or a server interface that
// the server has not been told how to serve.
func TestServerServesEveryMethodDeliberately(t *testing.T) {
	listed := slices.Concat(passedThrough, answeredWhenTuned, straightThrough)
	fs := reflect.TypeFor[frameworkServer]()
	var methods []string
	for i := range fs.NumMethod() {
		name := fs.Method(i).Name
		methods = append(methods, name)
		if !slices.Contains(listed, name) {
			t.Errorf("tfprotov6 has a new method %s: add a (s *server) %s calling serve (or serveStream for a streamed response) in server.go "+
				"and list it in passedThrough in methods_test.go; if the framework must get the request's own context, list it in straightThrough and say why", name, name)
		}
	}
	for _, name := range listed {
		if !slices.Contains(methods, name) {
			t.Errorf("%s is listed in methods_test.go but tfprotov6 no longer has it: remove it from the lists and from server.go", name)
		}
	}

	declared := serverMethods(t)
	for _, name := range slices.Concat(passedThrough, answeredWhenTuned) {
		if !slices.Contains(declared, name) {
			t.Errorf("%s is listed as served by the server but server.go declares no (s *server) %s: the framework gets it through the embedded interface and keeps its context", name, name)
		}
	}
	for _, name := range straightThrough {
		if slices.Contains(declared, name) {
			t.Errorf("%s is listed as going straight to the framework but (s *server) %s exists: move it to passedThrough", name, name)
		}
	}
}

// TestServerOffersTheFrameworksServices: every tfprotov6 server interface
// the framework's server implements, the server implements too; and every
// such interface in tfprotov6's source is known to this test.
func TestServerOffersTheFrameworksServices(t *testing.T) {
	for _, name := range tfprotov6ServerInterfaces(t) {
		if _, ok := serverInterfaces[name]; !ok {
			t.Errorf("tfprotov6 has a new interface %s: add it to serverInterfaces in methods_test.go; if the framework's server implements it, "+
				"add it to frameworkServer in server.go (tf6server finds optional services by type assertion) and serve its methods", name)
		}
	}
	fw := reflect.TypeOf(providerserver.NewProtocol6(provider.New("test")())())
	srv := reflect.TypeOf(NewServer(provider.New("test"))())
	for name, iface := range serverInterfaces {
		if fw.Implements(iface) && !srv.Implements(iface) {
			t.Errorf("the framework's server implements tfprotov6.%s and the server (%s) does not: Terraform would not find that service", name, srv)
		}
	}
}

// serverMethods are the methods declared with a *server receiver in this
// package's source (not promoted from the embedded frameworkServer).
func serverMethods(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range sourceDecls(t, files) {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
			if id, ok := star.X.(*ast.Ident); ok && id.Name == "server" {
				names = append(names, fn.Name.Name)
			}
		}
	}
	return names
}

// sourceDecls parses the files that are not tests and returns their
// top-level declarations.
func sourceDecls(t *testing.T, files []string) []ast.Decl {
	t.Helper()
	var decls []ast.Decl
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		decls = append(decls, f.Decls...)
	}
	return decls
}

// tfprotov6ServerInterfaces are the exported interface types named
// ...Server or ProviderServerWith... in the tfprotov6 source go.mod picks.
func tfprotov6ServerInterfaces(t *testing.T) []string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to find tfprotov6's source:", err)
	}
	out, err := exec.Command(goCmd, "list", "-f", "{{.Dir}}", "github.com/hashicorp/terraform-plugin-go/tfprotov6").Output()
	if err != nil {
		t.Fatalf("go list tfprotov6: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tfprotov6 source in %q: %v", out, err)
	}
	var names []string
	for _, d := range sourceDecls(t, files) {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok || !ts.Name.IsExported() {
				continue
			}
			if _, isInterface := ts.Type.(*ast.InterfaceType); isInterface &&
				(strings.HasSuffix(ts.Name.Name, "Server") || strings.HasPrefix(ts.Name.Name, "ProviderServerWith")) {
				names = append(names, ts.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("found no server interface in tfprotov6's source: the parse above is wrong")
	}
	return names
}
