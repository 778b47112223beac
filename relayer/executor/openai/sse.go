package openai

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// sseReader reads the data of server-sent events (the text/event-stream
// format of the WHATWG HTML standard, as OpenAI-compatible servers stream
// chat completions): lines ending in LF, CRLF or CR, an empty line ending
// an event, the "data" lines of one event joined by LF, comments (":"
// lines) and other fields ignored. A line or an event longer than maxLine
// fails the stream with errSSELine rather than growing a buffer without
// bound.
type sseReader struct {
	sc      *bufio.Scanner
	maxLine int
	data    []byte
}

// errSSELine is returned by next for a line or event over the reader's limit.
var errSSELine = errors.New("server-sent event too long")

func newSSEReader(r io.Reader, maxLine int) *sseReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, min(maxLine+2, 64<<10)), maxLine+2)
	sc.Split(splitSSELine)
	return &sseReader{sc: sc, maxLine: maxLine}
}

// splitSSELine is a bufio.SplitFunc for lines ending in LF, CRLF or CR.
func splitSSELine(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		if data[i] == '\n' {
			return i + 1, data[:i], nil
		}
		if i+1 < len(data) {
			if data[i+1] == '\n' {
				return i + 2, data[:i], nil
			}
			return i + 1, data[:i], nil
		}
		if atEOF {
			return i + 1, data[:i], nil
		}
		return 0, nil, nil // a CR at the end: wait to see whether LF follows
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// next returns the data of the next event that has any, or io.EOF at the
// end of the stream (an unterminated last event is delivered first, for
// servers that close the connection right after the last data line). The
// returned slice is valid until the next call.
func (s *sseReader) next() ([]byte, error) {
	s.data = s.data[:0]
	hasData := false
	for s.sc.Scan() {
		line := s.sc.Bytes()
		if len(line) == 0 {
			if hasData {
				return s.data, nil
			}
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, found := bytes.Cut(line, []byte{':'})
		if found && len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
		if string(field) != "data" {
			continue
		}
		if hasData {
			s.data = append(s.data, '\n')
		}
		if len(s.data)+len(value) > s.maxLine {
			return nil, errSSELine
		}
		s.data = append(s.data, value...)
		hasData = true
	}
	if err := s.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, errSSELine
		}
		return nil, fmt.Errorf("read event stream: %w", err)
	}
	if hasData {
		return s.data, nil
	}
	return nil, io.EOF
}
