package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateRecentWrite is the private state key recording when create or
// update last wrote the phone, so the next Read tolerates what an
// eventually consistent Graph may still show for a while (a 404, or the
// value before the write) instead of reporting it as drift.
//
// It holds the write's time, not a flag: `terraform plan` never saves the
// refreshed state, so a flag cleared by Read would stay set in the saved
// state, and every later CI drift plan would wait out the read-back retries
// (about 7 s) before reporting a real change. Replication lag is seconds;
// past recentWriteWindow a contradicting read is drift.
const privateRecentWrite = "recent_write"

const recentWriteWindow = 5 * time.Minute

// privateSetter is resp.Private of Create, Read and Update.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// privateGetter is req.Private of Read.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// markRecentWrite records that Graph was written just now.
func markRecentWrite(ctx context.Context, p privateSetter, now time.Time) diag.Diagnostics {
	return p.SetKey(ctx, privateRecentWrite, []byte(`"`+now.UTC().Format(time.RFC3339)+`"`))
}

// clearRecentWrite forgets the write once a Read has seen Graph agree.
func clearRecentWrite(ctx context.Context, p privateSetter) diag.Diagnostics {
	return p.SetKey(ctx, privateRecentWrite, nil)
}

// wroteRecently reports whether the last write is within recentWriteWindow
// of now. A marker written by an earlier version ("true") or unreadable
// counts as not recent: at worst a stale read is reported as drift once.
func wroteRecently(ctx context.Context, p privateGetter, now time.Time) bool {
	v, _ := p.GetKey(ctx, privateRecentWrite)
	if len(v) < 2 || v[0] != '"' {
		return false
	}
	at, err := time.Parse(time.RFC3339, string(v[1:len(v)-1]))
	if err != nil {
		return false
	}
	return now.Sub(at) < recentWriteWindow
}
