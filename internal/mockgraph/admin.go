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
//	GET    /_mock/                                    route list
//	GET    /_mock/health                              {"status":"ok"}
//	GET    /_mock/info                                endpoints and tenants
//	POST   /_mock/seed                                apply a Seed (adds to state)
//	GET    /_mock/tenants                             tenants with counts
//	GET    /_mock/tenants/{tenant}/users              users with phones (unmasked)
//	GET    /_mock/tenants/{tenant}/users/{user}       one user (id or UPN)
//	GET    /_mock/tenants/{tenant}/users/{user}/phoneMethods
//	PUT    /_mock/tenants/{tenant}/users/{user}/phoneMethods/{methodId}
//	       {"phoneNumber","smsSignInEnabled"}: create or replace, no rules
//	PATCH  /_mock/tenants/{tenant}/users/{user}/phoneMethods/{methodId}
//	       {"phoneNumber"?, "smsSignInEnabled"?}: out-of-band change
//	DELETE /_mock/tenants/{tenant}/users/{user}/phoneMethods/{methodId}
//	GET    /_mock/tenants/{tenant}/smsPolicy          the policy (SMSPolicy JSON)
//	PUT    /_mock/tenants/{tenant}/smsPolicy          replace the policy
//	GET    /_mock/requests?method=&operation=&path_prefix=&status=&since=RFC3339
//	DELETE /_mock/requests                            reset the log
//	GET    /_mock/faults                              active faults
//	PUT    /_mock/faults                              replace: [Fault...]
//	POST   /_mock/faults                              add: Fault or [Fault...]
//	DELETE /_mock/faults                              clear
//	DELETE /_mock/faults/{id}                         remove one
//	GET    /_mock/writeBudget, PUT /_mock/writeBudget {"capacity","window","disabled"}
//	POST   /_mock/tokens/delegated {"tenant","user","scopes":[],"directory_roles":[],"ttl":"1h"}
//	       -> {"access_token","token_type":"Bearer","expires_in"}
//	*      /_mock/oidc/...                            the authority's external OIDC issuer
func (s *Server) adminMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /_mock/{$}", s.adminIndex)
	m.HandleFunc("GET /_mock/health", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, map[string]string{"status": "ok"})
	})
	m.HandleFunc("GET /_mock/info", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, s.Info(""))
	})
	m.HandleFunc("POST /_mock/seed", s.adminSeed)
	m.HandleFunc("GET /_mock/tenants", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, s.Tenants())
	})
	m.HandleFunc("GET /_mock/tenants/{tenant}/users", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Users(r.PathValue("tenant"))
		adminResult(w, v, err)
	})
	m.HandleFunc("GET /_mock/tenants/{tenant}/users/{user}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.User(r.PathValue("tenant"), r.PathValue("user"))
		adminResult(w, v, err)
	})
	m.HandleFunc("GET /_mock/tenants/{tenant}/users/{user}/phoneMethods", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.PhoneMethods(r.PathValue("tenant"), r.PathValue("user"))
		adminResult(w, map[string]any{"value": v}, err)
	})
	m.HandleFunc("PUT /_mock/tenants/{tenant}/users/{user}/phoneMethods/{method}", s.adminPutPhone)
	m.HandleFunc("PATCH /_mock/tenants/{tenant}/users/{user}/phoneMethods/{method}", s.adminPatchPhone)
	m.HandleFunc("DELETE /_mock/tenants/{tenant}/users/{user}/phoneMethods/{method}", func(w http.ResponseWriter, r *http.Request) {
		err := s.DeletePhoneMethodOutOfBand(r.PathValue("tenant"), r.PathValue("user"), r.PathValue("method"))
		adminResult(w, nil, err)
	})
	m.HandleFunc("GET /_mock/tenants/{tenant}/smsPolicy", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.SMSPolicy(r.PathValue("tenant"))
		adminResult(w, v, err)
	})
	m.HandleFunc("PUT /_mock/tenants/{tenant}/smsPolicy", func(w http.ResponseWriter, r *http.Request) {
		var p SMSPolicy
		if !adminDecode(w, r, &p) {
			return
		}
		adminResult(w, nil, s.SetSMSPolicy(r.PathValue("tenant"), p))
	})
	m.HandleFunc("GET /_mock/requests", s.adminRequests)
	m.HandleFunc("DELETE /_mock/requests", func(w http.ResponseWriter, r *http.Request) {
		s.ResetRequestLog()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("GET /_mock/faults", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, s.Faults())
	})
	m.HandleFunc("PUT /_mock/faults", s.adminSetFaults(true))
	m.HandleFunc("POST /_mock/faults", s.adminSetFaults(false))
	m.HandleFunc("DELETE /_mock/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("DELETE /_mock/faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !s.RemoveFault(r.PathValue("id")) {
			adminError(w, http.StatusNotFound, "no fault with id "+r.PathValue("id"))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("GET /_mock/writeBudget", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, s.WriteBudget())
	})
	m.HandleFunc("PUT /_mock/writeBudget", func(w http.ResponseWriter, r *http.Request) {
		var b WriteBudget
		if !adminDecode(w, r, &b) {
			return
		}
		s.SetWriteBudget(b)
		adminJSON(w, s.WriteBudget())
	})
	m.HandleFunc("POST /_mock/tokens/delegated", s.adminMintToken)
	m.HandleFunc("/_mock/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, "no admin route "+r.Method+" "+r.URL.Path+"; GET /_mock/ lists them")
	})
	return m
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	s.admin.ServeHTTP(w, r)
}

func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) {
	adminJSON(w, map[string]any{"routes": []string{
		"GET /_mock/health", "GET /_mock/info", "POST /_mock/seed", "GET /_mock/tenants",
		"GET /_mock/tenants/{tenant}/users", "GET /_mock/tenants/{tenant}/users/{user}",
		"GET /_mock/tenants/{tenant}/users/{user}/phoneMethods",
		"PUT|PATCH|DELETE /_mock/tenants/{tenant}/users/{user}/phoneMethods/{methodId}",
		"GET|PUT /_mock/tenants/{tenant}/smsPolicy", "GET|DELETE /_mock/requests",
		"GET|PUT|POST|DELETE /_mock/faults", "DELETE /_mock/faults/{id}",
		"GET|PUT /_mock/writeBudget", "POST /_mock/tokens/delegated", "/_mock/oidc/...",
	}})
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

// adminPhone is the out-of-band phone body.
type adminPhone struct {
	PhoneNumber      *string `json:"phoneNumber"`
	SMSSignInEnabled *bool   `json:"smsSignInEnabled"`
}

func (s *Server) adminPutPhone(w http.ResponseWriter, r *http.Request) {
	var b adminPhone
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
	var b adminPhone
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

type mintRequest struct {
	Tenant         string   `json:"tenant"`
	User           string   `json:"user"`
	Scopes         []string `json:"scopes"`
	DirectoryRoles []string `json:"directory_roles"`
	TTL            Duration `json:"ttl"`
}

func (s *Server) adminMintToken(w http.ResponseWriter, r *http.Request) {
	var m mintRequest
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
	case errors.Is(err, ErrTenantNotFound), errors.Is(err, ErrUserNotFound), errors.Is(err, ErrMethodNotFound):
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
