package fits

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// withCard gives the FITS bytes b with the header card of key (in the HDU whose header
// starts at offset hdr) replaced by key = value, the card padded to 80 characters.
func withCard(t *testing.T, b []byte, hdr int, key, value string) []byte {
	t.Helper()
	out := bytes.Clone(b)
	for i := hdr; i+80 <= len(out); i += 80 {
		if strings.TrimRight(string(out[i:i+8]), " ") == key {
			copy(out[i:i+80], fmt.Sprintf("%-8s= %-70s", key, value))
			return out
		}
	}
	t.Fatalf("no card %s", key)
	return nil
}

// A tile-compressed image's header with a keyword that is wrong (each header step of
// compressedImage) is an error naming the file, the HDU, the keyword and its value,
// never a panic; the header as written reads.
func TestCompressedHeaderErrorsNameTheKeyword(t *testing.T) {
	var b bytes.Buffer
	data := make([]float32, 6*10)
	for i := range data {
		data[i] = float32(i) / 7
	}
	if err := WriteImage(&b, nil, []int{6, 10}, data, WriteOptions{Compress: true}); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	open := func(raw []byte) (*Image, error) {
		f, err := NewFile("cube.fits", bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return nil, err
		}
		return f.Image()
	}
	if im, err := open(good); err != nil || !im.Compressed || im.Compression != "RICE_1" {
		t.Fatalf("the header as written: %v, %v", im, err)
	}
	const ext = 2880 // the BINTABLE's header follows the empty primary HDU
	cases := []struct{ key, value, want string }{
		{"ZCMPTYPE", "'PLIO_1  '", "ZCMPTYPE = 'PLIO_1' is not supported"},
		{"ZBITPIX", "12", "ZBITPIX = 12 is not one of 8, 16, 32, 64, -32, -64"},
		{"ZTILE1", "0", "ZTILE1 = 0 is not positive"},
		{"ZQUANTIZ", "'SMOOTH  '", "ZQUANTIZ = 'SMOOTH' is not a known method"},
		{"NAXIS2", "7", "table has 7 rows but the tiling gives 6 tiles"},
		{"TFORM3", "'1Z      '", "TFORM3 = '1Z' is not a valid binary-table format"},
		{"TFORM1", "'1P      '", "TFORM1 = '1P' has no element type"},
		{"TTYPE1", "'DATA    '", "no COMPRESSED_DATA variable-length column"},
	}
	for _, c := range cases {
		_, err := open(withCard(t, good, ext, c.key, c.value))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "cube.fits") || !strings.Contains(err.Error(), "compressed image") {
			t.Errorf("%s = %s: %v, want an error on cube.fits saying %q", c.key, c.value, err, c.want)
		}
	}
}
