//go:build linux

package executor

import "context"

// Preflight reports whether c can run job before the relayer accepts it,
// with the checks and errors of [HTTP.Preflight] under c's PreflightConfig.
// The program is not started.
func (c *Command) Preflight(ctx context.Context, job Job) error {
	return preflightJobSpec(ctx, job, c.cfg.MaxSpecBytes, c.cfg.Preflight)
}
