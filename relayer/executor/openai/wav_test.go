package openai

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func TestParseWAV(t *testing.T) {
	std := makeWAV(wavSpec{rate: 16000, frames: 1600})
	truncated := std[:len(std)-101] // declares 3200 data bytes, holds 3099
	tests := []struct {
		name       string
		b          []byte
		wantFrames uint64
		wantMS     uint64
		wantSec    uint64
		wantErr    string
	}{
		{"standard", std, 1600, 100, 1, ""},
		{"streamed 0xFFFFFFFF sizes", makeWAV(wavSpec{rate: 24000, frames: 48000, unknownSize: true}), 48000, 2000, 2, ""},
		{"zero data size (stream)", setDataSize(makeWAV(wavSpec{rate: 8000, frames: 800}), 0), 800, 100, 1, ""},
		{"extra chunks, odd pad", makeWAV(wavSpec{rate: 16000, frames: 16000, before: [][]byte{ffmpegList(), riffChunk("fact", []byte{1, 2, 3, 4}), riffChunk("junk", []byte("xyz"))}}), 16000, 1000, 1, ""},
		{"stereo", makeWAV(wavSpec{rate: 8000, channels: 2, frames: 4000}), 4000, 500, 1, ""},
		{"truncated data: counted from bytes present", truncated, 1549, 96, 1, ""},
		{"declared size smaller than present (trailing chunk)", append(std, riffChunk("LIST", []byte("INFOtail"))...), 1600, 100, 1, ""},
		{"empty", nil, 0, 0, 0, "shorter than a RIFF header"},
		{"not RIFF", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"), 0, 0, 0, "no RIFF/WAVE"},
		{"no fmt before data", append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x04\x00\x00\x00"), 0, 0, 0, 0), 0, 0, 0, "before the fmt chunk"},
		{"no data", std[:36], 0, 0, 0, "no data chunk"},
		{"chunk runs past the end", append([]byte("RIFF\x00\x00\x00\x00WAVELIST\xff\x00\x00\x00"), make([]byte, 10)...), 0, 0, 0, `chunk "LIST" declares 255 bytes`},
		{"zero channels", patch(std, 22, 0), 0, 0, 0, "0 channels"},
		{"block align lies", patch(std, 32, 3), 0, 0, 0, "block align 3"},
		{"compressed format", patch(std, 20, 0x55), 0, 0, 0, "format tag 0x0055"},
		{"rate zero", patch32(std, 24, 0), 0, 0, 0, "sample rate 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWAV(tt.b)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrNotWAV) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseWAV error = %v, want ErrNotWAV naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseWAV: %v", err)
			}
			if w.Frames() != tt.wantFrames || w.Milliseconds() != tt.wantMS || w.Seconds() != tt.wantSec {
				t.Errorf("ParseWAV = %d frames, %d ms, %d s; want %d, %d, %d", w.Frames(), w.Milliseconds(), w.Seconds(), tt.wantFrames, tt.wantMS, tt.wantSec)
			}
		})
	}
}

func patch(b []byte, off int, v uint16) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint16(c[off:], v)
	return c
}

func patch32(b []byte, off int, v uint32) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(c[off:], v)
	return c
}

// setDataSize writes size into the data chunk header of a makeWAV file
// without extra chunks.
func setDataSize(b []byte, size uint32) []byte { return patch32(b, 40, size) }

// FuzzParseWAV checks that ParseWAV never panics and that what it accepts is
// self-consistent: the data lies inside the input, holds whole frames, and
// the durations agree with the frame count.
func FuzzParseWAV(f *testing.F) {
	for _, g := range generatedWAVs {
		if g.head == "" {
			f.Add(makeWAV(g.spec))
		}
	}
	f.Add(makeWAV(wavSpec{rate: 8000, frames: 10, unknownSize: true}))
	f.Add(makeWAV(wavSpec{rate: 44100, channels: 2, frames: 3, before: [][]byte{riffChunk("junk", []byte("z"))}}))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVEfmt \x10\x00\x00\x00"))
	f.Add([]byte("RF64\xff\xff\xff\xffWAVEds64\x1c\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := ParseWAV(b)
		if err != nil {
			if !errors.Is(err, ErrNotWAV) {
				t.Fatalf("error %v does not wrap ErrNotWAV", err)
			}
			return
		}
		if w.DataOffset < 12 || w.DataBytes < 0 || w.DataOffset+w.DataBytes > len(b) {
			t.Fatalf("data [%d, +%d) outside %d bytes", w.DataOffset, w.DataBytes, len(b))
		}
		if w.BlockAlign == 0 || w.DataBytes%int(w.BlockAlign) != 0 || w.SampleRate == 0 {
			t.Fatalf("inconsistent format %+v", w)
		}
		if ms, s := w.Milliseconds(), w.Seconds(); ms > s*1000 || (ms+999)/1000 > s && w.Frames()*1000%uint64(w.SampleRate) == 0 {
			t.Fatalf("durations disagree: %d ms, %d s for %d frames at %d Hz", ms, s, w.Frames(), w.SampleRate)
		}
	})
}
