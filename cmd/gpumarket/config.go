package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gpumarket/gpumarket"
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
// field with its flag and variable.
func (c Config) Validate(needDatabase bool) error {
	var errs []error
	if needDatabase && c.DatabaseURL == "" {
		errs = append(errs, fieldErr("database-url", "required (a postgres:// URL)"))
	}
	if c.DatabaseURL != "" {
		if _, err := postgres.WithDatabase(c.DatabaseURL, "x"); err != nil {
			errs = append(errs, fieldErr("database-url", "must be a postgres:// or postgresql:// URL"))
		}
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, fieldErr("log-level", err.Error()))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fieldErr("log-format", fmt.Sprintf("%q is not text or json", c.LogFormat)))
	}
	if len(errs) > 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "configuration: %v", errors.Join(errs...))
	}
	return nil
}

func fieldErr(flag, msg string) error {
	return fmt.Errorf("--%s (%s): %s", flag, envName(flag), msg)
}

// envName returns the environment variable of a flag: database-url → GPUMARKET_DATABASE_URL.
func envName(flag string) string {
	return "GPUMARKET_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
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
