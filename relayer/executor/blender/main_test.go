package blender

import (
	"os"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor"
)

// TestMain lets the test binary act as the command executor's launcher.
func TestMain(m *testing.M) {
	executor.RunLimitedMain()
	os.Exit(m.Run())
}
