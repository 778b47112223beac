package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// pcm16 returns a mono or multi-channel 16-bit PCM WAV of frames silent
// frames; sizes set to UnknownSize when streamed.
func pcm16(rate, channels, frames int, streamed bool) []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	data := frames * channels * 2
	riff, size := uint32(36+data), uint32(data)
	if streamed {
		riff, size = UnknownSize, UnknownSize
	}
	b.WriteString("RIFF")
	le(riff)
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(channels))
	le(uint32(rate))
	le(uint32(rate * channels * 2))
	le(uint16(channels * 2))
	le(uint16(16))
	b.WriteString("data")
	le(size)
	b.Write(make([]byte, data))
	return b.Bytes()
}

func TestParse(t *testing.T) {
	std := pcm16(16000, 1, 1600, false)
	tests := []struct {
		name            string
		b               []byte
		frames, ms, sec uint64
		wantErr         string
	}{
		{"standard", std, 1600, 100, 1, ""},
		{"streamed sizes", pcm16(24000, 1, 48000, true), 48000, 2000, 2, ""},
		{"stereo", pcm16(8000, 2, 4000, false), 4000, 500, 1, ""},
		{"truncated: counted from the bytes present", std[:len(std)-101], 1549, 96, 1, ""},
		{"a started second is a second", pcm16(22050, 1, 22051, false), 22051, 1000, 2, ""},
		{"empty", nil, 0, 0, 0, "shorter than a RIFF header"},
		{"not RIFF", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"), 0, 0, 0, "no RIFF/WAVE"},
		{"no data", std[:36], 0, 0, 0, "no data chunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Parse(tt.b)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrNotWAV) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Parse error = %v, want ErrNotWAV naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if w.Frames() != tt.frames || w.Milliseconds() != tt.ms || w.Seconds() != tt.sec {
				t.Errorf("Parse = %d frames, %d ms, %d s; want %d, %d, %d", w.Frames(), w.Milliseconds(), w.Seconds(), tt.frames, tt.ms, tt.sec)
			}
		})
	}
}

// FuzzParse checks that Parse never panics and that what it accepts lies
// inside its input, in whole frames.
func FuzzParse(f *testing.F) {
	f.Add(pcm16(16000, 1, 10, false))
	f.Add(pcm16(8000, 2, 3, true))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVEfmt \x10\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrNotWAV) {
				t.Fatalf("error %v does not wrap ErrNotWAV", err)
			}
			return
		}
		if w.DataOffset < 12 || w.DataBytes < 0 || w.DataOffset+w.DataBytes > len(b) || w.DataBytes%int(w.BlockAlign) != 0 {
			t.Fatalf("data [%d, +%d) of %+v outside %d bytes or partial frames", w.DataOffset, w.DataBytes, w, len(b))
		}
	})
}

func TestTrim(t *testing.T) {
	streamed := append(pcm16(16000, 1, 1600, true), 0x7f) // a partial frame after the data
	info, err := Parse(streamed)
	if err != nil {
		t.Fatal(err)
	}
	got := Trim(streamed, info)
	if want := pcm16(16000, 1, 1600, false); !bytes.Equal(got, want) {
		t.Fatalf("Trim(streamed WAV) = % x…, want the same file with its sizes written in", got[:44])
	}
	if again, err := Parse(got); err != nil || again != info {
		t.Errorf("Parse(Trim) = %+v, %v; want %+v", again, err, info)
	}
}
