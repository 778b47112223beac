package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket/internal/postgres"
)

// Config is the configuration shared by every subcommand. Each field has an
// explicit default and is set by a flag or its GPUMARKET_* variable.
type Config struct {
	DatabaseURL string // secret: may carry a password
	LogLevel    string
	LogFormat   string
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{LogLevel: "info", LogFormat: "text"}
}

// Validate checks every field and returns one EINVALID error naming each bad
// field with its flag and variable, as cmd declares them.
func (c Config) Validate(cmd *cli.Command, needDatabase bool) error {
	var errs []error
	if needDatabase && c.DatabaseURL == "" {
		errs = append(errs, flagErr(cmd, "database-url", "required (a postgres:// URL)"))
	}
	if c.DatabaseURL != "" {
		if _, err := postgres.WithDatabase(c.DatabaseURL, "x"); err != nil {
			errs = append(errs, flagErr(cmd, "database-url", "must be a postgres:// or postgresql:// URL"))
		}
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, flagErr(cmd, "log-level", err.Error()))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, flagErr(cmd, "log-format", fmt.Sprintf("%q is not text or json", c.LogFormat)))
	}
	return invalid(errs...)
}

// String prints the configuration with secrets redacted.
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "database-url = %s\n", postgres.RedactDSN(c.DatabaseURL))
	fmt.Fprintf(&b, "log-level    = %s\n", c.LogLevel)
	fmt.Fprintf(&b, "log-format   = %s\n", c.LogFormat)
	return b.String()
}

// LogValue keeps secrets out of structured logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("database_url", postgres.RedactDSN(c.DatabaseURL)),
		slog.String("log_level", c.LogLevel),
		slog.String("log_format", c.LogFormat),
	)
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("%q is not debug, info, warn or error", s)
	}
	return l, nil
}

// checkConfig is `gpumarket config`: it prints the effective configuration
// (secrets redacted), validates it and connects to the database, reporting
// its schema. It returns an EINVALID error for a bad or missing setting and
// an EUNAVAILABLE one when the database cannot be reached.
func checkConfig(ctx context.Context, cmd *cli.Command, cfg Config, stdout io.Writer) error {
	fmt.Fprint(stdout, cfg.String())
	status, err := migrationStatus(ctx, cmd, cfg)
	if err != nil {
		return err
	}
	applied := 0
	for _, m := range status {
		if m.Applied {
			applied++
		}
	}
	fmt.Fprintf(stdout, "database     = reachable; %d of %d migrations applied", applied, len(status))
	if applied < len(status) {
		fmt.Fprint(stdout, " (run `gpumarket migrate up`)")
	}
	fmt.Fprintln(stdout)
	return nil
}
