package keys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
)

// Key files. A provider's keys (the operator key and the hot signer key)
// live in go-ethereum keystore (V3) files: scrypt- or PBKDF2-derived key,
// AES-128-CTR, keccak256 MAC. Passwords and keys never appear in an error
// of this file, nor are they logged.

// Limits of the key files and password files read here.
const (
	MaxKeystoreBytes = 1 << 20
	MaxPasswordBytes = 4 << 10
)

// Bounds on the key-derivation parameters LoadKey accepts, so that a
// malformed or hostile file can neither crash go-ethereum's decoder (which
// type-asserts and slices without checks) nor make it allocate gigabytes.
const (
	maxScryptN     = 1 << 20 // 4x StandardScryptN: 1 GiB with r = 8
	maxScryptR     = 16
	maxScryptP     = 16
	maxPBKDF2Iters = 10_000_000
)

// LoadKey decrypts the go-ethereum keystore (version 3) file at path with
// password and returns the key and its address. The file must be at most
// MaxKeystoreBytes and use parameters LoadKey accepts (AES-128-CTR, a
// 32-byte derived key, scrypt N a power of 2 up to 2^20, r and p up to 16,
// or PBKDF2-HMAC-SHA256); the address it names, if any, must be the key's.
//
// Errors: ENOTFOUND when the file does not exist; EUNAUTHORIZED "keystore
// <path>: wrong password" when the MAC does not match, which is also what a
// modified ciphertext or MAC looks like; EINVALID for anything else wrong
// with the file. Neither the password nor the key is ever in an error.
func LoadKey(path string, password []byte) (*ecdsa.PrivateKey, gpumarket.Address, error) {
	b, err := readLimited(path, "keystore", MaxKeystoreBytes, nil)
	if err != nil {
		return nil, gpumarket.Address{}, err
	}
	want, err := checkKeystoreJSON(b)
	if err != nil {
		return nil, gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "keystore %s: not a usable keystore v3 file: %v", path, err)
	}
	k, err := keystore.DecryptKey(b, string(password))
	switch {
	case errors.Is(err, keystore.ErrDecrypt):
		return nil, gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "keystore %s: wrong password (or a modified file: the MAC does not match)", path)
	case err != nil:
		// go-ethereum's other errors describe the file's structure (UUID,
		// key length), never the password or the plaintext.
		return nil, gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "keystore %s: %v", path, err)
	}
	addr := gpumarket.Address(k.Address)
	if !want.IsZero() && addr != want {
		return nil, gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "keystore %s: the file names address %s but holds the key of %s", path, want, addr)
	}
	return k.PrivateKey, addr, nil
}

// checkKeystoreJSON checks what go-ethereum's DecryptKey assumes without
// checking, and returns the address the file names (zero when it names
// none).
func checkKeystoreJSON(b []byte) (gpumarket.Address, error) {
	var f struct {
		Address string `json:"address"`
		Crypto  struct {
			Cipher       string              `json:"cipher"`
			CipherText   string              `json:"ciphertext"`
			CipherParams struct{ IV string } `json:"cipherparams"`
			KDF          string              `json:"kdf"`
			KDFParams    map[string]any      `json:"kdfparams"`
			MAC          string              `json:"mac"`
		} `json:"crypto"`
		ID      string `json:"id"`
		Version any    `json:"version"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return gpumarket.Address{}, fmt.Errorf("malformed JSON: %v", err)
	}
	if v, ok := f.Version.(float64); !ok || v != 3 {
		return gpumarket.Address{}, fmt.Errorf("version %v, want 3", f.Version)
	}
	// The address is go-ethereum's addition to the Web3 Secret Storage
	// format: optional, but checked when present.
	if f.Address != "" && !common.IsHexAddress(f.Address) {
		return gpumarket.Address{}, fmt.Errorf("address %q is not an address", f.Address)
	}
	c := &f.Crypto
	if c.Cipher != "aes-128-ctr" {
		return gpumarket.Address{}, fmt.Errorf("cipher %q, want aes-128-ctr", c.Cipher)
	}
	if iv, err := hex.DecodeString(c.CipherParams.IV); err != nil || len(iv) != 16 {
		return gpumarket.Address{}, errors.New("cipherparams.iv is not 16 bytes of hex")
	}
	if ct, err := hex.DecodeString(c.CipherText); err != nil || len(ct) != 32 {
		return gpumarket.Address{}, errors.New("ciphertext is not 32 bytes of hex")
	}
	if mac, err := hex.DecodeString(c.MAC); err != nil || len(mac) != 32 {
		return gpumarket.Address{}, errors.New("mac is not 32 bytes of hex")
	}
	p := c.KDFParams
	if salt, ok := p["salt"].(string); !ok || len(salt) == 0 {
		return gpumarket.Address{}, errors.New("kdfparams.salt is missing")
	} else if _, err := hex.DecodeString(salt); err != nil {
		return gpumarket.Address{}, errors.New("kdfparams.salt is not hex")
	}
	if err := intParam(p, "dklen", 32, 32); err != nil {
		return gpumarket.Address{}, err
	}
	switch c.KDF {
	case "scrypt":
		if err := intParam(p, "n", 2, maxScryptN); err != nil {
			return gpumarket.Address{}, err
		}
		if n := int(p["n"].(float64)); n&(n-1) != 0 {
			return gpumarket.Address{}, fmt.Errorf("kdfparams.n %d is not a power of 2", n)
		}
		if err := intParam(p, "r", 1, maxScryptR); err != nil {
			return gpumarket.Address{}, err
		}
		if err := intParam(p, "p", 1, maxScryptP); err != nil {
			return gpumarket.Address{}, err
		}
	case "pbkdf2":
		if err := intParam(p, "c", 1, maxPBKDF2Iters); err != nil {
			return gpumarket.Address{}, err
		}
		if prf, _ := p["prf"].(string); prf != "hmac-sha256" {
			return gpumarket.Address{}, fmt.Errorf("kdfparams.prf %q, want hmac-sha256", prf)
		}
	default:
		return gpumarket.Address{}, fmt.Errorf("kdf %q, want scrypt or pbkdf2", c.KDF)
	}
	if f.Address == "" {
		return gpumarket.Address{}, nil
	}
	return gpumarket.Address(common.HexToAddress(f.Address)), nil
}

// intParam requires kdfparams[name] to be a JSON integer in [lo, hi].
func intParam(p map[string]any, name string, lo, hi int) error {
	v, ok := p[name].(float64)
	if !ok || v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
		return fmt.Errorf("kdfparams.%s is %v, want an integer in [%d, %d]", name, p[name], lo, hi)
	}
	return nil
}

// WriteKey encrypts key with password into a new keystore (version 3) file
// at path, created with mode 0600, and returns the key's address. With
// light, it uses go-ethereum's light scrypt parameters (N = 2^12, fast: for
// tests and the demo); otherwise the standard ones (N = 2^18, about a second
// and 256 MB to decrypt).
//
// Errors: ECONFLICT when path exists (a key file is never overwritten);
// EINVALID for a nil or non-secp256k1 key, an empty password, or a file that
// cannot be created (a missing directory, permissions). A partly written
// file is removed.
func WriteKey(path string, key *ecdsa.PrivateKey, password []byte, light bool) (gpumarket.Address, error) {
	//lint:ignore SA1019 go-ethereum's secp256k1 keys are their D (crypto/ecdsa's Bytes knows only NIST curves); EncryptKey panics on a nil one.
	if key == nil || key.D == nil || key.Curve != crypto.S256() {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "write keystore %s: not a secp256k1 private key", path)
	}
	if len(password) == 0 {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "write keystore %s: the password is empty", path)
	}
	n, p := keystore.StandardScryptN, keystore.StandardScryptP
	if light {
		n, p = keystore.LightScryptN, keystore.LightScryptP
	}
	k := &keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}
	// A random (version 4) UUID, as go-ethereum's own key files have.
	if _, err := rand.Read(k.Id[:]); err != nil {
		return gpumarket.Address{}, fmt.Errorf("write keystore %s: key id: %w", path, err)
	}
	k.Id[6] = k.Id[6]&0x0f | 0x40
	k.Id[8] = k.Id[8]&0x3f | 0x80
	b, err := keystore.EncryptKey(k, string(password), n, p)
	if err != nil {
		return gpumarket.Address{}, fmt.Errorf("write keystore %s: encrypt: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.ECONFLICT, "write keystore %s: the file exists; not overwriting a key file", path)
	}
	if err != nil {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "write keystore %s: %v", path, pathErr(err))
	}
	err = f.Chmod(0o600) // whatever the umask
	if err == nil {
		_, err = f.Write(b)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return gpumarket.Address{}, fmt.Errorf("write keystore %s: %w", path, err)
	}
	return KeyAddress(key), nil
}

// ReadPassword returns a keystore password: the contents of file when file
// is not empty, otherwise the value of the environment variable envVar.
// Trailing CR and LF characters are removed (other white space is part of
// the password). The password file must not be accessible to other users
// (mode o-rwx; checked except on Windows): a world-readable password file
// would make the keystore's encryption pointless, so it is refused rather
// than warned about. A password file may be a pipe (bash's <(...)).
//
// Errors: ENOTFOUND when the file does not exist; EINVALID when neither a
// file nor a set variable is given (naming both options), when the file is
// unreadable, accessible to others, larger than MaxPasswordBytes or empty,
// and when the variable is set but empty. The password is never in an error.
func ReadPassword(file, envVar string) ([]byte, error) {
	if file != "" {
		b, err := readLimited(file, "password file", MaxPasswordBytes, checkPasswordMode)
		if err != nil {
			return nil, err
		}
		b = bytes.TrimRight(b, "\r\n")
		if len(b) == 0 {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "password file %s is empty", file)
		}
		return b, nil
	}
	if envVar != "" {
		if v, ok := os.LookupEnv(envVar); ok {
			v = strings.TrimRight(v, "\r\n")
			if v == "" {
				return nil, gpumarket.Errorf(gpumarket.EINVALID, "environment variable %s is set but empty", envVar)
			}
			return []byte(v), nil
		}
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "no keystore password: give a password file or set the environment variable %s", envVar)
	}
	return nil, gpumarket.Errorf(gpumarket.EINVALID, "no keystore password: give a password file or name a password environment variable")
}

// checkPasswordMode refuses a password file accessible to other users
// (except on Windows, whose files have no such mode bits).
func checkPasswordMode(fi fs.FileInfo) error {
	if perm := fi.Mode().Perm(); runtime.GOOS != "windows" && perm&0o007 != 0 {
		return fmt.Errorf("is accessible to other users (mode %04o); chmod o-rwx it", perm)
	}
	return nil
}

// readLimited reads the file at path, refusing one larger than limit bytes
// or, when check is not nil, one whose opened file check refuses. Errors are
// ENOTFOUND for a missing file and EINVALID otherwise, naming what and path.
func readLimited(path, what string, limit int64, check func(fs.FileInfo) error) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "%s %s does not exist", what, path)
	}
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%s %s: %v", what, path, pathErr(err))
	}
	defer f.Close()
	if check != nil {
		fi, err := f.Stat()
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "%s %s: %v", what, path, pathErr(err))
		}
		if err := check(fi); err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "%s %s %v", what, path, err)
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%s %s: %v", what, path, pathErr(err))
	}
	if int64(len(b)) > limit {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%s %s is larger than %d bytes", what, path, limit)
	}
	return b, nil
}

// pathErr returns the cause of a *fs.PathError (whose message repeats the
// path the caller already names), or err.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
