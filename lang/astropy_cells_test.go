package lang

import "testing"

// astropy.time and astropy.units together, as the DKIST tutorials use them (built on
// separate branches: Time takes units' Quantities and Unit objects through
// obj.QuantityValue and runtime.UnitStringer).
func TestTimesWithUnitsAsAstropy(t *testing.T) {
	prelude := "import astropy.units as u\nfrom astropy.time import Time\ntimes = Time(['2023-05-21T04:00:00', '2023-05-21T04:00:30.5', '2023-05-21T04:02:00'])\n"
	checkAgainstPython(t, []string{
		prelude + "(times - times[0]).to_value(u.s)",
		prelude + "(times[2] - times[0]).to(u.min)",
		prelude + "(times - times[0]).to(u.s)",
		prelude + "times[0] + 90 * u.s",
		prelude + "times[0] - 1.5 * u.h",
		prelude + "(times[1] - times[0]) > 30 * u.s",
		prelude + "times[0] + 3 * u.m",
	})
}

// numpy's scalars answer item() and dtype as numpy's do.
func TestNumpyScalarsItemAsNumpy(t *testing.T) {
	checkAgainstPython(t, []string{
		"import numpy as np\nx = np.float32(1.5)\n(x.item(), type(x.item()).__name__, str(x.dtype))",
		"import numpy as np\na = np.arange(4)\n(a.sum().item(), type(a.sum().item()).__name__, str(a.sum().dtype))",
		"import numpy as np\na = np.array([0.25, 0.5])\n(a.mean().item(), type(a.mean().item()).__name__, str(a.mean().dtype))",
		"import numpy as np\na = np.array([1.0, 2.0])\n((a > 1).any().item(), type((a > 1).any().item()).__name__)",
		"import numpy as np\nnp.array([2.5]).item()",
	})
}
