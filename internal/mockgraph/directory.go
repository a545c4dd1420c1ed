package mockgraph

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Directory reads: the users of the tenant and a group's transitive user
// members, paged as Graph pages directory objects.
//
//	GET /v1.0/users                                                  $select $top $count, @odata.nextLink
//	GET /v1.0/users/{id|UPN}                                         $select
//	GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user     $select $top $count, @odata.nextLink
//
// The cast segment is also accepted as graph.user (the OData namespace
// alias msgraph-sdk-go sends). Pages follow the users' object ids in
// lower-case order, and the $skiptoken of @odata.nextLink names the last id
// returned, so a token keeps working while users are added or removed:
// nobody is returned twice and nobody who existed throughout is skipped.
// A sorted index per tenant (and per group) is built once per directory
// change, so a page costs O(log n + page size).

// Route kinds of the directory reads.
const (
	kindUsers        = "users"
	kindUser         = "user"
	kindGroupMembers = "groupTransitiveUsers"
)

// Page sizes of directory collections: documented for users ("The default
// and maximum page sizes are 100 and 999 user objects respectively").
const (
	DefaultPageSize = 100
	MaxPageSize     = 999
)

var (
	opsUsers        = map[string]string{http.MethodGet: OpUserList}
	opsUser         = map[string]string{http.MethodGet: OpUserGet}
	opsGroupMembers = map[string]string{http.MethodGet: OpGroupMembers}
)

// isDirectoryOp reports the directory reads (the fault group "directory").
func isDirectoryOp(op string) bool {
	return op == OpUserList || op == OpUserGet || op == OpGroupMembers
}

// parseDirectoryRoute understands /users, /users/{id|UPN} and
// /groups/{id}/transitiveMembers/microsoft.graph.user (segments after
// /v1.0, literal ones case-insensitive).
func parseDirectoryRoute(segs []string) (route, bool) {
	eq := strings.EqualFold
	switch {
	case len(segs) == 1 && eq(segs[0], "users"):
		return route{kind: kindUsers, ops: opsUsers}, true
	case len(segs) == 2 && eq(segs[0], "users") && segs[1] != "":
		return route{kind: kindUser, userKey: segs[1], ops: opsUser}, true
	case len(segs) == 4 && eq(segs[0], "groups") && segs[1] != "" && eq(segs[2], "transitiveMembers") &&
		(eq(segs[3], "microsoft.graph.user") || eq(segs[3], "graph.user")):
		return route{kind: kindGroupMembers, groupID: segs[1], ops: opsGroupMembers}, true
	}
	return route{}, false
}

// Permissions of the directory reads, as the List users, Get user and List
// group transitive members pages list them (delegated and application).
// User.ReadBasic.All is delegated only: an application holding just that
// role is refused by real Graph (FIDELITY.md).
var (
	userReadApp       = []string{"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}
	userReadDelegated = append([]string{"User.ReadBasic.All", "Directory.AccessAsUser.All"}, userReadApp...)
	// A delegated caller may read themself with User.Read.
	userReadSelf    = append([]string{"User.Read", "User.ReadWrite"}, userReadDelegated...)
	groupMemberRead = []string{"GroupMember.ReadBasic.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All",
		"Group.ReadBasic.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}
)

// UserReadPermissions and GroupMemberReadPermissions are the application
// permissions (app roles) the directory reads accept; tests that want a 403
// seed an app without any of them.
var (
	UserReadPermissions        = append([]string(nil), userReadApp...)
	GroupMemberReadPermissions = append([]string(nil), groupMemberRead...)
)

// directoryAccess decides whether the caller may run the directory read of
// rt. Delegated callers need a scope (no directory role: members may read
// the directory).
func (rc *reqCtx) directoryAccess(rt route) bool {
	p := rc.principal
	switch rt.kind {
	case kindGroupMembers:
		if p.Delegated() {
			return containsFold(p.Scopes, groupMemberRead)
		}
		return containsFold(p.Roles, groupMemberRead)
	case kindUser:
		if p.Delegated() {
			if t := rc.tenant; t != nil {
				t.mu.RLock()
				u := t.user(rt.userKey)
				t.mu.RUnlock()
				if u != nil && strings.EqualFold(u.ID, p.UserID) {
					return containsFold(p.Scopes, userReadSelf)
				}
			}
			return containsFold(p.Scopes, userReadDelegated)
		}
		return containsFold(p.Roles, userReadApp)
	default:
		if p.Delegated() {
			return containsFold(p.Scopes, userReadDelegated)
		}
		return containsFold(p.Roles, userReadApp)
	}
}

// handleDirectory serves the directory reads: permission, query options,
// lookup, then the page.
func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request, rc *reqCtx, rt route) {
	if !rc.directoryAccess(rt) {
		writeRule(w, r, ruleForbidden, "")
		return
	}
	q, rl, msg := parseDirectoryQuery(r, rt)
	if rl != "" {
		writeRule(w, r, rl, msg)
		return
	}
	t := rc.tenant
	now := time.Now()
	switch rt.kind {
	case kindUser:
		t.mu.RLock()
		u := t.user(rt.userKey)
		var obj []byte
		if u != nil && !now.Before(u.visibleAt) {
			obj = userJSON(u, q.sel, contextURL("users", q.selectRaw, true))
		}
		t.mu.RUnlock()
		if obj == nil {
			// Not there, or created moments ago and not replicated yet.
			writeRule(w, r, ruleUserNotFound, resourceNotFound(rt.userKey))
			return
		}
		writeRawJSON(w, http.StatusOK, obj)
	case kindUsers, kindGroupMembers:
		t.mu.RLock()
		var idx *sortedUsers
		if rt.kind == kindUsers {
			idx = t.usersIndex()
		} else if g := t.groups[strings.ToLower(rt.groupID)]; g != nil {
			idx = t.groupIndex(g)
		}
		if idx == nil {
			t.mu.RUnlock()
			writeRule(w, r, ruleUserNotFound, resourceNotFound(rt.groupID))
			return
		}
		items, more := idx.page(q.after, q.top, now)
		count := -1
		if q.count && q.after == "" {
			// Documented: on directory objects @odata.count is only on the first page.
			count = idx.visible(now)
		}
		var body bytes.Buffer
		body.WriteString(`{"@odata.context":`)
		writeJSONString(&body, contextURL("users", q.selectRaw, false))
		if count >= 0 {
			body.WriteString(`,"@odata.count":` + strconv.Itoa(count))
		}
		if more {
			body.WriteString(`,"@odata.nextLink":`)
			writeJSONString(&body, s.nextLink(r, rt, items[len(items)-1]))
		}
		body.WriteString(`,"value":[`)
		for i, u := range items {
			if i > 0 {
				body.WriteByte(',')
			}
			body.Write(userJSON(u, q.sel, ""))
		}
		body.WriteString("]}")
		t.mu.RUnlock()
		writeRawJSON(w, http.StatusOK, body.Bytes())
	}
}

// resourceNotFound is the message Graph's directory gives for an unknown
// object: "Resource '{id}' does not exist or one of its queried
// reference-property objects are not present."
func resourceNotFound(key string) string {
	return "Resource '" + key + "' does not exist or one of its queried reference-property objects are not present."
}

// directoryQuery is the parsed query of a directory read.
type directoryQuery struct {
	top       int
	sel       []string // canonical property names; nil: the default set
	selectRaw string   // $select as sent, for @odata.context
	after     string   // lower-case id after which the page starts
	count     bool
}

// parseDirectoryQuery reads the OData options. Names are matched
// case-insensitively and need their "$" (Graph documents the prefix as
// optional on v1.0 only for some APIs; parameters without it are ignored
// here). Options the mock does not implement are refused rather than
// ignored, so a client cannot believe it filtered or sorted.
func parseDirectoryQuery(r *http.Request, rt route) (directoryQuery, rule, string) {
	q := directoryQuery{top: DefaultPageSize}
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return q, ruleDirectoryBadQuery, "The query specified in the URI is not valid."
	}
	collection := rt.kind != kindUser
	for name, vs := range vals {
		if !strings.HasPrefix(name, "$") {
			continue
		}
		v := vs[len(vs)-1]
		if len(vs) > 1 {
			return q, ruleDirectoryBadQuery, "Query option '" + name + "' was specified more than once, but it must be specified at most once."
		}
		switch strings.ToLower(name) {
		case "$select":
			sel, bad := parseSelect(v)
			if bad != "" {
				return q, ruleDirectoryBadQuery, "Parsing OData Select and Expand failed: Could not find a property named '" + bad + "' on type 'microsoft.graph.user'."
			}
			q.sel, q.selectRaw = sel, v
		case "$top":
			if !collection {
				return q, ruleDirectoryBadQuery, "The query parameter '$top' is not supported on a single object."
			}
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > MaxPageSize {
				// Observed: 400 Request_UnsupportedQuery with this text.
				return q, ruleInvalidPageSize, "Invalid page size specified: '" + v + "'. Must be between 1 and 999 inclusive."
			}
			q.top = n
		case "$skiptoken":
			if !collection {
				return q, ruleDirectoryBadQuery, "The query parameter '$skiptoken' is not supported on a single object."
			}
			after, ok := decodeSkipToken(v, skipScope(rt))
			if !ok {
				return q, ruleDirectoryBadQuery, "The specified $skiptoken is not valid for this request."
			}
			q.after = after
		case "$count":
			if !collection {
				return q, ruleDirectoryBadQuery, "The query parameter '$count' is not supported on a single object."
			}
			switch strings.ToLower(v) {
			case "true":
				// Documented: $count on directory objects is an advanced query.
				if !strings.EqualFold(r.Header.Get("ConsistencyLevel"), "eventual") {
					return q, ruleDirectoryBadQuery, "$count is only supported with the ConsistencyLevel:eventual header (advanced query)."
				}
				q.count = true
			case "false":
			default:
				return q, ruleDirectoryBadQuery, "'" + v + "' is not a valid value for $count: use true or false."
			}
		case "$skip":
			// Documented for users: "$skip isn't supported".
			return q, ruleDirectoryBadQuery, "'$skip' is not supported by the service."
		case "$filter", "$orderby", "$search", "$expand", "$format", "$apply", "$compute", "$levels", "$index", "$schemaversion", "$deltatoken":
			return q, ruleDirectoryUnsupportedQuery, "mockgraph does not implement " + name + " on this route."
		default:
			return q, ruleDirectoryBadQuery, "The query parameter '" + name + "' is not supported."
		}
	}
	return q, "", ""
}

// userProperty is one property of microsoft.graph.user the mock can render.
type userProperty struct {
	name string
	// value renders the property of u as JSON.
	value func(u *user) []byte
}

var jsonNull = []byte("null")

func jsonString(s string) []byte {
	var b bytes.Buffer
	writeJSONString(&b, s)
	return b.Bytes()
}

func writeJSONString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(s)
	b.Write(j)
}

func nullable(s string) []byte {
	if s == "" {
		return jsonNull
	}
	return jsonString(s)
}

// userProperties are the properties $select may name: the documented
// default set (first, in Graph's order, with id last as Graph writes it)
// and a few more of the user resource. The mock stores only id,
// userPrincipalName and displayName; the others read null (or [] for
// collections, true for accountEnabled, Member or Guest for userType).
var userProperties = []userProperty{
	{"businessPhones", func(*user) []byte { return []byte("[]") }},
	{"displayName", func(u *user) []byte { return nullable(u.DisplayName) }},
	{"givenName", func(*user) []byte { return jsonNull }},
	{"jobTitle", func(*user) []byte { return jsonNull }},
	{"mail", func(*user) []byte { return jsonNull }},
	{"mobilePhone", func(*user) []byte { return jsonNull }},
	{"officeLocation", func(*user) []byte { return jsonNull }},
	{"preferredLanguage", func(*user) []byte { return jsonNull }},
	{"surname", func(*user) []byte { return jsonNull }},
	{"userPrincipalName", func(u *user) []byte { return jsonString(u.UPN) }},
	{"id", func(u *user) []byte { return jsonString(u.ID) }},
	// Beyond the default set.
	{"accountEnabled", func(*user) []byte { return []byte("true") }},
	{"userType", func(u *user) []byte {
		if strings.Contains(strings.ToUpper(u.UPN), "#EXT#") {
			return jsonString("Guest")
		}
		return jsonString("Member")
	}},
	{"mailNickname", func(u *user) []byte {
		nick, _, _ := strings.Cut(u.UPN, "@")
		return jsonString(nick)
	}},
	{"otherMails", func(*user) []byte { return []byte("[]") }},
	{"proxyAddresses", func(*user) []byte { return []byte("[]") }},
	{"department", func(*user) []byte { return jsonNull }},
	{"companyName", func(*user) []byte { return jsonNull }},
	{"employeeId", func(*user) []byte { return jsonNull }},
	{"createdDateTime", func(*user) []byte { return jsonNull }},
	{"onPremisesSyncEnabled", func(*user) []byte { return jsonNull }},
	{"onPremisesImmutableId", func(*user) []byte { return jsonNull }},
	{"externalUserState", func(*user) []byte { return jsonNull }},
}

// defaultUserProperties is the documented default set (without $select).
var defaultUserProperties = func() []string {
	var out []string
	for _, p := range userProperties[:11] {
		out = append(out, p.name)
	}
	return out
}()

var userPropertyIndex = func() map[string]userProperty {
	m := map[string]userProperty{}
	for _, p := range userProperties {
		m[strings.ToLower(p.name)] = p
	}
	return m
}()

// parseSelect resolves a $select list to canonical property names; bad is
// the first name that is not a user property. "*" selects every property
// the mock knows.
func parseSelect(v string) (sel []string, bad string) {
	seen := map[string]bool{}
	for _, raw := range strings.Split(v, ",") {
		name := strings.TrimSpace(raw)
		if name == "" {
			continue
		}
		if name == "*" {
			for _, p := range userProperties {
				if !seen[p.name] {
					seen[p.name] = true
					sel = append(sel, p.name)
				}
			}
			continue
		}
		p, ok := userPropertyIndex[strings.ToLower(name)]
		if !ok {
			return nil, name
		}
		if !seen[p.name] {
			seen[p.name] = true
			sel = append(sel, p.name)
		}
	}
	if len(sel) == 0 {
		return nil, ""
	}
	return sel, ""
}

// userJSON renders u with the selected properties (nil: the default set),
// with an @odata.context first when context is not empty.
func userJSON(u *user, sel []string, context string) []byte {
	if sel == nil {
		sel = defaultUserProperties
	}
	var b bytes.Buffer
	b.WriteByte('{')
	if context != "" {
		b.WriteString(`"@odata.context":`)
		writeJSONString(&b, context)
	}
	for i, name := range sel {
		if i > 0 || context != "" {
			b.WriteByte(',')
		}
		b.WriteString(`"` + name + `":`)
		b.Write(userPropertyIndex[strings.ToLower(name)].value(u))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// contextURL is @odata.context: $metadata#users, with the $select list as
// sent in parentheses, and /$entity for a single object (as Graph writes
// it, on Graph's own host).
func contextURL(set, selectRaw string, entity bool) string {
	c := "https://graph.microsoft.com/v1.0/$metadata#" + set
	if selectRaw != "" {
		c += "(" + selectRaw + ")"
	}
	if entity {
		c += "/$entity"
	}
	return c
}

func writeRawJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// skipScope binds a skip token to its collection, so a token of one list
// is refused on another.
func skipScope(rt route) string {
	if rt.kind == kindGroupMembers {
		return "g:" + strings.ToLower(rt.groupID)
	}
	return "u"
}

// encodeSkipToken is an opaque token shaped like Graph's (X'<hex>'): the
// scope and the last id returned.
func encodeSkipToken(scope, lastKey string) string {
	return "X'" + strings.ToUpper(hex.EncodeToString([]byte("mock1|"+scope+"|"+lastKey))) + "'"
}

func decodeSkipToken(tok, scope string) (string, bool) {
	inner, ok := strings.CutPrefix(tok, "X'")
	if !ok {
		return "", false
	}
	inner, ok = strings.CutSuffix(inner, "'")
	if !ok {
		return "", false
	}
	raw, err := hex.DecodeString(inner)
	if err != nil {
		return "", false
	}
	rest, ok := strings.CutPrefix(string(raw), "mock1|"+scope+"|")
	if !ok || rest == "" {
		return "", false
	}
	return rest, true
}

// nextLink is the absolute URL of the next page on the mock's own base
// URL: the request's path and query options, with $skiptoken last
// (replacing any earlier one), as Graph builds it.
func (s *Server) nextLink(r *http.Request, rt route, last *user) string {
	var parts []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, _, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil && strings.EqualFold(dk, "$skiptoken") {
			continue
		}
		parts = append(parts, kv)
	}
	tok := encodeSkipToken(skipScope(rt), strings.ToLower(last.ID))
	parts = append(parts, "$skiptoken="+strings.ReplaceAll(tok, "'", "%27"))
	return s.baseURL + r.URL.EscapedPath() + "?" + strings.Join(parts, "&")
}

// sortedUsers is a list of users ordered by lower-case object id.
type sortedUsers struct {
	keys  []string
	users []*user
}

func newSortedUsers(m map[string]*user) *sortedUsers {
	su := &sortedUsers{keys: make([]string, 0, len(m)), users: make([]*user, 0, len(m))}
	for k := range m {
		su.keys = append(su.keys, k)
	}
	sort.Strings(su.keys)
	for _, k := range su.keys {
		su.users = append(su.users, m[k])
	}
	return su
}

// page returns up to top users visible at now whose key is after the given
// one, and whether more visible users follow. Users still replicating
// (SetUserReplicationDelay) are left out, as a list right after a create
// can miss them.
func (su *sortedUsers) page(after string, top int, now time.Time) (items []*user, more bool) {
	i := 0
	if after != "" {
		i = sort.SearchStrings(su.keys, after)
		if i < len(su.keys) && su.keys[i] == after {
			i++
		}
	}
	for ; i < len(su.users); i++ {
		u := su.users[i]
		if now.Before(u.visibleAt) {
			continue
		}
		if len(items) == top {
			return items, true
		}
		items = append(items, u)
	}
	return items, false
}

// visible counts the users visible at now (@odata.count).
func (su *sortedUsers) visible(now time.Time) int {
	n := 0
	for _, u := range su.users {
		if !now.Before(u.visibleAt) {
			n++
		}
	}
	return n
}

// dirIndex caches the sorted user lists of a tenant: all users and each
// group's transitive user members, rebuilt after a directory change
// (tenant.dirGen). It has its own lock so readers holding t.mu for reading
// can fill it.
type dirIndex struct {
	mu     sync.Mutex
	gen    uint64
	users  *sortedUsers
	groups map[string]*sortedUsers
}

// reset drops the caches when the directory changed. Caller holds d.mu.
func (d *dirIndex) reset(gen uint64) {
	if d.gen != gen || d.groups == nil {
		d.gen, d.users, d.groups = gen, nil, map[string]*sortedUsers{}
	}
}

// usersIndex is every user of the tenant in id order. Caller holds t.mu
// (reading is enough).
func (t *tenant) usersIndex() *sortedUsers {
	t.dir.mu.Lock()
	defer t.dir.mu.Unlock()
	t.dir.reset(t.dirGen)
	if t.dir.users == nil {
		t.dir.users = newSortedUsers(t.users)
	}
	return t.dir.users
}

// groupIndex is g's transitive user members (through nested groups, each
// user once) in id order. Caller holds t.mu (reading is enough).
func (t *tenant) groupIndex(g *group) *sortedUsers {
	t.dir.mu.Lock()
	defer t.dir.mu.Unlock()
	t.dir.reset(t.dirGen)
	k := strings.ToLower(g.ID)
	if idx := t.dir.groups[k]; idx != nil {
		return idx
	}
	members := map[string]*user{}
	seen := map[string]bool{k: true}
	queue := []*group{g}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for uk := range cur.members {
			if u := t.users[uk]; u != nil {
				members[uk] = u
			}
		}
		for gk := range cur.groups {
			if seen[gk] {
				continue // a cycle or a group reached twice
			}
			seen[gk] = true
			if ng := t.groups[gk]; ng != nil {
				queue = append(queue, ng)
			}
		}
	}
	idx := newSortedUsers(members)
	t.dir.groups[k] = idx
	return idx
}

// nestedGroups checks the groups nested in g and returns their lower-case
// ids; each must be a group of the tenant already (seeds add every group
// first, then the nesting). Caller holds t.mu.
func (t *tenant) nestedGroups(g Group) (map[string]struct{}, error) {
	out := map[string]struct{}{}
	for _, id := range g.Groups {
		k := strings.ToLower(id)
		if k == strings.ToLower(g.ID) {
			return nil, fmt.Errorf("group %q: a group cannot be a member of itself", g.ID)
		}
		if t.groups[k] == nil {
			return nil, fmt.Errorf("group %q: member group %q is not a group of tenant %q", g.ID, id, t.ID)
		}
		out[k] = struct{}{}
	}
	return out, nil
}
