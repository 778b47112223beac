// Package testenv holds the rule every integration-test harness shares: a
// test that cannot get a required service skips on a developer's machine and
// fails when CI=true, so CI can never pass by skipping.
package testenv

import (
	"os"
	"testing"
)

// Unavailable skips tb, or fails it when CI=true, because what (a service
// such as "PostgreSQL" or "anvil") could not be had.
func Unavailable(tb testing.TB, what string, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is required when CI=true: %v", what, err)
	}
	tb.Skipf("%s unavailable (with CI=true this fails): %v", what, err)
}
