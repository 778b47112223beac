package gpumarket

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ChainString is a string as a contract stores it (a job's specURI or
// resultURI, a provider's metadataURI): any bytes the sender chose. Solidity
// does not check strings, so it may hold invalid UTF-8 or NUL bytes, which a
// PostgreSQL TEXT or JSONB value cannot. Everything that stores one keeps
// every byte: the raw bytes, plus Text for people and text columns.
type ChainString string

// IsText reports whether s is valid UTF-8 without NUL bytes: storable as
// text unchanged. For such a string Text returns s itself.
func (s ChainString) IsText() bool {
	return utf8.ValidString(string(s)) && !strings.ContainsRune(string(s), 0)
}

// Text returns s when IsText, and otherwise a lossless escaped form that is
// always valid UTF-8 without NUL: a backslash becomes `\\`, and a NUL byte
// or a byte that is not part of a valid UTF-8 sequence becomes `\xNN`
// (lower-case hex); every other character is kept. Together with IsText
// (stored beside it as a flag) the escaped form identifies s exactly;
// ParseChainStringText reverses it.
func (s ChainString) Text() string {
	if s.IsText() {
		return string(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(string(s[i:]))
		switch {
		case r == utf8.RuneError && size <= 1, r == 0:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteString(string(s[i : i+size]))
		}
		i += size
	}
	return b.String()
}

// ParseChainStringText reverses Text: escaped says whether text is the
// escaped form (IsText was false) or the string itself. It returns an
// EINVALID error for an escaped form Text cannot have produced.
func ParseChainStringText(text string, escaped bool) (ChainString, error) {
	if !escaped {
		return ChainString(text), nil
	}
	var b bytes.Buffer
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		switch {
		case i+1 < len(text) && text[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case i+3 < len(text) && text[i+1] == 'x':
			v, err := hex.DecodeString(text[i+2 : i+4])
			if err != nil {
				return "", Errorf(EINVALID, "escaped chain string: bad escape at byte %d", i)
			}
			b.WriteByte(v[0])
			i += 3
		default:
			return "", Errorf(EINVALID, "escaped chain string: bad escape at byte %d", i)
		}
	}
	return ChainString(b.String()), nil
}

// chainStringJSON is the JSON form of a ChainString that is not text.
type chainStringJSON struct {
	Hex  string `json:"hex"`  // every byte, 0x-prefixed
	Text string `json:"text"` // Text(), for people reading the payload
}

// MarshalJSON encodes a text string as a JSON string, and any other as an
// object {"hex": "0x…", "text": "<escaped>"}, so that no byte is lost
// (encoding/json would replace invalid UTF-8 by U+FFFD) and the result is
// valid JSONB (which refuses \u0000).
func (s ChainString) MarshalJSON() ([]byte, error) {
	if s.IsText() {
		return json.Marshal(string(s))
	}
	return json.Marshal(chainStringJSON{Hex: "0x" + hex.EncodeToString([]byte(s)), Text: s.Text()})
}

// UnmarshalJSON accepts both forms MarshalJSON writes.
func (s *ChainString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = ChainString(v)
		return nil
	}
	var v chainStringJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("chain string: %w", err)
	}
	raw, ok := strings.CutPrefix(v.Hex, "0x")
	if !ok {
		return Errorf(EINVALID, "chain string: hex %q lacks the 0x prefix", v.Hex)
	}
	d, err := hex.DecodeString(raw)
	if err != nil {
		return Errorf(EINVALID, "chain string: bad hex: %v", err)
	}
	*s = ChainString(d)
	return nil
}
