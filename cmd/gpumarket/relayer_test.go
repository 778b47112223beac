package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
)

func runRelayerCLI(ctx context.Context, t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runSubcommand(ctx, t, relayerCommand, args...)
}

func TestRelayerKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	const secret = "correct horse battery"
	if err := os.WriteFile(pw, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "signer.json")
	out, err := runRelayerCLI(ctx, t, "keys", "--out", ks, "--password-file", pw)
	if err != nil {
		t.Fatalf("keys: %v\n%s", err, out)
	}
	if strings.Contains(out, secret) {
		t.Fatalf("output shows the password: %s", out)
	}
	st, err := os.Stat(ks)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("keystore %v mode %v, want 0600", err, st.Mode())
	}
	_, addr, err := keys.LoadKey(ks, []byte(secret))
	if err != nil || !strings.Contains(out, addr.String()) {
		t.Fatalf("LoadKey = %s, %v; output %q should name it", addr, err, out)
	}
	if _, err := runRelayerCLI(ctx, t, "keys", "--out", ks, "--password-file", pw); err == nil {
		t.Fatal("keys overwrote an existing keystore")
	}
	short := filepath.Join(dir, "short")
	if err := os.WriteFile(short, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runRelayerCLI(ctx, t, "keys", "--out", filepath.Join(dir, "x.json"), "--password-file", short); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("keys with a 3-character password = %v, want EINVALID", err)
	}
}

func TestRelayerConfigErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("right-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key, _, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "k.json")
	if _, err := keys.WriteKey(ks, key, []byte("right-password"), true); err != nil {
		t.Fatal(err)
	}
	const secret = "sekrit-wrong-pw"
	db := []string{"--database-url", "postgres://u:dbpass@127.0.0.1:1/x"}
	addrs := []string{"--chain-id", "31337", "--market", "0x00000000000000000000000000000000000000a1",
		"--registry", "0x00000000000000000000000000000000000000a2", "--rpc-url", "http://127.0.0.1:1"}
	with := func(a ...[]string) []string {
		var out []string
		for _, x := range a {
			out = append(out, x...)
		}
		return out
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing database", with([]string{"run"}, addrs), "--database-url"},
		{"missing rpc", with([]string{"run"}, db, []string{"--chain-id", "1", "--market", "0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2"}), "--rpc-url (GPUMARKET_RPC_URL): required"},
		{"missing signer key", with([]string{"run"}, db, addrs), "--signer-keystore"},
		{"wrong password", with([]string{"run"}, db, addrs, []string{"--signer-keystore", ks, "--signer-password", secret}), "wrong password"},
		{"no attestation saved", with([]string{"run"}, db, addrs, []string{"--signer-keystore", ks, "--signer-password-file", pw, "--data-dir", dir}), "relayer register"},
		{"register needs a profile", with([]string{"register"}, db, addrs, []string{"--signer-keystore", ks, "--signer-password-file", pw}), "--profile"},
		{"register needs the operator", with([]string{"register"}, db, addrs, []string{"--signer-keystore", ks, "--signer-password-file", pw, "--profile", "x.json"}), "--operator-keystore"},
		{"bad executor", with([]string{"run"}, db, addrs, []string{"--executor", "shell"}), "--executor"},
		{"no attempts", with([]string{"run"}, db, addrs, []string{"--max-attempts", "0"}), "--max-attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runRelayerCLI(ctx, t, tt.args...)
			if err == nil {
				t.Fatalf("no error; output %s", out)
			}
			msg := err.Error() + out
			if !strings.Contains(msg, tt.want) {
				t.Fatalf("error %q does not mention %q", msg, tt.want)
			}
			for _, s := range []string{secret, "dbpass", "right-password"} {
				if strings.Contains(msg, s) {
					t.Fatalf("error shows a secret %q: %s", s, msg)
				}
			}
		})
	}
}
