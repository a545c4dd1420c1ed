package provider

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestUserLocksSerialiseOneUser(t *testing.T) {
	t.Parallel()
	l := &userLocks{locks: map[string]*userLock{}}
	ctx := context.Background()
	unlock, err := l.lock(ctx, userLockKey("https://graph", "Adele@Contoso.com"))
	if err != nil {
		t.Fatal(err)
	}
	// The same user, spelled in another case, must wait.
	waitCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := l.lock(waitCtx, userLockKey("https://graph", "adele@contoso.com")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock of the same user: err = %v; want DeadlineExceeded", err)
	}
	// Another user does not wait.
	unlockOther, err := l.lock(ctx, userLockKey("https://graph", "bianca@contoso.com"))
	if err != nil {
		t.Fatalf("other user: %v", err)
	}
	unlockOther()
	unlock()
	unlock() // idempotent
	again, err := l.lock(ctx, userLockKey("https://graph", "adele@contoso.com"))
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
	l.mu.Lock()
	n := len(l.locks)
	l.mu.Unlock()
	if n != 0 {
		t.Errorf("%d locks left in the map; want 0", n)
	}
}
