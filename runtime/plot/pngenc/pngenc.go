package pngenc

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"sync"
)

// Encode encodes img as PNG with the fastest compression, which matters more than
// size for inline display. An opaque RGBA picture (every figure: its background is
// white) is written by encodeOpaquePNG; others by image/png.
func Encode(img image.Image) ([]byte, error) {
	if rgba, ok := img.(*image.RGBA); ok && rgba.Opaque() {
		return encodeOpaquePNG(rgba)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// pngBufferPool reuses the PNG encoder's compressor and row buffers between figures,
// which saves about a megabyte of allocation per image.
type pngBufferPool struct{ p sync.Pool }

// Get implements png.EncoderBufferPool.
func (b *pngBufferPool) Get() *png.EncoderBuffer {
	e, _ := b.p.Get().(*png.EncoderBuffer)
	return e
}

// Put implements png.EncoderBufferPool.
func (b *pngBufferPool) Put(e *png.EncoderBuffer) { b.p.Put(e) }

var pngBuffers = &pngBufferPool{}
