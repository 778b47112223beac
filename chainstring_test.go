package gpumarket

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestChainStringText(t *testing.T) {
	tests := []struct {
		in     ChainString
		isText bool
		text   string
		json   string
	}{
		{"ipfs://spec", true, "ipfs://spec", `"ipfs://spec"`},
		{"", true, "", `""`},
		{`back\slash`, true, `back\slash`, `"back\\slash"`},
		{"ünïcødé €", true, "ünïcødé €", `"ünïcødé €"`},
		{"ipfs://spec\x00tail", false, `ipfs://spec\x00tail`, `{"hex":"0x697066733a2f2f73706563007461696c","text":"ipfs://spec\\x00tail"}`},
		{"bad\xffutf8", false, `bad\xffutf8`, `{"hex":"0x626164ff75746638","text":"bad\\xffutf8"}`},
		{"\xc3", false, `\xc3`, `{"hex":"0xc3","text":"\\xc3"}`},
		{"a\\b\x00", false, `a\\b\x00`, `{"hex":"0x615c6200","text":"a\\\\b\\x00"}`},
		{"\xed\xa0\x80", false, `\xed\xa0\x80`, `{"hex":"0xeda080","text":"\\xed\\xa0\\x80"}`}, // a UTF-8-encoded surrogate is not UTF-8
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := tt.in.IsText(); got != tt.isText {
				t.Errorf("IsText(%q) = %v, want %v", tt.in, got, tt.isText)
			}
			if got := tt.in.Text(); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
			b, err := json.Marshal(tt.in)
			if err != nil || string(b) != tt.json {
				t.Errorf("MarshalJSON(%q) = %s, %v; want %s", tt.in, b, err, tt.json)
			}
		})
	}
}

func TestParseChainStringTextRefusesBadEscapes(t *testing.T) {
	for _, in := range []string{`\`, `\x`, `\x0`, `\xzz`, `\n`, `abc\`} {
		if _, err := ParseChainStringText(in, true); ErrorCode(err) != EINVALID {
			t.Errorf("ParseChainStringText(%q, true) error = %v, want EINVALID", in, err)
		}
	}
	if got, err := ParseChainStringText(`\x00`, false); err != nil || got != `\x00` {
		t.Errorf("ParseChainStringText(unescaped) = %q, %v; want it unchanged", got, err)
	}
}

func TestChainStringUnmarshalRefusesBadHex(t *testing.T) {
	for _, in := range []string{`{"hex":"00"}`, `{"hex":"0xzz"}`, `{"hex":"0x0"}`, `[]`, `12`} {
		var s ChainString
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("Unmarshal(%s) = %q, want an error", in, s)
		}
	}
}

// FuzzChainString checks that every byte string survives both stored forms
// (escaped text + flag, and JSON) exactly, and that what goes into TEXT and
// JSONB is always valid UTF-8 without NUL.
func FuzzChainString(f *testing.F) {
	for _, s := range []string{"", "ipfs://spec\x00tail", "\xff\xfe", `\\x00`, "é\xc3", "\x00\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := ChainString(in)
		text := s.Text()
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			t.Fatalf("Text(%q) = %q: not storable as TEXT", in, text)
		}
		back, err := ParseChainStringText(text, !s.IsText())
		if err != nil || back != s {
			t.Fatalf("ParseChainStringText(Text(%q)) = %q, %v", in, back, err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `\u0000`) || !utf8.Valid(b) {
			t.Fatalf("MarshalJSON(%q) = %s: not storable as JSONB", in, b)
		}
		var got ChainString
		if err := json.Unmarshal(b, &got); err != nil || got != s {
			t.Fatalf("JSON round trip of %q = %q, %v", in, got, err)
		}
	})
}
