package kernel

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
)

// KernelSpec is the kernel.json Jupyter reads to start a kernel.
type KernelSpec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	// Env is set in the kernel's environment by Jupyter: a hub gives each student's
	// kernel its share of the machine this way (GOKIST_MEMORY_LIMIT, GOKIST_WORKERS).
	Env map[string]string `json:"env,omitempty"`
}

// NewKernelSpec is the spec that starts binary as a gokist kernel; interrupts travel as
// interrupt_request messages (SIGINT works too).
func NewKernelSpec(binary, displayName string) KernelSpec {
	if displayName == "" {
		displayName = "gokist"
	}
	return KernelSpec{
		Argv:          []string{binary, "kernel", "-f", "{connection_file}"},
		DisplayName:   displayName,
		Language:      "gokist",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
}

// UserDataDir is Jupyter's per-user data directory: $JUPYTER_DATA_DIR when set, else
// ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows, $XDG_DATA_HOME/jupyter or
// ~/.local/share/jupyter elsewhere (as jupyter_core's jupyter_data_dir).
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the Jupyter data directory: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if a := os.Getenv("APPDATA"); a != "" {
			return filepath.Join(a, "jupyter"), nil
		}
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// KernelSpecDir is where the kernelspec called name goes: under prefix/share/jupyter
// when prefix is set, else under the user data dir.
func KernelSpecDir(prefix, name string) (string, error) {
	if name == "" {
		name = "gokist"
	}
	if prefix != "" {
		return filepath.Join(prefix, "share", "jupyter", "kernels", name), nil
	}
	d, err := UserDataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kernels", name), nil
}

// WriteKernelSpec writes kernel.json and the 32- and 64-pixel logos into dir.
func WriteKernelSpec(dir string, spec KernelSpec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating kernelspec directory: %w", err)
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing kernel.json: %w", err)
	}
	for _, size := range []int{32, 64} {
		path := filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size))
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("writing logo: %w", err)
		}
		err = png.Encode(f, Logo(size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

// Logo draws the gokist logo at size×size pixels: a limb-darkened solar disc with a
// dark absorption line across it, on a transparent background.
func Logo(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size-1) / 2
	r := float64(size) * 0.46
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			dx, dy := float64(x)-c, float64(y)-c
			d := math.Hypot(dx, dy) / r
			if d > 1.04 {
				continue
			}
			alpha := 1.0
			if d > 1 {
				alpha = (1.04 - d) / 0.04 // soften the edge
			}
			mu := math.Sqrt(math.Max(0, 1-d*d))
			limb := 0.4 + 0.6*mu // limb darkening
			red, green, blue := 255*limb, 190*limb, 60*limb
			if math.Abs(dx) < float64(size)/24+0.5 && d < 0.9 {
				red, green, blue = red*0.35, green*0.3, blue*0.5 // the spectral line
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(red), uint8(green), uint8(blue), uint8(255 * alpha)})
		}
	}
	return img
}
