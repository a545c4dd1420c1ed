package mockgraph

import (
	"net/http"
	"strings"
)

// Operation names, used by faults, the request log and lag.
const (
	OpList             = "list"
	OpGet              = "get"
	OpCreate           = "create"
	OpUpdate           = "update"
	OpDelete           = "delete"
	OpEnableSmsSignIn  = "enableSmsSignIn"
	OpDisableSmsSignIn = "disableSmsSignIn"
	OpPolicyGet        = "policy.get"
	OpPolicyUpdate     = "policy.update"
	// The other authentication method configurations and the policy root
	// (method_configurations.go, policy_root.go); the SMS configuration
	// keeps policy.get and policy.update.
	OpMethodConfigurationGet    = "methodConfiguration.get"
	OpMethodConfigurationUpdate = "methodConfiguration.update"
	OpPolicyRootGet             = "policyRoot.get"
	OpPolicyRootUpdate          = "policyRoot.update"
	// Directory reads (directory.go): GET /users, GET /users/{id|UPN} and
	// GET /groups/{id}/transitiveMembers/microsoft.graph.user.
	OpUserList     = "user.list"
	OpUserGet      = "user.get"
	OpGroupMembers = "group.transitiveMembers"
)

// route is a parsed /v1.0 path.
type route struct {
	kind     string            // "phoneMethods", "phoneMethod", "action", "policy", "methodConfiguration", "policyRoot", a directory kind (directory.go), "" (unknown)
	configID string            // for methodConfiguration
	me       bool              // /me/... rather than /users/{id}/...
	userKey  string            // id or UPN, empty for /me
	methodID string            // for phoneMethod and action
	action   string            // enableSmsSignIn | disableSmsSignIn
	groupID  string            // for the group members route
	ops      map[string]string // HTTP method -> operation
}

// Graph allows on /me only list, get, delete, enable and disable; create and
// update are not self-service, so /me answers 405 for them.
var (
	opsCollection   = map[string]string{http.MethodGet: OpList, http.MethodPost: OpCreate}
	opsCollectionMe = map[string]string{http.MethodGet: OpList}
	opsItem         = map[string]string{http.MethodGet: OpGet, http.MethodPatch: OpUpdate, http.MethodDelete: OpDelete}
	opsItemMe       = map[string]string{http.MethodGet: OpGet, http.MethodDelete: OpDelete}
	opsPolicy       = map[string]string{http.MethodGet: OpPolicyGet, http.MethodPatch: OpPolicyUpdate}
	opsMethodConfig = map[string]string{http.MethodGet: OpMethodConfigurationGet, http.MethodPatch: OpMethodConfigurationUpdate}
	opsPolicyRoot   = map[string]string{http.MethodGet: OpPolicyRootGet, http.MethodPatch: OpPolicyRootUpdate}
)

// parseRoute understands the paths under /v1.0. Literal segments compare
// case-insensitively, as Graph's do.
func parseRoute(p string) route {
	p = strings.TrimPrefix(p, "/v1.0")
	segs := strings.Split(strings.Trim(p, "/"), "/")
	eq := strings.EqualFold
	if len(segs) == 4 && eq(segs[0], "policies") && eq(segs[1], "authenticationMethodsPolicy") &&
		eq(segs[2], "authenticationMethodConfigurations") && eq(segs[3], "sms") {
		return route{kind: "policy", ops: opsPolicy}
	}
	if len(segs) >= 2 && eq(segs[0], "policies") && eq(segs[1], "authenticationMethodsPolicy") {
		switch {
		case len(segs) == 2:
			return route{kind: "policyRoot", ops: opsPolicyRoot}
		case len(segs) == 4 && eq(segs[2], "authenticationMethodConfigurations") && segs[3] != "":
			// Any id: the handler answers 404 for one Graph does not have.
			return route{kind: "methodConfiguration", configID: segs[3], ops: opsMethodConfig}
		}
	}
	if rt, ok := parseDirectoryRoute(segs); ok {
		return rt
	}
	var rt route
	switch {
	case len(segs) >= 3 && eq(segs[0], "me"):
		rt.me, segs = true, segs[1:]
	case len(segs) >= 4 && eq(segs[0], "users") && segs[1] != "":
		rt.userKey, segs = segs[1], segs[2:]
	default:
		return route{}
	}
	if !eq(segs[0], "authentication") || !eq(segs[1], "phoneMethods") {
		return route{}
	}
	switch len(segs) {
	case 2:
		rt.kind, rt.ops = "phoneMethods", opsCollection
		if rt.me {
			rt.ops = opsCollectionMe
		}
	case 3:
		rt.kind, rt.methodID, rt.ops = "phoneMethod", segs[2], opsItem
		if rt.me {
			rt.ops = opsItemMe
		}
	case 4:
		rt.kind, rt.methodID = "action", segs[2]
		switch {
		case eq(segs[3], OpEnableSmsSignIn):
			rt.action = OpEnableSmsSignIn
		case eq(segs[3], OpDisableSmsSignIn):
			rt.action = OpDisableSmsSignIn
		default:
			return route{}
		}
		rt.ops = map[string]string{http.MethodPost: rt.action}
	default:
		return route{}
	}
	if rt.methodID == "" && rt.kind != "phoneMethods" {
		return route{}
	}
	return rt
}

// isWrite reports whether the operation changes state (for the write
// throttle, drop faults and read-after-write lag).
func isWrite(op string) bool {
	switch op {
	case OpCreate, OpUpdate, OpDelete, OpEnableSmsSignIn, OpDisableSmsSignIn, OpPolicyUpdate,
		OpMethodConfigurationUpdate, OpPolicyRootUpdate:
		return true
	}
	return false
}

// isPolicyOp reports whether the operation is on the authentication
// methods policy (the fault group "policy").
func isPolicyOp(op string) bool {
	switch op {
	case OpPolicyGet, OpPolicyUpdate, OpMethodConfigurationGet, OpMethodConfigurationUpdate, OpPolicyRootGet, OpPolicyRootUpdate:
		return true
	}
	return false
}
