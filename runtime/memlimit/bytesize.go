package memlimit

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gokist/obj"
)

// minWorkerMemory is the smallest memory_limit a worker may have: below a few chunks'
// worth nothing can be computed. Larger limits than the machine has are cut to it, as
// dask does.
const MinWorkerMemory = 16 << 20

// parseByteString reads a memory size written as dask writes them ("4GB", "512 MiB",
// "5G", "auto": 0); name is the argument or variable it came from, for the error.
func ParseByteString(name, x string) (int64, error) {
	s := strings.TrimSpace(strings.ToUpper(x))
	if s == "AUTO" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"PIB", 1 << 50}, {"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"PB", 1e15}, {"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1},
		{"P", 1e15}, {"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"K", 1e3}} // dask's parse_bytes takes "5G" too
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, obj.Errorf(obj.ValueError, "Client(): %s '%s' is not a size such as '4GB' or '512MiB'", name, x)
	}
	// Out-of-range sizes are left to the caller's range check, which names the range;
	// only keep the product within int64.
	return int64(max(-(1 << 62), min(f*mult, 1<<62))), nil
}

// humanBytes renders a byte count as dask does ("15.62 MiB").
func HumanBytes(n int64) string {
	units := []string{"B", "kiB", "MiB", "GiB", "TiB", "PiB"}
	v := float64(n)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.2f %s", v, units[i])
}
