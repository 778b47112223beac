package demo_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/demo"
)

// errBrowserUnavailable marks a browser tour that could not start: node,
// chromium or playwright-core is missing (make setup installs them). The
// test logs it as skipped, or fails under CI=true.
var errBrowserUnavailable = errors.New("browser tour unavailable")

// chromiumPath is Debian's chromium (tools/ensure-chromium.sh installs it).
const chromiumPath = "/usr/bin/chromium"

// browserTour runs sdk/web/test/browser-tour.mjs against the kept demo: the
// explorer (providers, jobs, non-empty charts, screenshots), a job page,
// then a job posted through the page with an injected EIP-1193 wallet
// holding keyFile's key, watched until settled, its result downloaded and
// its keccak256 compared with the chain's. Screenshots and the result are
// kept in $GPUMARKET_TEST_ARTIFACTS (default: a fresh directory under the
// system's temp directory), named in the log.
func browserTour(ctx context.Context, t *testing.T, info *demo.Info, keyFile string) error {
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("%w: node: %v", errBrowserUnavailable, err)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		return fmt.Errorf("%w: chromium (make setup installs it): %v", errBrowserUnavailable, err)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "node_modules", "playwright-core", "package.json")); err != nil {
		return fmt.Errorf("%w: playwright-core (npm ci): %v", errBrowserUnavailable, err)
	}
	out := os.Getenv("GPUMARKET_TEST_ARTIFACTS")
	if out == "" {
		if out, err = os.MkdirTemp("", "gpumarket-browser-tour-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	t.Logf("browser tour: screenshots and the downloaded result in %s", out)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("sdk", "web", "test", "browser-tour.mjs"))
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "GM_URL="+info.MatcherURL, "GM_RPC_URL="+info.NodeURL, "GM_KEY_FILE="+keyFile, "GM_OUT="+out, "GM_CHROMIUM="+chromiumPath)
	b, err := cmd.CombinedOutput()
	t.Logf("browser tour:\n%s", b)
	if err != nil {
		return fmt.Errorf("node sdk/web/test/browser-tour.mjs: %v: %s", err, lastLines(string(b), 5))
	}
	for _, f := range []string{"explorer.png", "explorer-phone.png", "posted.png"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			return fmt.Errorf("browser tour: no screenshot %s: %v", f, err)
		}
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
