package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

func TestMain(m *testing.M) {
	executor.RunLimitedMain() // as main does: the relayer's command executor re-executes this binary
	if len(os.Args) > 1 && os.Args[1] == "engine" {
		// As the gpumarket binary does when a speech engine starts its recipe.
		os.Exit(run(context.Background(), append([]string{"gpumarket"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	pgtest.Main(m)
}

func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"gpumarket"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCLIUsageAndConfigErrors(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantOut    string
		wantErr    string
		mustNotLog string
	}{
		{"help", nil, []string{"--help"}, exitOK, "migrate", "", ""},
		{"no command shows help", nil, nil, exitOK, "COMMANDS", "", ""},
		{"unknown command", nil, []string{"frobnicate"}, exitInvalid, "", `unknown command "frobnicate"`, ""},
		{"unknown flag", nil, []string{"--nope"}, exitInvalid, "", "nope", ""},
		{"migrate without database", map[string]string{"GPUMARKET_DATABASE_URL": ""}, []string{"migrate", "up"}, exitInvalid, "", "--database-url (GPUMARKET_DATABASE_URL): required", ""},
		{"bad log level names the field", nil, []string{"--log-level", "loud", "config"}, exitInvalid, "", "--log-level (GPUMARKET_LOG_LEVEL)", ""},
		{"bad database url scheme", map[string]string{"GPUMARKET_DATABASE_URL": "mysql://root:pw@db/x"}, []string{"config"}, exitInvalid, "", "--database-url", "pw@"},
		// config connects to the database: "db" does not resolve here.
		{"config redacts the password", map[string]string{"GPUMARKET_DATABASE_URL": "postgres://alice:hunter2@db:5432/gm"}, []string{"config"}, exitUnavailable, "postgres://alice:xxxxx@db:5432/gm", "connect to database", "hunter2"},
		{"config without database", map[string]string{"GPUMARKET_DATABASE_URL": ""}, []string{"config"}, exitInvalid, "log-level    = info", "--database-url (GPUMARKET_DATABASE_URL): required", ""},
		{"unreachable database", map[string]string{"GPUMARKET_DATABASE_URL": "postgres://alice:hunter2@127.0.0.1:1/gm?connect_timeout=2"}, []string{"migrate", "status"}, exitUnavailable, "", "connect to database", "hunter2"},
		{"version", nil, []string{"version"}, exitOK, "gpumarket ", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", out, tt.wantOut)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantErr)
			}
			if tt.mustNotLog != "" && strings.Contains(out+errOut, tt.mustNotLog) {
				t.Errorf("output leaks the secret %q: %q %q", tt.mustNotLog, out, errOut)
			}
		})
	}
}

func TestConfigLogValueRedacts(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DatabaseURL = "postgres://alice:hunter2@db/gm"
	var buf bytes.Buffer
	newLogger(cfg, &buf).Info("starting", "config", cfg)
	if strings.Contains(buf.String(), "hunter2") || !strings.Contains(buf.String(), "alice:xxxxx@db") {
		t.Errorf("log line = %q, want the password redacted", buf.String())
	}
}

func TestConfigConnects(t *testing.T) {
	dsn := pgtest.URL(t)
	code, out, errOut := runCLI(t, map[string]string{"GPUMARKET_DATABASE_URL": dsn}, "config")
	if code != exitOK || !strings.Contains(out, "database     = reachable") || strings.Contains(out, "run `gpumarket migrate up`") {
		t.Fatalf("config = %d, %q, %q; want the database reachable and migrated", code, out, errOut)
	}
	code, out, errOut = runCLI(t, map[string]string{"GPUMARKET_DATABASE_URL": pgtest.EmptyURL(t)}, "config")
	if code != exitOK || !strings.Contains(out, "0 of ") || !strings.Contains(out, "run `gpumarket migrate up`") {
		t.Fatalf("config on an empty database = %d, %q, %q; want the pending migrations pointed out", code, out, errOut)
	}
}

func TestMigrateUpIsIdempotent(t *testing.T) {
	env := map[string]string{"GPUMARKET_DATABASE_URL": pgtest.URL(t)}
	// pgtest's databases are already migrated: up must apply nothing and say so.
	code, out, errOut := runCLI(t, env, "migrate", "up")
	if code != exitOK || !strings.Contains(out, "nothing applied") {
		t.Fatalf("migrate up = %d, %q, %q; want success with nothing applied", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "migrate", "status")
	if code != exitOK || !strings.Contains(out, "00001") || strings.Contains(out, "pending") {
		t.Fatalf("migrate status = %d, %q; want every migration applied", code, out)
	}
}

func TestMigrateUpOnEmptyDatabase(t *testing.T) {
	dsn := pgtest.EmptyURL(t) // no migrations applied yet
	env := map[string]string{"GPUMARKET_DATABASE_URL": dsn}
	code, out, errOut := runCLI(t, env, "migrate", "up")
	if code != exitOK || !strings.Contains(out, "applied 00001") {
		t.Fatalf("first migrate up = %d, %q, %q; want 00001 applied", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "migrate", "up")
	if code != exitOK || !strings.Contains(out, "nothing applied") {
		t.Fatalf("second migrate up = %d, %q; want nothing applied", code, out)
	}
}
