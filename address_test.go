package gpumarket

import "testing"

func TestParseAddressAndHash(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", true},
		{"0XF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266", true},
		{"f39Fd6e51aad88F6F4ce6aB8827279cffFb92266", false},
		{"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226", false},
		{"0xz39Fd6e51aad88F6F4ce6aB8827279cffFb92266", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := ParseAddress(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseAddress(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if tt.ok && a.String() != "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266" {
				t.Errorf("ParseAddress(%q).String() = %s", tt.in, a)
			}
		})
	}
	h, err := ParseHash("0x" + "ab" + "00000000000000000000000000000000000000000000000000000000000000")
	if err != nil || h[0] != 0xab || h.IsZero() {
		t.Errorf("ParseHash = %v, %v", h, err)
	}
	if _, err := ParseHash("0x1234"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseHash(short) error = %v, want %s", err, EINVALID)
	}
}
