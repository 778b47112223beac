package gpumarket

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParsersQuoteBoundedInput(t *testing.T) {
	long := strings.Repeat("é", 100_000)
	for name, parse := range map[string]func(string) error{
		"ParseAddress": func(s string) error { _, err := ParseAddress(s); return err },
		"ParseHash":    func(s string) error { _, err := ParseHash(s); return err },
		"ParseJobID":   func(s string) error { _, err := ParseJobID(s); return err },
		"ParseJobKind": func(s string) error { _, err := ParseJobKind(s); return err },
	} {
		err := parse(long)
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s(long) = %v, want EINVALID", name, err)
			continue
		}
		if msg := err.Error(); len(msg) > 200 || !strings.Contains(msg, "(200000 bytes)") || !utf8.ValidString(msg) {
			t.Errorf("%s(long) message is %d bytes (%.80q…), want at most 200 valid UTF-8 bytes naming the input's length", name, len(msg), msg)
		}
		if err := parse("x"); err == nil || !strings.Contains(err.Error(), `"x"`) {
			t.Errorf("%s(\"x\") = %v, want the short input quoted whole", name, err)
		}
	}
}
