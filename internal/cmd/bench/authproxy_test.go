package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRewriteDiscovery(t *testing.T) {
	a := &authorityCounter{upstream: "https://127.0.0.1:1111", base: "https://127.0.0.1:2222"}
	body := `{"token_endpoint":"https://127.0.0.1:1111/t/oauth2/v2.0/token","issuer":"https://127.0.0.1:1111/t/v2.0"}`
	resp := &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)),
		Request: &http.Request{URL: &url.URL{Path: "/t/v2.0/.well-known/openid-configuration"}},
	}
	if err := a.rewriteDiscovery(resp); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	want := `{"token_endpoint":"https://127.0.0.1:2222/t/oauth2/v2.0/token","issuer":"https://127.0.0.1:2222/t/v2.0"}`
	if string(b) != want || resp.ContentLength != int64(len(want)) {
		t.Errorf("rewritten to %s (length %d)", b, resp.ContentLength)
	}

	// Token responses pass through untouched.
	resp = &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)),
		Request: &http.Request{URL: &url.URL{Path: "/t/oauth2/v2.0/token"}},
	}
	if err := a.rewriteDiscovery(resp); err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != body {
		t.Errorf("token response changed: %s", b)
	}
}

func TestCountAndTake(t *testing.T) {
	a := &authorityCounter{}
	h := a.count(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, p := range []string{"/t/oauth2/v2.0/token", "/t/oauth2/v2.0/token", "/t/v2.0/.well-known/openid-configuration", "/t/discovery/v2.0/keys"} {
		h.ServeHTTP(nil, &http.Request{URL: &url.URL{Path: p}})
	}
	if got := a.take(); got != (authCounts{Token: 2, Discovery: 1, Other: 1}) {
		t.Errorf("take = %+v", got)
	}
	if got := a.take(); got != (authCounts{}) {
		t.Errorf("second take = %+v, want zeros", got)
	}
}
