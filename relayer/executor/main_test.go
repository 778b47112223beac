package executor

import (
	"os"
	"testing"
)

// TestMain lets the test binary act as the command executor's launcher, as
// cmd/gpumarket's main does for the relayer.
func TestMain(m *testing.M) {
	RunLimitedMain()
	os.Exit(m.Run())
}
