//go:build !linux

package executor

// RunLimitedMain does nothing where the [Command] executor does not exist
// (it is Linux only); main calls it on every platform.
func RunLimitedMain() {}
