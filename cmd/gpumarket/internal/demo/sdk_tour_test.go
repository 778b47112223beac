package demo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/demo"
)

// sdkTour runs the TypeScript SDK's tests (sdk/ts, `npm test --workspace
// sdk/ts`: tsc, then node's test runner) against the kept demo: a job
// posted with createJob and one with signOrder+submitOrder, both watched to
// settlement and their results downloaded and verified, typed errors for
// bad input before any transaction, and the README's ten lines run as
// printed. The demo's node, matcher, deployment and client key go in
// GPUMARKET_SDK_* variables. Without npm it returns nil (the SDK is not
// tested) unless CI=true, where that is an error.
func sdkTour(ctx context.Context, t *testing.T, info *demo.Info, keyFile string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		if os.Getenv("CI") == "true" {
			return fmt.Errorf("npm is required when CI=true (the TypeScript SDK's tests): %w", err)
		}
		t.Logf("npm unavailable, the TypeScript SDK's tests did not run (with CI=true this fails): %v", err)
		return nil
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "viem")); err != nil {
		return fmt.Errorf("the SDK's dependencies are not installed (run make setup, or npm ci): %w", err)
	}
	cmd := exec.CommandContext(ctx, npm, "test", "--workspace", "sdk/ts")
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"GPUMARKET_SDK_RPC_URL="+info.NodeURL,
		"GPUMARKET_SDK_MATCHER_URL="+info.MatcherURL,
		"GPUMARKET_SDK_DEPLOYMENT="+absPath(info.Deployment),
		"GPUMARKET_SDK_KEY_FILE="+absPath(keyFile),
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Logf("TypeScript SDK tests (npm test --workspace sdk/ts):\n%s", out.String())
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("TypeScript SDK tests: timed out: %w", ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("TypeScript SDK tests: %w (output above)", err)
	}
	// node's spec reporter: the live suite passed (a skipped suite is not counted as skipped, so look for it),
	// nothing failed, was cancelled or skipped (marked \ufe63).
	o := out.String()
	for _, want := range []string{"\u2714 against the kept demo", "\u2139 fail 0", "\u2139 cancelled 0", "\u2139 skipped 0"} {
		if !strings.Contains(o, want) {
			return fmt.Errorf("TypeScript SDK tests: the output lacks %q (output above)", want)
		}
	}
	if strings.Contains(o, "\ufe63") {
		return fmt.Errorf("TypeScript SDK tests: some were skipped (output above)")
	}
	return nil
}

// absPath returns p made absolute (p itself when that fails).
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
