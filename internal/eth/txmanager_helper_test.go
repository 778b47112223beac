package eth_test

// helperEnv selects a helper mode when the test binary re-executes itself.
const helperEnv = "GPUMARKET_TXM_HELPER"

func runHelper(mode string) int { return 2 }
