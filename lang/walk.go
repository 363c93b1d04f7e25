package lang

import (
	"context"

	"gokist/obj"
)

// walker bounds a recursive comparison of containers: nesting deeper than Python's
// recursion limit is its RecursionError ("in comparison"), and a walk that would take
// very long (lists that share themselves, compared with a copy) checks the cell's
// cancellation as it goes. It stops the walk by panicking with a *walkStop, which the
// entry points (equalErr, orderErr) recover; a nil walker has no context.
type walker struct {
	ctx   context.Context
	steps int
	depth int
}

type walkStop struct{ err error }

func (w *walker) step() {
	if w == nil {
		return
	}
	w.steps++
	if w.steps&0xfff == 0 && w.ctx != nil && w.ctx.Err() != nil {
		panic(&walkStop{obj.Errorf(obj.Interrupted, "the cell was interrupted")})
	}
}

func (w *walker) enter() {
	if w == nil {
		return
	}
	w.depth++
	if w.depth > maxCallDepth {
		panic(&walkStop{obj.Errorf("RecursionError", "maximum recursion depth exceeded in comparison")})
	}
}

func (w *walker) leave() {
	if w != nil {
		w.depth--
	}
}

// catch turns a walk's stop into its error.
func catch(err *error) {
	if r := recover(); r != nil {
		st, ok := r.(*walkStop)
		if !ok {
			panic(r)
		}
		*err = st.err
	}
}

// equalErr is Python's == on values, bounded and interruptible.
func equalErr(ctx context.Context, a, b any) (eq bool, err error) {
	defer catch(&err)
	return (&walker{ctx: ctx}).eq(a, b), nil
}

// orderErr is Python's ordering of values, bounded and interruptible.
func orderErr(ctx context.Context, a, b any) (c int, ok bool, err error) {
	defer catch(&err)
	c, ok = (&walker{ctx: ctx}).ord(a, b)
	return c, ok, nil
}

// equal is == where no error can be reported: a comparison stopped by its bounds is
// false.
func equal(a, b any) bool {
	eq, err := equalErr(nil, a, b)
	return eq && err == nil
}

// order is the ordering where no error can be reported.
func order(a, b any) (int, bool) {
	c, ok, err := orderErr(nil, a, b)
	return c, ok && err == nil
}

// contains is `item in container`, bounded and interruptible. A runtime value answers
// through its __contains__ member (a FITS header's keywords), else by its items.
func (s *Session) contains(container, item any) (in bool, err error) {
	defer catch(&err)
	if o, ok := container.(obj.Object); ok {
		if m := o.Type().Member("__contains__"); m != nil && m.Call != nil {
			r, err := m.Call(s.env, o, obj.Args{Pos: []any{item}})
			if err != nil {
				return false, err
			}
			return truthy(r)
		}
	}
	return contains(container, item)
}

// orderOf orders a and b for sorted, min and max: Python's own types by the language's
// ordering, runtime values (times, quantities) by their `<` as Python's sort does.
func (s *Session) orderOf(a, b any) (c int, ok bool, err error) {
	if c, ok, err = orderErr(s.env.Ctx, a, b); ok || err != nil {
		return c, ok, err
	}
	_, ao := a.(obj.Operand)
	_, bo := b.(obj.Operand)
	if !ao && !bo {
		return 0, false, nil
	}
	less := func(x, y any) (bool, bool) {
		r, err := s.comparePlain("<", x, y)
		if err != nil {
			return false, false
		}
		v, err := truthy(r)
		return v, err == nil
	}
	if lt, ok := less(a, b); !ok {
		return 0, false, nil
	} else if lt {
		return -1, true, nil
	}
	if gt, ok := less(b, a); !ok {
		return 0, false, nil
	} else if gt {
		return 1, true, nil
	}
	return 0, true, nil
}
