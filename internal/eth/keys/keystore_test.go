package keys_test

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
)

// testPassword is distinctive so that a test can prove no error contains it.
const testPassword = "correct horse battery staple 7f3a"

// newKeyFile writes a fresh key with testPassword (light scrypt) and returns
// the path, the key and its address.
func newKeyFile(tb testing.TB) (string, *ecdsa.PrivateKey, gpumarket.Address) {
	tb.Helper()
	key, addr, err := keys.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "key.json")
	got, err := keys.WriteKey(path, key, []byte(testPassword), true)
	if err != nil || got != addr {
		tb.Fatalf("WriteKey = %s, %v; want %s", got, err, addr)
	}
	return path, key, addr
}

// checkSecretFree fails when err's message contains the password or the key.
func checkSecretFree(tb testing.TB, err error, key *ecdsa.PrivateKey) {
	tb.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	secrets := []string{testPassword}
	if key != nil {
		d := hex.EncodeToString(crypto.FromECDSA(key))
		secrets = append(secrets, d, d[:16], d[len(d)-16:])
	}
	for _, s := range secrets {
		if strings.Contains(strings.ToLower(msg), strings.ToLower(s)) {
			tb.Errorf("error %q contains a secret", msg)
		}
	}
}

func TestKeyRoundTrip(t *testing.T) {
	t.Parallel()
	path, key, addr := newKeyFile(t)
	got, gotAddr, err := keys.LoadKey(path, []byte(testPassword))
	if err != nil {
		t.Fatalf("LoadKey = %v", err)
	}
	if gotAddr != addr || !got.Equal(key) || keys.KeyAddress(got) != addr {
		t.Errorf("LoadKey = key of %s, %s; want %s", keys.KeyAddress(got), gotAddr, addr)
	}
	// go-ethereum reads the file too, and the file has a random v4 UUID.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, err := keystore.DecryptKey(b, testPassword)
	if err != nil || !k.PrivateKey.Equal(key) {
		t.Errorf("keystore.DecryptKey = %v", err)
	}
	if k.Id.Version() != 4 || k.Id == [16]byte{} {
		t.Errorf("key id %s is not a random UUID", k.Id)
	}
	// The address is optional (go-ethereum adds it; the format does not
	// require it).
	noAddr := rewrite(t, path, func(m map[string]any) { delete(m, "address") })
	if got, gotAddr, err := keys.LoadKey(noAddr, []byte(testPassword)); err != nil || gotAddr != addr || !got.Equal(key) {
		t.Errorf("LoadKey(no address) = %s, %v; want %s", gotAddr, err, addr)
	}
}

func TestWriteKeyModeAndParams(t *testing.T) {
	t.Parallel()
	key, _, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, light := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "key.json")
		if _, err := keys.WriteKey(path, key, []byte(testPassword), light); err != nil {
			t.Fatalf("WriteKey(light=%v) = %v", light, err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("WriteKey(light=%v) mode = %04o, want 0600", light, fi.Mode().Perm())
		}
		var f struct {
			Crypto struct {
				KDFParams struct{ N, P int } `json:"kdfparams"`
			} `json:"crypto"`
		}
		b, _ := os.ReadFile(path)
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		wantN, wantP := keystore.StandardScryptN, keystore.StandardScryptP
		if light {
			wantN, wantP = keystore.LightScryptN, keystore.LightScryptP
		}
		if f.Crypto.KDFParams.N != wantN || f.Crypto.KDFParams.P != wantP {
			t.Errorf("WriteKey(light=%v) scrypt N, P = %d, %d; want %d, %d", light, f.Crypto.KDFParams.N, f.Crypto.KDFParams.P, wantN, wantP)
		}
		if bytes.Contains(b, []byte(testPassword)) || bytes.Contains(b, []byte(hex.EncodeToString(crypto.FromECDSA(key)))) {
			t.Errorf("WriteKey(light=%v) wrote the password or the key in clear", light)
		}
	}
}

func TestWriteKeyErrors(t *testing.T) {
	t.Parallel()
	existing, key, _ := newKeyFile(t)
	before, _ := os.ReadFile(existing)
	tests := []struct {
		name     string
		path     string
		key      *ecdsa.PrivateKey
		password string
		code     string
	}{
		{"overwrite refused", existing, key, testPassword, gpumarket.ECONFLICT},
		{"nil key", filepath.Join(t.TempDir(), "a.json"), nil, testPassword, gpumarket.EINVALID},
		{"empty password", filepath.Join(t.TempDir(), "b.json"), key, "", gpumarket.EINVALID},
		{"missing directory", filepath.Join(t.TempDir(), "no", "c.json"), key, testPassword, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keys.WriteKey(tt.path, tt.key, []byte(tt.password), true)
			if gpumarket.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("WriteKey = %v, want a %s error naming the path", err, tt.code)
			}
			checkSecretFree(t, err, key)
		})
	}
	if after, _ := os.ReadFile(existing); !bytes.Equal(before, after) {
		t.Errorf("WriteKey over an existing file changed it")
	}
}

// rewrite returns a copy of the keystore file at path with edit applied to
// its JSON object.
func rewrite(tb testing.TB, path string, edit func(m map[string]any)) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	edit(m)
	if b, err = json.Marshal(m); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(tb.TempDir(), "edited.json")
	if err := os.WriteFile(out, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestLoadKeyErrors(t *testing.T) {
	t.Parallel()
	path, key, _ := newKeyFile(t)
	cryptoOf := func(m map[string]any) map[string]any { return m["crypto"].(map[string]any) }
	kdf := func(m map[string]any) map[string]any { return cryptoOf(m)["kdfparams"].(map[string]any) }
	flipHex := func(s string) string {
		b, _ := hex.DecodeString(s)
		b[0] ^= 1
		return hex.EncodeToString(b)
	}
	other, _, _ := newKeyFile(t)
	otherAddr := func() string {
		b, _ := os.ReadFile(other)
		var m map[string]any
		json.Unmarshal(b, &m)
		return m["address"].(string)
	}()
	write := func(content []byte) func(testing.TB) string {
		return func(tb testing.TB) string {
			p := filepath.Join(tb.TempDir(), "k.json")
			if err := os.WriteFile(p, content, 0o600); err != nil {
				tb.Fatal(err)
			}
			return p
		}
	}
	edit := func(f func(map[string]any)) func(testing.TB) string {
		return func(tb testing.TB) string { return rewrite(tb, path, f) }
	}
	orig, _ := os.ReadFile(path)
	tests := []struct {
		name     string
		file     func(testing.TB) string
		password string
		code     string
		errHas   string
	}{
		{"wrong password", func(testing.TB) string { return path }, "Tr0ub4dor&3", gpumarket.EUNAUTHORIZED, "wrong password"},
		{"empty password", func(testing.TB) string { return path }, "", gpumarket.EUNAUTHORIZED, "wrong password"},
		{"password with new line", func(testing.TB) string { return path }, testPassword + "\n", gpumarket.EUNAUTHORIZED, "wrong password"},
		{"tampered ciphertext", edit(func(m map[string]any) { c := cryptoOf(m); c["ciphertext"] = flipHex(c["ciphertext"].(string)) }), testPassword, gpumarket.EUNAUTHORIZED, "wrong password"},
		{"tampered mac", edit(func(m map[string]any) { c := cryptoOf(m); c["mac"] = flipHex(c["mac"].(string)) }), testPassword, gpumarket.EUNAUTHORIZED, "wrong password"},
		{"tampered salt", edit(func(m map[string]any) { k := kdf(m); k["salt"] = flipHex(k["salt"].(string)) }), testPassword, gpumarket.EUNAUTHORIZED, "wrong password"},
		{"tampered address", edit(func(m map[string]any) { m["address"] = otherAddr }), testPassword, gpumarket.EINVALID, "holds the key of"},
		{"bad address", edit(func(m map[string]any) { m["address"] = "0x12" }), testPassword, gpumarket.EINVALID, "address"},
		{"version 1", edit(func(m map[string]any) { m["version"] = "1" }), testPassword, gpumarket.EINVALID, "version"},
		{"no salt", edit(func(m map[string]any) { delete(kdf(m), "salt") }), testPassword, gpumarket.EINVALID, "salt"},
		{"salt a number", edit(func(m map[string]any) { kdf(m)["salt"] = 7 }), testPassword, gpumarket.EINVALID, "salt"},
		{"short dklen", edit(func(m map[string]any) { kdf(m)["dklen"] = 16 }), testPassword, gpumarket.EINVALID, "dklen"},
		{"n a string", edit(func(m map[string]any) { kdf(m)["n"] = "4096" }), testPassword, gpumarket.EINVALID, "kdfparams.n"},
		{"huge n", edit(func(m map[string]any) { kdf(m)["n"] = 1 << 30 }), testPassword, gpumarket.EINVALID, "kdfparams.n"},
		{"n not a power of 2", edit(func(m map[string]any) { kdf(m)["n"] = 4095 }), testPassword, gpumarket.EINVALID, "power of 2"},
		{"short iv", edit(func(m map[string]any) { cryptoOf(m)["cipherparams"] = map[string]any{"iv": "00"} }), testPassword, gpumarket.EINVALID, "iv"},
		{"other cipher", edit(func(m map[string]any) { cryptoOf(m)["cipher"] = "aes-256-gcm" }), testPassword, gpumarket.EINVALID, "cipher"},
		{"other kdf", edit(func(m map[string]any) { cryptoOf(m)["kdf"] = "argon2" }), testPassword, gpumarket.EINVALID, "kdf"},
		{"not JSON", write([]byte("not a key")), testPassword, gpumarket.EINVALID, "malformed JSON"},
		{"truncated", write(orig[:len(orig)/2]), testPassword, gpumarket.EINVALID, "malformed JSON"},
		{"empty file", write(nil), testPassword, gpumarket.EINVALID, "malformed JSON"},
		{"too large", write(append(bytes.Repeat([]byte(" "), keys.MaxKeystoreBytes), orig...)), testPassword, gpumarket.EINVALID, "larger than 1048576 bytes"},
		{"missing", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "nope.json") }, testPassword, gpumarket.ENOTFOUND, "does not exist"},
		{"a directory", func(tb testing.TB) string { return tb.TempDir() }, testPassword, gpumarket.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := tt.file(t)
			k, _, err := keys.LoadKey(p, []byte(tt.password))
			if k != nil || gpumarket.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("LoadKey = %v, want a %s error containing %q", err, tt.code, tt.errHas)
			}
			if err != nil && !strings.Contains(err.Error(), p) {
				t.Errorf("LoadKey error %q does not name the file", err)
			}
			if tt.code == gpumarket.EUNAUTHORIZED && !strings.HasPrefix(gpumarket.ErrorMessage(err), "keystore "+p+": wrong password") {
				t.Errorf("LoadKey error %q, want %q", err, "keystore "+p+": wrong password")
			}
			checkSecretFree(t, err, key)
		})
	}
}

func TestReadPassword(t *testing.T) {
	const env = "GPUMARKET_TEST_KEYSTORE_PASSWORD"
	dir := t.TempDir()
	file := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := file("plain", testPassword, 0o600)
	newline := file("newline", testPassword+"\n", 0o400)
	crlf := file("crlf", testPassword+"\r\n\r\n", 0o640)
	spaces := file("spaces", " "+testPassword+" \n", 0o600)
	world := file("world", testPassword+"\n", 0o644)
	empty := file("empty", "\n", 0o600)
	large := file("large", strings.Repeat("x", keys.MaxPasswordBytes+1), 0o600)
	tests := []struct {
		name, file string
		env        *string // value of the variable; nil: unset
		want       string
		code       string
		errHas     []string
	}{
		{"file", plain, nil, testPassword, "", nil},
		{"file with new line", newline, nil, testPassword, "", nil},
		{"file with CRLF lines", crlf, nil, testPassword, "", nil},
		{"spaces are kept", spaces, nil, " " + testPassword + " ", "", nil},
		{"file wins over environment", plain, ptr("from env"), testPassword, "", nil},
		{"environment", "", ptr(testPassword), testPassword, "", nil},
		{"environment with new line", "", ptr(testPassword + "\n"), testPassword, "", nil},
		{"neither", "", nil, "", gpumarket.EINVALID, []string{"password file", env}},
		{"empty environment", "", ptr(""), "", gpumarket.EINVALID, []string{env, "empty"}},
		{"empty file", empty, nil, "", gpumarket.EINVALID, []string{empty, "empty"}},
		{"too large", large, nil, "", gpumarket.EINVALID, []string{"larger than"}},
		{"missing file", filepath.Join(dir, "nope"), ptr(testPassword), "", gpumarket.ENOTFOUND, []string{"does not exist"}},
	}
	if runtime.GOOS != "windows" {
		tests = append(tests, struct {
			name, file string
			env        *string
			want       string
			code       string
			errHas     []string
		}{"world-readable file", world, nil, "", gpumarket.EINVALID, []string{world, "other users", "0644", "chmod o-rwx"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != nil {
				t.Setenv(env, *tt.env)
			} else {
				t.Setenv(env, "")
				os.Unsetenv(env)
			}
			got, err := keys.ReadPassword(tt.file, env)
			if tt.code == "" {
				if err != nil || string(got) != tt.want {
					t.Errorf("ReadPassword = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if got != nil || gpumarket.ErrorCode(err) != tt.code {
				t.Fatalf("ReadPassword = %q, %v; want a %s error", got, err, tt.code)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("ReadPassword error %q does not contain %q", err, s)
				}
			}
			checkSecretFree(t, err, nil)
		})
	}
	if _, err := keys.ReadPassword("", ""); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf(`ReadPassword("", "") = %v, want EINVALID`, err)
	}
}

// TestKeyFromPasswordFileAndEnv goes the way the relayer does: password from
// a file or the environment, then the key.
func TestKeyFromPasswordFileAndEnv(t *testing.T) {
	path, key, addr := newKeyFile(t)
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte(testPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GPUMARKET_TEST_PW", testPassword)
	for _, src := range [][2]string{{pwFile, ""}, {"", "GPUMARKET_TEST_PW"}} {
		pw, err := keys.ReadPassword(src[0], src[1])
		if err != nil {
			t.Fatalf("ReadPassword%q = %v", src, err)
		}
		got, gotAddr, err := keys.LoadKey(path, pw)
		if err != nil || gotAddr != addr || !got.Equal(key) {
			t.Errorf("LoadKey with the password from %q = %s, %v; want %s", src, gotAddr, err, addr)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestLoadKeyWeb3Vector reads the PBKDF2 test vector of the Web3 Secret
// Storage definition (a file without go-ethereum's address field).
func TestLoadKeyWeb3Vector(t *testing.T) {
	t.Parallel()
	const vector = `{"crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
	"ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46", "kdf": "pbkdf2",
	"kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256", "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
	"mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"}, "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6", "version": 3}`
	path := filepath.Join(t.TempDir(), "vector.json")
	if err := os.WriteFile(path, []byte(vector), 0o600); err != nil {
		t.Fatal(err)
	}
	key, addr, err := keys.LoadKey(path, []byte("testpassword"))
	if err != nil {
		t.Fatalf("LoadKey = %v", err)
	}
	if got := hex.EncodeToString(crypto.FromECDSA(key)); got != "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d" || addr != keys.KeyAddress(key) {
		t.Errorf("LoadKey = key %s, %s", got, addr)
	}
}
