package numpy

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/memlimit"
	"html"
	"math"
	"strings"

	"gokist/obj"
)

// The member tables of ndarray (Array) and LazyArray, and the member helpers every face
// table is built with.

// reductionDocs explain each reduction in help().
var reductionDocs = map[string]string{
	"sum":    "Sum of the values over the given axes (accumulated in float64).",
	"mean":   "Arithmetic mean over the given axes (accumulated in float64).",
	"min":    "Minimum over the given axes; NaN if any value is NaN.",
	"max":    "Maximum over the given axes; NaN if any value is NaN.",
	"std":    "Standard deviation (ddof=0) over the given axes.",
	"var":    "Variance (ddof=0) over the given axes.",
	"argmin": "Index of the minimum: the flat index for axis=None, else the position along axis.",
	"argmax": "Index of the maximum: the flat index for axis=None, else the position along axis.",
}

// arrayMembers builds the members LazyArray and Array share. nodeOfRecv gives the
// receiver's graph; finish turns a new graph into the method's result (lazy for
// LazyArray, computed for Array).
func arrayMembers(nodeOfRecv func(any) lazy.Node, finish func(env *obj.Env, n lazy.Node) (any, error), isLazy bool) []*obj.Member {
	when := "computed at once"
	if isLazy {
		when = "lazy: call .compute() to get the values"
	}
	ms := append(reductionMembers(nodeOfRecv, finish, when), shapeMembers(nodeOfRecv, finish, isLazy)...)
	ms = append(ms, elementwiseMembers(func(recv any) any { return recv })...)
	for _, fn := range []string{"sqrt", "log", "abs"} {
		ms = append(ms, obj.Method(fn, fn+"()", "Elementwise "+fn+" (numpy."+fn+"); the result is "+when+".", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				n, err := lazy.UnaryOp(fn, nodeOfRecv(recv))
				if err != nil {
					return nil, err
				}
				return finish(env, n)
			}))
	}
	ms = append(ms,
		obj.Attr("shape", "The array's shape, a tuple in numpy axis order.", func(env *obj.Env, recv any) (any, error) {
			return obj.ShapeTuple(nodeOfRecv(recv).Shape()), nil
		}),

		obj.Attr("dtype", "The element type, as numpy's dtype: dtype('float32'), equal to 'float32'.", func(env *obj.Env, recv any) (any, error) {
			return DType{nodeOfRecv(recv).DType()}, nil
		}),

		obj.Attr("ndim", "The number of axes.", func(env *obj.Env, recv any) (any, error) {
			return len(nodeOfRecv(recv).Shape()), nil
		}),

		obj.Attr("size", "The number of elements.", func(env *obj.Env, recv any) (any, error) {
			return lazy.Product(nodeOfRecv(recv).Shape()), nil
		}),

		obj.Attr("nbytes", "The number of bytes the values take at this dtype.", func(env *obj.Env, recv any) (any, error) {
			n := nodeOfRecv(recv)
			return lazy.Product(n.Shape()) * n.DType().ItemSize(), nil
		}),

		obj.Method("astype", "astype(dtype)", "Convert the elements to dtype ('float32', 'float64', 'int64', 'bool'); the result is "+when+".",
			[]obj.Param{{Name: "dtype"}},
			func(env *obj.Env, recv any, v []any) (any, error) {
				dt, err := ParseDType(v[0])
				if err != nil {
					return nil, err
				}
				return finish(env, lazy.AstypeNode(nodeOfRecv(recv), dt))
			}),
	)
	return ms
}

var LazyArrayType = &obj.Type{
	Name: "LazyArray",
	Doc: "A lazy N-d array (like a dask array): indexing, arithmetic, rebinning and reductions build a graph; " +
		"compute() runs it in parallel over the files, reading only what the selection needs.",
}

var ArrayType = &obj.Type{
	Name: "Array",
	Doc:  "An in-memory N-d array (like a numpy ndarray), the result of compute().",
}

func init() {
	lazyNode := func(recv any) lazy.Node { return recv.(*LazyArray).Node }
	LazyArrayType.Members = append(arrayMembers(lazyNode, func(env *obj.Env, n lazy.Node) (any, error) {
		return &LazyArray{n}, nil
	}, true),
		obj.Method("compute", "compute()", "Run the graph on the session's workers and return an in-memory Array, or a number for a full reduction.",
			nil, func(env *obj.Env, recv any, v []any) (any, error) { return recv.(*LazyArray).Compute(env) }),

		obj.Attr("chunks", "The chunk sizes along each axis, a tuple of tuples as dask gives them (one chunk per file along file-spanning axes).",
			func(env *obj.Env, recv any) (any, error) { return chunksTuple(lazyNode(recv)), nil }),

		obj.Attr("chunksize", "The largest chunk's shape.", func(env *obj.Env, recv any) (any, error) {
			return obj.ShapeTuple(chunkSize(lazyNode(recv))), nil
		}),

		obj.Attr("npartitions", "The number of chunks.", func(env *obj.Env, recv any) (any, error) {
			return chunkCount(lazyNode(recv)), nil
		}),
	)
	arrNode := func(recv any) lazy.Node { return &lazy.ArrayNode{A: (*lazy.Array)(recv.(*NDArray))} }
	ArrayType.Members = append(arrayMembers(arrNode, func(env *obj.Env, n lazy.Node) (any, error) {
		a, err := ComputeNode(env, n)
		if err != nil {
			return nil, err
		}
		return ScalarOrSelf(a), nil
	}, false),
		obj.Method("compute", "compute()", "Return the array itself (it is already in memory).", nil,
			func(env *obj.Env, recv any, v []any) (any, error) { return recv, nil }),

		obj.Method("tolist", "tolist()", "The values as nested Python lists.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) { return toList((*lazy.Array)(recv.(*NDArray))), nil }),

		obj.Method("item", "item()", "The single value of a one-element array as a Python number.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				a := recv.(*NDArray)
				if a.Array().Size() != 1 {
					return nil, obj.Errorf(obj.ValueError, "can only convert an array of size 1 to a Python scalar, not size %d", a.Array().Size())
				}
				return PythonValue(a.Array().At(0), a.DT), nil
			}),

		arrayToScalar("__float__", "float"), arrayToScalar("__int__", "int"),
	)
}

// chunksTuple gives dask's chunks: per axis, the sizes between the node's cuts.
func chunksTuple(n lazy.Node) obj.Tuple {
	shape := n.Shape()
	cuts := n.Cuts()
	out := make(obj.Tuple, len(shape))
	for i, s := range shape {
		var sizes obj.Tuple
		prev := 0
		if i < len(cuts) {
			for _, c := range cuts[i] {
				sizes = append(sizes, c-prev)
				prev = c
			}
		}
		sizes = append(sizes, s-prev)
		out[i] = sizes
	}
	return out
}

// chunkCount is the number of chunks, as dask's npartitions: the product of the chunk
// counts along each axis of .chunks (the executor may split a chunk into several tasks
// to bound their memory; those are not chunks).
func chunkCount(n lazy.Node) int {
	count := 1
	for _, sizes := range chunksTuple(n) {
		count *= len(sizes.(obj.Tuple))
	}
	if lazy.Product(n.Shape()) == 0 {
		return 0
	}
	return count
}

// chunkSize gives the largest chunk along each axis.
func chunkSize(n lazy.Node) []int {
	shape := n.Shape()
	cuts := n.Cuts()
	out := make([]int, len(shape))
	for i, s := range shape {
		prev, m := 0, 0
		if i < len(cuts) {
			for _, c := range cuts[i] {
				m = max(m, c-prev)
				prev = c
			}
		}
		out[i] = max(m, s-prev)
	}
	return out
}

// graphName describes the last operation of a graph, as dask names its arrays.
func graphName(n lazy.Node) string { return n.Name() }

// String renders the lazy array as dask does: name, shape, dtype, chunk shape.
func (l *LazyArray) String() string {
	n := l.Node
	return fmt.Sprintf("LazyArray<%s, shape=%s, dtype=%s, chunksize=%s, chunks=%d, nbytes=%s>",
		graphName(n), lazy.ShapeString(n.Shape()), n.DType(), lazy.ShapeString(chunkSize(n)),
		chunkCount(n), memlimit.HumanBytes(int64(lazy.Product(n.Shape())*n.DType().ItemSize())))
}

// html renders the dask-like table of array and chunk sizes.
func (l *LazyArray) HTML() string {
	n := l.Node
	cs := chunkSize(n)
	item := n.DType().ItemSize()
	nchunks := chunkCount(n)
	var b strings.Builder
	b.WriteString("<table><tr><th></th><th>Array</th><th>Chunk</th></tr>")
	fmt.Fprintf(&b, "<tr><th>Bytes</th><td>%s</td><td>%s</td></tr>", memlimit.HumanBytes(int64(lazy.Product(n.Shape())*item)), memlimit.HumanBytes(int64(lazy.Product(cs)*item)))
	fmt.Fprintf(&b, "<tr><th>Shape</th><td>%s</td><td>%s</td></tr>", lazy.ShapeString(n.Shape()), lazy.ShapeString(cs))
	fmt.Fprintf(&b, "<tr><th>Count</th><td colspan=\"2\">%d chunks, graph ending in %s</td></tr>", nchunks, html.EscapeString(n.Name()))
	fmt.Fprintf(&b, "<tr><th>Type</th><td colspan=\"2\">%s</td></tr>", n.DType())
	b.WriteString("</table>")
	return b.String()
}

// MimeBundle shows the lazy array's shape, dtype, chunks and bytes.
func (l *LazyArray) MimeBundle() map[string]any {
	return map[string]any{"text/plain": l.String(), "text/html": l.HTML()}
}

// arrayToScalar is float(a) / int(a) of a one-element array, as numpy 1.24 allows
// (math.sqrt(np.array(4.0)) too); larger arrays are numpy's TypeError.
func arrayToScalar(name, conv string) *obj.Member {
	return obj.Method(name, name+"()", conv+"(a) of a one-element array.", nil,
		func(env *obj.Env, recv any, v []any) (any, error) {
			a := recv.(*NDArray).Array()
			if a.Size() != 1 {
				return nil, obj.Errorf(obj.TypeError, "only size-1 arrays can be converted to Python scalars")
			}
			x := a.At(0)
			if conv == "int" {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, obj.Errorf(obj.ValueError, "cannot convert float %s to integer", map[bool]string{true: "NaN", false: "infinity"}[math.IsNaN(x)])
				}
				return int(x), nil
			}
			return x, nil
		})

}
