package mockgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The admin API is the tests' and scripts' remote control. It needs no
// Graph token: the server only listens on loopback and exists for tests.
// Bodies and answers are JSON; errors are {"error": "..."}.
//
// Every route is one row of adminRoutes, which adminMux registers and
// AdminAPIReference renders (mockgraph --help, GET /_mock/), so the
// reference cannot drift from what is served. /_mock/oidc/... is not
// here: it is the authority's external OIDC issuer (package identity).
func (s *Server) adminRoutes() []adminRoute {
	return []adminRoute{
		{method: "GET", path: "/", answer: jsonShape(`{"routes": [string]}`), doc: "this route list",
			handler: s.adminIndex},
		{method: "GET", path: "/health", answer: jsonShape(`{"status": "ok"}`), doc: "liveness",
			handler: func(w http.ResponseWriter, r *http.Request) {
				adminJSON(w, map[string]string{"status": "ok"})
			}},
		{method: "GET", path: "/info", answer: Info{}, doc: "the endpoints and tenants (the command's ready line)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				adminJSON(w, s.Info(""))
			}},
		{method: "POST", path: "/seed", body: Seed{}, answer: []TenantInfo{}, doc: "apply a seed (adds to the state; same format as --seed)",
			handler: s.adminSeed},
		{method: "GET", path: "/tenants", answer: []TenantInfo{}, doc: "tenants with counts",
			handler: func(w http.ResponseWriter, r *http.Request) {
				adminJSON(w, s.Tenants())
			}},
		{method: "GET", path: "/tenants/{tenant}/users", answer: []UserView{}, doc: "users with their phones, numbers unmasked ({tenant}: id or domain)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.Users(r.PathValue("tenant"))
				adminResult(w, v, err)
			}},
		{method: "POST", path: "/tenants/{tenant}/generateUsers", body: GenerateUsers{}, answer: TenantInfo{}, doc: "add users in bulk (count, upnPattern with one %d, displayNamePattern, start, groups); ids are stable per tenant and UPN",
			handler: s.adminGenerateUsers},
		{method: "GET", path: "/tenants/{tenant}/users/{user}", answer: UserView{}, doc: "one user ({user}: id or UPN)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.User(r.PathValue("tenant"), r.PathValue("user"))
				adminResult(w, v, err)
			}},
		{method: "GET", path: "/tenants/{tenant}/users/{user}/phoneMethods", answer: PhoneMethodList{}, doc: "the user's phones as Graph lists them, unmasked",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.PhoneMethods(r.PathValue("tenant"), r.PathValue("user"))
				adminResult(w, PhoneMethodList{Value: v}, err)
			}},
		{method: "PUT", path: "/tenants/{tenant}/users/{user}/phoneMethods/{method}", body: AdminPhone{}, doc: "create or replace a phone out of band, skipping Graph's rules ({method}: the phone type's fixed method id; phoneNumber required)",
			handler: s.adminPutPhone},
		{method: "PATCH", path: "/tenants/{tenant}/users/{user}/phoneMethods/{method}", body: AdminPhone{}, doc: "change a phone out of band, as an administrator in the portal would (drift); each field optional",
			handler: s.adminPatchPhone},
		{method: "DELETE", path: "/tenants/{tenant}/users/{user}/phoneMethods/{method}", doc: "delete a phone out of band",
			handler: func(w http.ResponseWriter, r *http.Request) {
				err := s.DeletePhoneMethodOutOfBand(r.PathValue("tenant"), r.PathValue("user"), r.PathValue("method"))
				adminResult(w, nil, err)
			}},
		{method: "GET", path: "/tenants/{tenant}/smsPolicy", answer: SMSPolicy{}, doc: "the tenant's SMS authentication method policy",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.SMSPolicy(r.PathValue("tenant"))
				adminResult(w, v, err)
			}},
		{method: "PUT", path: "/tenants/{tenant}/smsPolicy", body: SMSPolicy{}, doc: "replace the policy (smsSignInState follows at once)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var p SMSPolicy
				if !adminDecode(w, r, &p) {
					return
				}
				adminResult(w, nil, s.SetSMSPolicy(r.PathValue("tenant"), p))
			}},
		{method: "PUT", path: "/tenants/{tenant}/smsPolicyLag", body: PolicyLagSetting{}, doc: "how long an SMS policy change made through Graph takes to reach sign-in (GET shows it at once)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b PolicyLagSetting
				if !adminDecode(w, r, &b) {
					return
				}
				adminResult(w, nil, s.SetPolicyLag(r.PathValue("tenant"), time.Duration(b.Lag)))
			}},
		{method: "GET", path: "/tenants/{tenant}/authenticationMethodsPolicy", answer: jsonShape(`{"id": "authenticationMethodsPolicy", ..., "registrationEnforcement": {...}, "authenticationMethodConfigurations": [object]}`), doc: "the authentication methods policy root as Graph's GET answers it, every configuration included",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.AuthenticationMethodsPolicy(r.PathValue("tenant"))
				adminResult(w, v, err)
			}},
		{method: "GET", path: "/tenants/{tenant}/methodConfigurations/{id}", answer: jsonShape("object (Graph JSON of the configuration)"), doc: "one authentication method configuration as Graph's GET answers it, without @odata.context ({id}: Fido2, MicrosoftAuthenticator, Sms, ..., case-insensitive)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.MethodConfiguration(r.PathValue("tenant"), r.PathValue("id"))
				adminResult(w, v, err)
			}},
		{method: "PUT", path: "/tenants/{tenant}/methodConfigurations/{id}", body: jsonShape("object (Graph JSON of the configuration)"), doc: "change a configuration other than Sms out of band (drift), applied like a PATCH over the current value and checked the same way; @odata.type optional; use smsPolicy for Sms",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var cfg map[string]any
				if !adminDecode(w, r, &cfg) {
					return
				}
				adminResult(w, nil, s.SetMethodConfiguration(r.PathValue("tenant"), r.PathValue("id"), cfg))
			}},
		{method: "PUT", path: "/tenants/{tenant}/methodConfigurations/{id}/patchNotApplied", body: PatchNotAppliedSetting{}, doc: "answer the next count PATCHes of the configuration as success and apply nothing (count < 0: every one, 0: off; {id} authenticationMethodsPolicy: the root's PATCH)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b PatchNotAppliedSetting
				if !adminDecode(w, r, &b) {
					return
				}
				adminResult(w, nil, s.SetPatchNotApplied(r.PathValue("tenant"), r.PathValue("id"), b.Count))
			}},
		{method: "GET", path: "/tenants/{tenant}/registrationCampaign", answer: jsonShape("object (registrationEnforcement.authenticationMethodsRegistrationCampaign)"), doc: "the registration campaign of the authentication methods policy",
			handler: func(w http.ResponseWriter, r *http.Request) {
				v, err := s.RegistrationCampaign(r.PathValue("tenant"))
				adminResult(w, v, err)
			}},
		{method: "PUT", path: "/tenants/{tenant}/registrationCampaign", body: jsonShape("object (registrationEnforcement.authenticationMethodsRegistrationCampaign)"), doc: "change the registration campaign out of band, applied like a PATCH over the current value",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var c map[string]any
				if !adminDecode(w, r, &c) {
					return
				}
				adminResult(w, nil, s.SetRegistrationCampaign(r.PathValue("tenant"), c))
			}},
		{method: "PUT", path: "/tenants/{tenant}/newMobilesNotConfigured", body: SwitchSetting{}, doc: "start mobiles created through Graph notConfigured, as real tenants do (on by default); off registers them for SMS sign-in at once, as the create docs say",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b SwitchSetting
				if !adminDecode(w, r, &b) {
					return
				}
				adminResult(w, nil, s.SetNewMobilesNotConfigured(r.PathValue("tenant"), b.On))
			}},
		{method: "PUT", path: "/tenants/{tenant}/users/{user}/defaultMethod", body: DefaultMethodSetting{}, doc: "the user's default sign-in method and methods the phone API does not show (Graph refuses to delete the default while others exist)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b DefaultMethodSetting
				if !adminDecode(w, r, &b) {
					return
				}
				adminResult(w, nil, s.SetDefaultMethod(r.PathValue("tenant"), r.PathValue("user"), b.PhoneType, b.OtherMethods))
			}},
		{method: "PUT", path: "/tenants/{tenant}/users/{user}/replicationDelay", body: ReplicationDelaySetting{}, doc: "keep the user not found on the phone routes for a while, like a user created moments ago",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b ReplicationDelaySetting
				if !adminDecode(w, r, &b) {
					return
				}
				adminResult(w, nil, s.SetUserReplicationDelay(r.PathValue("tenant"), r.PathValue("user"), time.Duration(b.Delay)))
			}},
		{method: "GET", path: "/requests", query: "method=&operation=&path_prefix=&status=&since=RFC3339", answer: []RequestLogEntry{}, doc: "the Graph request log, filtered",
			handler: s.adminRequests},
		{method: "DELETE", path: "/requests", doc: "reset the request log",
			handler: func(w http.ResponseWriter, r *http.Request) {
				s.ResetRequestLog()
				w.WriteHeader(http.StatusNoContent)
			}},
		{method: "GET", path: "/faults", answer: []Fault{}, doc: "active faults (remaining counts)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				adminJSON(w, s.Faults())
			}},
		{method: "PUT", path: "/faults", body: []Fault{}, answer: []Fault{}, doc: "replace all faults",
			handler: s.adminSetFaults(true)},
		{method: "POST", path: "/faults", body: jsonShape("Fault or [Fault]"), answer: []Fault{}, doc: "add faults",
			handler: s.adminSetFaults(false)},
		{method: "DELETE", path: "/faults", doc: "clear all faults",
			handler: func(w http.ResponseWriter, r *http.Request) {
				s.ClearFaults()
				w.WriteHeader(http.StatusNoContent)
			}},
		{method: "DELETE", path: "/faults/{id}", doc: "remove one fault (404 when none has that id)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if !s.RemoveFault(r.PathValue("id")) {
					adminError(w, http.StatusNotFound, "no fault with id "+r.PathValue("id"))
					return
				}
				w.WriteHeader(http.StatusNoContent)
			}},
		{method: "GET", path: "/writeBudget", answer: WriteBudget{}, doc: "the per-tenant write token bucket",
			handler: func(w http.ResponseWriter, r *http.Request) {
				adminJSON(w, s.WriteBudget())
			}},
		{method: "PUT", path: "/writeBudget", body: WriteBudget{}, answer: WriteBudget{}, doc: "replace the write budget",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b WriteBudget
				if !adminDecode(w, r, &b) {
					return
				}
				s.SetWriteBudget(b)
				adminJSON(w, s.WriteBudget())
			}},
		{method: "GET", path: "/readBudget", answer: ReadBudget{}, doc: "the per-tenant read (GET) token bucket",
			handler: func(w http.ResponseWriter, r *http.Request) {
				adminJSON(w, s.ReadBudget())
			}},
		{method: "PUT", path: "/readBudget", body: ReadBudget{}, answer: ReadBudget{}, doc: "replace the read budget (429 with Retry-After on GET when a tenant's bucket is empty)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var b ReadBudget
				if !adminDecode(w, r, &b) {
					return
				}
				s.SetReadBudget(b)
				adminJSON(w, s.ReadBudget())
			}},
		{method: "POST", path: "/tokens/delegated", body: MintRequest{}, answer: jsonShape(`{"access_token": string, "token_type": "Bearer", "expires_in": number}`), doc: "mint a delegated (user) token for /me tests (ttl default 1h)",
			handler: s.adminMintToken},
	}
}

// adminMux serves adminRoutes under /_mock; any other /_mock path is a
// JSON 404 that points at the route list.
func (s *Server) adminMux() *http.ServeMux {
	m := http.NewServeMux()
	for _, rt := range s.adminRoutes() {
		m.HandleFunc(rt.pattern(), rt.handler)
	}
	m.HandleFunc("/_mock/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, "no admin route "+r.Method+" "+r.URL.Path+"; GET /_mock/ lists them")
	})
	return m
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	s.admin.ServeHTTP(w, r)
}

func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) {
	routes := []string{}
	for _, rt := range s.adminRoutes() {
		routes = append(routes, rt.method+" /_mock"+rt.path)
	}
	routes = append(routes, "* /_mock/oidc/... (the authority's external OIDC issuer)")
	adminJSON(w, map[string]any{"routes": routes})
}

func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	sd, err := ParseSeed(b)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.ApplySeed(sd); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	adminJSON(w, s.Tenants())
}

// AdminPhone is the body of the out-of-band phone routes.
type AdminPhone struct {
	PhoneNumber      *string `json:"phoneNumber"`
	SMSSignInEnabled *bool   `json:"smsSignInEnabled"`
}

func (s *Server) adminPutPhone(w http.ResponseWriter, r *http.Request) {
	var b AdminPhone
	if !adminDecode(w, r, &b) {
		return
	}
	typ, ok := methodIndex(r.PathValue("method"))
	if !ok || b.PhoneNumber == nil {
		adminError(w, http.StatusBadRequest, "a known phone method id and phoneNumber are required")
		return
	}
	err := s.SetPhoneMethodOutOfBand(r.PathValue("tenant"), r.PathValue("user"), phoneTypeNames[typ], *b.PhoneNumber, b.SMSSignInEnabled != nil && *b.SMSSignInEnabled)
	adminResult(w, nil, err)
}

func (s *Server) adminPatchPhone(w http.ResponseWriter, r *http.Request) {
	var b AdminPhone
	if !adminDecode(w, r, &b) {
		return
	}
	tk, uk, mid := r.PathValue("tenant"), r.PathValue("user"), r.PathValue("method")
	if b.PhoneNumber != nil {
		if err := s.SetPhoneNumberOutOfBand(tk, uk, mid, *b.PhoneNumber); err != nil {
			adminResult(w, nil, err)
			return
		}
	}
	if b.SMSSignInEnabled != nil {
		if err := s.SetSMSSignInOutOfBand(tk, uk, mid, *b.SMSSignInEnabled); err != nil {
			adminResult(w, nil, err)
			return
		}
	}
	adminResult(w, nil, nil)
}

func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := RequestLogFilter{Method: q.Get("method"), Operation: q.Get("operation"), PathPrefix: q.Get("path_prefix")}
	if v := q.Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			adminError(w, http.StatusBadRequest, "status must be a number")
			return
		}
		f.Status = n
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			adminError(w, http.StatusBadRequest, "since must be RFC 3339")
			return
		}
		f.Since = t
	}
	adminJSON(w, s.RequestLog(f))
}

func (s *Server) adminSetFaults(replace bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		faults, err := parseFaults(b)
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		var out []Fault
		if replace {
			out, err = s.SetFaults(faults...)
		} else {
			out, err = s.AddFaults(faults...)
		}
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		adminJSON(w, out)
	}
}

// parseFaults accepts one Fault object or an array of them.
func parseFaults(b []byte) ([]Fault, error) {
	b = bytes.TrimSpace(b)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if len(b) > 0 && b[0] == '{' {
		var f Fault
		if err := dec.Decode(&f); err != nil {
			return nil, err
		}
		return []Fault{f}, nil
	}
	var fs []Fault
	if err := dec.Decode(&fs); err != nil {
		return nil, err
	}
	return fs, nil
}

// ParseFaults reads faults from JSON: one Fault object or an array.
func ParseFaults(b []byte) ([]Fault, error) { return parseFaults(b) }

// MintRequest is the body of POST /_mock/tokens/delegated.
type MintRequest struct {
	Tenant         string   `json:"tenant"`
	User           string   `json:"user"`
	Scopes         []string `json:"scopes"`
	DirectoryRoles []string `json:"directory_roles"`
	TTL            Duration `json:"ttl"`
}

func (s *Server) adminMintToken(w http.ResponseWriter, r *http.Request) {
	var m MintRequest
	if !adminDecode(w, r, &m) {
		return
	}
	ttl := time.Duration(m.TTL)
	if ttl <= 0 {
		ttl = time.Hour
	}
	tok, err := s.MintDelegatedToken(m.Tenant, m.User, m.Scopes, m.DirectoryRoles, ttl)
	if err != nil {
		adminResult(w, nil, err)
		return
	}
	adminJSON(w, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(ttl.Seconds())})
}

func adminDecode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		adminError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return false
	}
	return true
}

// adminResult answers v (or 204 when v is nil) or maps err to a status.
func adminResult(w http.ResponseWriter, v any, err error) {
	switch {
	case errors.Is(err, ErrTenantNotFound), errors.Is(err, ErrUserNotFound), errors.Is(err, ErrMethodNotFound), errors.Is(err, ErrConfigurationNotFound), errors.Is(err, ErrAuthenticationMethodNotFound):
		adminError(w, http.StatusNotFound, err.Error())
	case err != nil:
		adminError(w, http.StatusBadRequest, err.Error())
	case v == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		adminJSON(w, v)
	}
}

func adminJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(b, '\n'))
}

func adminError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// PolicyLagSetting is the body of PUT /tenants/{tenant}/smsPolicyLag.
type PolicyLagSetting struct {
	Lag Duration `json:"lag"`
}

// PatchNotAppliedSetting is the body of PUT
// .../methodConfigurations/{id}/patchNotApplied (see SetPatchNotApplied).
type PatchNotAppliedSetting struct {
	Count int `json:"count"`
}

// SwitchSetting is the body of an on/off admin setting.
type SwitchSetting struct {
	On bool `json:"on"`
}

// DefaultMethodSetting is the body of PUT .../users/{user}/defaultMethod;
// an empty phoneType means no phone is the default.
type DefaultMethodSetting struct {
	PhoneType    string `json:"phoneType"`
	OtherMethods int    `json:"otherMethods,omitempty"`
}

// ReplicationDelaySetting is the body of PUT .../users/{user}/replicationDelay.
type ReplicationDelaySetting struct {
	Delay Duration `json:"delay"`
}
