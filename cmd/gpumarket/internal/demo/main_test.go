package demo_test

import (
	"context"
	"os"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
)

// TestMain lets the test binary act as the command executor's launcher and
// as `gpumarket engine`, as the gpumarket binary does for the demo's
// providers' speech engines.
func TestMain(m *testing.M) {
	executor.RunLimitedMain()
	if len(os.Args) > 1 && os.Args[1] == "engine" {
		os.Exit(speech.Main(context.Background(), os.Args[2:], os.Stderr))
	}
	os.Exit(m.Run())
}
