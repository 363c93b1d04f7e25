package pngenc

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gokist/internal/pyref"
)

// testPicture is an opaque w×h picture with rows that repeat, rows that change and
// every byte value, as a plot has.
func testPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if (x*7+y*3)%11 == 0 || y%5 == 1 {
				c = color.RGBA{uint8(x * 13), uint8(y * 29), uint8(x*y + 1), 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// The fast PNG of an opaque picture decodes, with image/png (which checks the zlib
// stream's Adler-32 across the two parallel parts) and with Pillow (libpng and zlib),
// to exactly the picture's pixels, for sizes with one row, an odd number of rows and a
// figure's.
func TestOpaquePNGDecodesToThePicture(t *testing.T) {
	dir := t.TempDir()
	sizes := [][2]int{{1, 1}, {5, 1}, {3, 7}, {640, 480}, {257, 33}}
	var code []string
	for i, sz := range sizes {
		img := testPicture(sz[0], sz[1])
		data, err := Encode(img)
		if err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%dx%d: image/png: %v", sz[0], sz[1], err)
		}
		if got.Bounds() != img.Bounds() {
			t.Fatalf("%dx%d: decoded size %v", sz[0], sz[1], got.Bounds())
		}
		for y := range sz[1] {
			for x := range sz[0] {
				if color.RGBA64Model.Convert(got.At(x, y)) != color.RGBA64Model.Convert(img.At(x, y)) {
					t.Fatalf("%dx%d: pixel (%d, %d) decodes to %v, was %v", sz[0], sz[1], x, y, got.At(x, y), img.At(x, y))
				}
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("p%d.png", i))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		code = append(code, fmt.Sprintf("im = Image.open(%q); im.load(); json.dumps([im.mode, list(im.size), hashlib.sha256(im.tobytes()).hexdigest()])", path))
	}
	res := pyref.Batch(t, "import json, hashlib\nfrom PIL import Image\n", code)
	for i, sz := range sizes {
		if res[i].Type != "" {
			t.Fatalf("%dx%d: Pillow: %s", sz[0], sz[1], res[i].Err())
		}
		var js string
		var got []any
		if err := json.Unmarshal(res[i].Value, &js); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(js), &got); err != nil {
			t.Fatal(err)
		}
		img := testPicture(sz[0], sz[1])
		var rgb []byte
		for y := range sz[1] {
			for x := range sz[0] {
				p := img.RGBAAt(x, y)
				rgb = append(rgb, p.R, p.G, p.B)
			}
		}
		want := []any{"RGB", []any{float64(sz[0]), float64(sz[1])}, fmt.Sprintf("%x", sha256Sum(rgb))}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%dx%d: Pillow reads %v, want %v", sz[0], sz[1], got, want)
		}
	}
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
