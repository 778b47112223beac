// Package keys holds gpumarket's signing keys: go-ethereum keystore (V3)
// files read (LoadKey) and written (WriteKey, mode 0600, never over an
// existing file), and their passwords (ReadPassword, from a file no other
// user can read, or an environment variable). Every command loads its keys
// through LoadKey and ReadPassword, so there is one password policy. No error
// or log line ever contains a password or a key.
package keys
