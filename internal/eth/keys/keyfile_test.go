package keys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func TestReadKeyFile(t *testing.T) {
	const hexKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name     string
		path     string
		wantCode string
		wantMsg  string
	}{
		{"hex with 0x and newline", write("a", "0x"+hexKey+"\n", 0o600), "", ""},
		{"bare hex", write("b", hexKey, 0o600), "", ""},
		{"readable by others", write("c", hexKey, 0o644), gpumarket.EINVALID, "accessible to other users"},
		{"not a key", write("d", "not a key at all", 0o600), gpumarket.EINVALID, "does not hold a hex private key"},
		{"too large", write("e", strings.Repeat("a", 200), 0o600), gpumarket.EINVALID, "larger than"},
		{"missing", filepath.Join(dir, "nope"), gpumarket.ENOTFOUND, "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ReadKeyFile(tc.path)
			if tc.wantCode == "" {
				if err != nil || KeyAddress(k).IsZero() {
					t.Fatalf("ReadKeyFile = %v, %v", k, err)
				}
				return
			}
			if gpumarket.ErrorCode(err) != tc.wantCode || !strings.Contains(err.Error(), tc.wantMsg) || strings.Contains(err.Error(), hexKey[:16]) {
				t.Fatalf("ReadKeyFile = %v; want %s %q, without the key", err, tc.wantCode, tc.wantMsg)
			}
		})
	}
}
