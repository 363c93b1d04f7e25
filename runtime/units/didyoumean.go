package units

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

func mathPow(x, y float64) float64 { return math.Pow(x, y) }

// strconvPow10 gives 10**e correctly rounded, as Python's float literal 1e-7 is.
func strconvPow10(e int) float64 {
	v, _ := strconv.ParseFloat("1e"+strconv.Itoa(e), 64)
	return v
}

// DidYouMean is astropy's did_you_mean over the registry's names: the name without a
// plural "s" when that is a unit, else difflib's close matches (at most 3, ratio ≥
// 0.8) ignoring case, every spelling of them, sorted: "Did you mean S or s?", or "".
func DidYouMean(name string) string {
	lower := strings.ToLower(name)
	byLower := map[string][]string{}
	for n := range registry() {
		l := strings.ToLower(n)
		byLower[l] = append(byLower[l], n)
	}
	var matches []string
	if strings.HasSuffix(lower, "s") && byLower[lower[:len(lower)-1]] != nil {
		matches = []string{lower[:len(lower)-1]}
	} else {
		matches = closeMatches(lower, byLower, 3, 0.8)
	}
	if len(matches) == 0 {
		return ""
	}
	var names []string
	for _, m := range matches {
		for _, n := range byLower[m] {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	slices.Sort(names)
	if len(names) == 1 {
		return "Did you mean " + names[0] + "?"
	}
	return "Did you mean " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + "?"
}

// closeMatches is difflib.get_close_matches: the n candidates of highest similarity
// ratio at least cutoff, ties broken by the larger string, as heapq.nlargest does.
func closeMatches(word string, candidates map[string][]string, n int, cutoff float64) []string {
	type scored struct {
		r float64
		s string
	}
	var res []scored
	lw := len([]rune(word))
	for c := range candidates {
		// difflib's real_quick_ratio: an upper bound from the lengths alone, which
		// spares the matching of a long name against short ones.
		lc := len([]rune(c))
		if 2*float64(min(lc, lw))/float64(lc+lw) < cutoff {
			continue
		}
		if r := ratio(c, word); r >= cutoff {
			res = append(res, scored{r, c})
		}
	}
	slices.SortFunc(res, func(a, b scored) int {
		if a.r != b.r {
			return cmpFloat(b.r, a.r)
		}
		return strings.Compare(b.s, a.s)
	})
	out := []string{}
	for i := 0; i < len(res) && i < n; i++ {
		out = append(out, res[i].s)
	}
	return out
}

// ratio is difflib.SequenceMatcher(None, a, b).ratio() for short strings (no junk):
// twice the matched characters over the total length.
func ratio(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra)+len(rb) == 0 {
		return 1
	}
	return 2 * float64(matched(ra, rb)) / float64(len(ra)+len(rb))
}

// matched sums the sizes of difflib's matching blocks: the longest common block
// (earliest in a, then in b), then recursively left and right of it.
func matched(a, b []rune) int {
	bi, bj, size := 0, 0, 0
	for i := range a {
		for j := range b {
			k := 0
			for i+k < len(a) && j+k < len(b) && a[i+k] == b[j+k] {
				k++
			}
			if k > size {
				bi, bj, size = i, j, k
			}
		}
	}
	if size == 0 {
		return 0
	}
	return size + matched(a[:bi], b[:bj]) + matched(a[bi+size:], b[bj+size:])
}
