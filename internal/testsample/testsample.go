// Package testsample writes the sample dataset the tutorial tests run on (notebooks,
// workshop): one shape and one way of writing it, so those tests agree on what the
// tutorials index.
package testsample

import (
	"time"

	"gokist/internal/testproc"
)

// TutorialShape is smaller than the default sample but keeps what the tutorials rely on:
// the rebinning tutorial's raster steps 520:720 and 500 exist and 730 divides by 10, the
// slit of 2555 = 7 × 365 divides by 7 and (cropped by 5) by 10, and a window of 16
// wavelengths (at a coarser dispersion than the default's 160) holds the Fe I lines, so
// that it is a tenth of the default's size.
const TutorialShape = "4,730,16,2555"

// WriteHome writes the tutorial sample with the gokist binary at its default path under
// home (~/sunpy/data/VISP/AGLKO), the way `make demo` does on a fresh machine.
func WriteHome(gokist, home string) error {
	_, err := testproc.Output(testproc.Cmd{Name: gokist, Args: []string{"sample", "--shape", TutorialShape},
		Env: []string{"HOME=" + home}, Timeout: 5 * time.Minute})
	return err
}
