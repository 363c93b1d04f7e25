package obj

// The builders every face's member table is written with: a read-only attribute, a
// method whose arguments are bound to its parameters, and a shape as Python's tuple.

// Attr makes a read-only attribute member.
func Attr(name, doc string, get func(env *Env, recv any) (any, error)) *Member {
	return &Member{Name: name, Signature: name, Doc: doc, Get: get}
}

// Method makes a method member whose arguments are bound to params (Args.Bind) before
// call sees them, in the order of params.
func Method(name, sig, doc string, params []Param, call func(env *Env, recv any, vals []any) (any, error)) *Member {
	return &Member{Name: name, Signature: sig, Doc: doc, Params: params,
		Call: func(env *Env, recv any, args Args) (any, error) {
			vals, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			return call(env, recv, vals)
		}}
}

// ShapeTuple renders an array's shape as a Python tuple value.
func ShapeTuple(shape []int) Tuple {
	t := make(Tuple, len(shape))
	for i, n := range shape {
		t[i] = n
	}
	return t
}
