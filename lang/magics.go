package lang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// magics are the IPython magics of a cell: a cell magic on its first line (%%time,
// %%timeit) and line magics (%time, %timeit) before top-level statements, keyed by the
// statement's offset. The parser sees their lines with the magic blanked out.
type magics struct {
	cell, cellArgs string
	lines          map[int]magicLine
}

type magicLine struct{ name, args string }

// refusedMagics say in one line why the kernel does not run them.
var refusedMagics = map[string]string{
	"%pip":   "the kernel runs no shell, so `%pip` cannot install packages; gokist's modules are built in",
	"%conda": "the kernel runs no shell, so `%conda` cannot install packages; gokist's modules are built in",
	"!":      "the kernel runs no shell commands",
	"%%bash": "the kernel runs no shell commands",
	"%sx":    "the kernel runs no shell commands",
	"%%sh":   "the kernel runs no shell commands",
}

// scanMagics finds the magics of a cell and returns the source with them blanked out
// (offsets kept), or a SyntaxError for a magic gokist does not run.
func scanMagics(src string) (string, magics, *syntaxError) {
	var m magics
	if !strings.ContainsAny(src, "%!") {
		return src, m, nil
	}
	lines := strings.SplitAfter(src, "\n")
	off := 0
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		pos := off + len(l) - len(t)
		body := strings.TrimRight(t, "\r\n")
		blank := func(n int) {
			lines[i] = l[:len(l)-len(t)] + strings.Repeat(" ", n) + t[n:]
		}
		switch {
		case strings.HasPrefix(t, "!"):
			return src, m, &syntaxError{pos: pos, msg: "shell command `" + body + "` is not run", hint: refusedMagics["!"]}
		case len(t) >= 2 && t[0] == '%' && (t[1] >= 'a' && t[1] <= 'z' || t[1] == '%'):
			name := strings.Fields(body)[0]
			args := strings.TrimSpace(body[len(name):])
			switch {
			case refusedMagics[name] != "":
				return src, m, &syntaxError{pos: pos, msg: "IPython magic `" + name + "` is not run", hint: refusedMagics[name]}
			case name == "%matplotlib":
				blank(len(body))
			case (name == "%%time" || name == "%%timeit") && i == 0:
				m.cell, m.cellArgs = name[2:], args
				blank(len(body))
			case (name == "%time" || name == "%timeit") && pos == off:
				if m.lines == nil {
					m.lines = map[int]magicLine{}
				}
				n := len(name)
				if name == "%timeit" { // options -n N and -r N come before the statement
					rest := body[n:]
					for {
						f := strings.Fields(rest)
						if len(f) < 2 || (f[0] != "-n" && f[0] != "-r") {
							break
						}
						k := strings.Index(rest, f[1]) + len(f[1])
						n += k
						rest = rest[k:]
					}
				}
				m.lines[off] = magicLine{name[1:], body[len(name):n]}
				blank(n)
			default:
				return src, m, &syntaxError{pos: pos, msg: "IPython magic `" + name + "` is not supported", hint: "gokist runs %time, %%time, %timeit, %%timeit and %matplotlib"}
			}
		}
		off += len(l)
	}
	return strings.Join(lines, ""), m, nil
}

// formatTime is IPython's _format_time: a duration in s, ms, µs or ns to 3 significant
// digits, or "1min 5s" from a minute on.
func formatTime(span float64) string {
	if span >= 60 {
		var parts []string
		left := span
		for _, u := range []struct {
			suffix string
			length float64
		}{{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}} {
			if v := int(left / u.length); v > 0 {
				left = math.Mod(left, u.length)
				parts = append(parts, strconv.Itoa(v)+u.suffix)
			}
			if left < 1 {
				break
			}
		}
		return strings.Join(parts, " ")
	}
	units := []string{"s", "ms", "µs", "ns"}
	scaling := []float64{1, 1e3, 1e6, 1e9}
	order := 3
	if span > 0 {
		order = min(-int(math.Floor(math.Floor(math.Log10(span))/3)), 3)
	}
	return pyGeneral(span*scaling[order], 3) + " " + units[order]
}

// pyGeneral is Python's "%.*g".
func pyGeneral(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'g', prec, 64)
	if strings.Contains(s, "e") {
		mant, exp, _ := strings.Cut(s, "e")
		if len(exp) == 2 { // e+5 → e+05
			exp = exp[:1] + "0" + exp[1:]
		}
		return mant + "e" + exp
	}
	return s
}

// cpuTimes is the process's user and system CPU time in seconds.
func cpuTimes() (user, sys float64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return float64(ru.Utime.Nano()) / 1e9, float64(ru.Stime.Nano()) / 1e9
}

// timed runs f and prints its CPU and wall time as IPython's %time does.
func (s *Session) timed(f func() *Error) *Error {
	u0, s0 := cpuTimes()
	start := time.Now()
	err := f()
	wall := time.Since(start).Seconds()
	u1, s1 := cpuTimes()
	user, sys := u1-u0, s1-s0
	s.env.Out.Stream("stdout", fmt.Sprintf("CPU times: user %s, sys: %s, total: %s\nWall time: %s\n",
		formatTime(user), formatTime(sys), formatTime(user+sys), formatTime(wall)))
	return err
}

// timeit runs f as IPython's %timeit does: loops chosen as the first power of ten that
// takes 0.2 s (or -n), repeated 7 times (or -r); prints mean ± std. dev. per loop.
func (s *Session) timeit(args string, f func() *Error) *Error {
	loops, runs := 0, 7
	fields := strings.Fields(args)
	for i := 0; i+1 < len(fields); i++ {
		n, err := strconv.Atoi(fields[i+1])
		if err != nil || n < 1 {
			continue
		}
		switch fields[i] {
		case "-n":
			loops = n
		case "-r":
			runs = n
		}
	}
	timeLoops := func(n int) (float64, *Error) {
		start := time.Now()
		for range n {
			if err := f(); err != nil {
				return 0, err
			}
		}
		return time.Since(start).Seconds(), nil
	}
	if loops == 0 {
		for k := 0; k < 10; k++ {
			loops = int(math.Pow10(k))
			t, err := timeLoops(loops)
			if err != nil {
				return err
			}
			if t >= 0.2 {
				break
			}
		}
	}
	per := make([]float64, runs)
	for i := range per {
		t, err := timeLoops(loops)
		if err != nil {
			return err
		}
		per[i] = t / float64(loops)
	}
	s.env.Out.Stream("stdout", timeitLine(per, loops)+"\n")
	return nil
}

// timeitLine is IPython's TimeitResult text.
func timeitLine(per []float64, loops int) string {
	mean := 0.0
	for _, t := range per {
		mean += t
	}
	mean /= float64(len(per))
	v := 0.0
	for _, t := range per {
		v += (t - mean) * (t - mean)
	}
	std := math.Sqrt(v / float64(len(per)))
	plural := func(n int) string {
		if n == 1 {
			return ""
		}
		return "s"
	}
	return fmt.Sprintf("%s ± %s per loop (mean ± std. dev. of %d run%s, %s loop%s each)",
		formatTime(mean), formatTime(std), len(per), plural(len(per)), thousands(loops), plural(loops))
}

// thousands is Python's "{:,}" of an int.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// keepResult binds a displayed result as IPython's displayhook does: _, __, ___, _N and
// Out[N].
func (s *Session) keepResult(v any) {
	if !s.store {
		return
	}
	s.globals["___"], s.globals["__"], s.globals["_"] = s.globals["__"], s.globals["_"], v
	s.globals[fmt.Sprintf("_%d", s.count)] = v
	_ = s.out.set(s.count, v)
}
