package gpumarket

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// DecodeDataURI decodes the payload of a data: URI (RFC 2397), base64 or
// percent-encoded, refusing payloads larger than limit bytes. It accepts the
// URI with or without its "data:" prefix and returns an EINVALID error for
// anything malformed.
func DecodeDataURI(uri string, limit int64) ([]byte, error) {
	rest := strings.TrimPrefix(uri, "data:")
	meta, data, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, Errorf(EINVALID, "data uri has no comma")
	}
	if int64(len(data)) > 2*limit+16 {
		return nil, Errorf(EINVALID, "data uri is larger than %d bytes", limit)
	}
	var b []byte
	var err error
	if strings.HasSuffix(meta, ";base64") {
		b, err = base64.StdEncoding.DecodeString(data)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(data)
		}
	} else {
		var s string
		s, err = url.PathUnescape(data)
		b = []byte(s)
	}
	if err != nil {
		return nil, Errorf(EINVALID, "data uri payload: %v", err)
	}
	if int64(len(b)) > limit {
		return nil, Errorf(EINVALID, "data uri payload is larger than %d bytes", limit)
	}
	return b, nil
}

// DataURI returns b as a base64 data: URI of media type mediaType.
func DataURI(mediaType string, b []byte) string {
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(b)
}
