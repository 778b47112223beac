package speech

import (
	"context"
	"os"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor"
)

// TestMain lets the test binary act as the command executor's launcher and
// as `gpumarket engine`, as cmd/gpumarket's main does for the relayer.
func TestMain(m *testing.M) {
	executor.RunLimitedMain()
	if len(os.Args) > 1 && os.Args[1] == "engine" {
		os.Exit(Main(context.Background(), os.Args[2:], os.Stderr))
	}
	os.Exit(m.Run())
}
