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
	// A user's email method (email_methods.go).
	OpEmailList   = "emailMethod.list"
	OpEmailGet    = "emailMethod.get"
	OpEmailCreate = "emailMethod.create"
	OpEmailUpdate = "emailMethod.update"
	OpEmailDelete = "emailMethod.delete"
	// A user's Temporary Access Passes (temporary_access_pass_methods.go).
	OpTAPList   = "temporaryAccessPass.list"
	OpTAPGet    = "temporaryAccessPass.get"
	OpTAPCreate = "temporaryAccessPass.create"
	OpTAPDelete = "temporaryAccessPass.delete"
	// Every method of a user (authentication_methods.go).
	OpMethodList = "method.list"
	OpMethodGet  = "method.get"
)

// Route kinds of a user's methods other than phones.
const (
	kindEmailMethods = "emailMethods"
	kindEmailMethod  = "emailMethod"
	kindTAPMethods   = "temporaryAccessPassMethods"
	kindTAPMethod    = "temporaryAccessPassMethod"
	kindMethods      = "methods"
	kindMethod       = "method"
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
	// The email method: /me reads and deletes only, as the phone routes.
	opsEmails   = map[string]string{http.MethodGet: OpEmailList, http.MethodPost: OpEmailCreate}
	opsEmailsMe = map[string]string{http.MethodGet: OpEmailList}
	opsEmail    = map[string]string{http.MethodGet: OpEmailGet, http.MethodPatch: OpEmailUpdate, http.MethodDelete: OpEmailDelete}
	opsEmailMe  = map[string]string{http.MethodGet: OpEmailGet, http.MethodDelete: OpEmailDelete}
	// Temporary Access Passes have no update (PATCH is 405); /me lists,
	// gets and deletes (documented), never creates.
	opsTAPs   = map[string]string{http.MethodGet: OpTAPList, http.MethodPost: OpTAPCreate}
	opsTAPsMe = map[string]string{http.MethodGet: OpTAPList}
	opsTAP    = map[string]string{http.MethodGet: OpTAPGet, http.MethodDelete: OpTAPDelete}
	opsMethods = map[string]string{http.MethodGet: OpMethodList}
	opsMethod  = map[string]string{http.MethodGet: OpMethodGet}
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
	if !eq(segs[0], "authentication") {
		return route{}
	}
	if !eq(segs[1], "phoneMethods") {
		return parseUserMethodRoute(rt, segs)
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

// parseUserMethodRoute understands authentication/{emailMethods,
// temporaryAccessPassMethods,methods}[/{id}] (segs after the user).
func parseUserMethodRoute(rt route, segs []string) route {
	eq := strings.EqualFold
	var coll, collMe, item, itemMe map[string]string
	var kColl, kItem string
	switch {
	case eq(segs[1], "emailMethods"):
		coll, collMe, item, itemMe, kColl, kItem = opsEmails, opsEmailsMe, opsEmail, opsEmailMe, kindEmailMethods, kindEmailMethod
	case eq(segs[1], "temporaryAccessPassMethods"):
		coll, collMe, item, itemMe, kColl, kItem = opsTAPs, opsTAPsMe, opsTAP, opsTAP, kindTAPMethods, kindTAPMethod
	case eq(segs[1], "methods"):
		coll, collMe, item, itemMe, kColl, kItem = opsMethods, opsMethods, opsMethod, opsMethod, kindMethods, kindMethod
	default:
		return route{}
	}
	switch {
	case len(segs) == 2:
		rt.kind, rt.ops = kColl, coll
		if rt.me {
			rt.ops = collMe
		}
	case len(segs) == 3 && segs[2] != "":
		rt.kind, rt.methodID, rt.ops = kItem, segs[2], item
		if rt.me {
			rt.ops = itemMe
		}
	default:
		return route{}
	}
	return rt
}

// isWrite reports whether the operation changes state (for the write
// throttle, drop faults and read-after-write lag).
func isWrite(op string) bool {
	switch op {
	case OpCreate, OpUpdate, OpDelete, OpEnableSmsSignIn, OpDisableSmsSignIn, OpPolicyUpdate,
		OpMethodConfigurationUpdate, OpPolicyRootUpdate,
		OpEmailCreate, OpEmailUpdate, OpEmailDelete, OpTAPCreate, OpTAPDelete:
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

// isPhoneOp reports the phone operations (the fault group "phone").
func isPhoneOp(op string) bool {
	switch op {
	case OpList, OpGet, OpCreate, OpUpdate, OpDelete, OpEnableSmsSignIn, OpDisableSmsSignIn:
		return true
	}
	return false
}

// isUserMethodOp reports every operation on a user's authentication
// methods: phones, email, Temporary Access Passes and the all-methods
// reads (the fault group "authenticationMethods").
func isUserMethodOp(op string) bool {
	switch op {
	case OpEmailList, OpEmailGet, OpEmailCreate, OpEmailUpdate, OpEmailDelete,
		OpTAPList, OpTAPGet, OpTAPCreate, OpTAPDelete, OpMethodList, OpMethodGet:
		return true
	}
	return isPhoneOp(op)
}
