package rcparams

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
)

// RCParams is matplotlib.rcParams for one session: the defaults gokist honours
// (figure size and dpi, savefig dpi, font size, line width and marker size, the default
// colour map, grids), checked as matplotlib's validators check them.
type RCParams struct {
	mu   sync.Mutex
	vals map[string]any
}

// MaxOpenWarning is matplotlib's rcParams['figure.max_open_warning']: making a figure
// while this many are open warns that they are retained until closed.
const MaxOpenWarning = 20

// rcSpec is one parameter: its default and its validator (returning the stored value).
type rcSpec struct {
	def   any
	check func(key string, v any) (any, error)
}

var rcSpecs = map[string]rcSpec{
	"figure.figsize":          {obj.List{draw.DefaultWidth, draw.DefaultHeight}, rcPair},
	"figure.dpi":              {float64(draw.DPI), rcPositive},
	"savefig.dpi":             {"figure", rcDPI},
	"savefig.format":          {"png", rcFormat},
	"font.size":               {10.0, rcPositive},
	"lines.linewidth":         {1.5, rcPositive},
	"lines.markersize":        {6.0, rcPositive},
	"image.cmap":              {"viridis", rcCmap},
	"axes.grid":               {false, rcBool},
	"figure.max_open_warning": {MaxOpenWarning, rcInt},
}

// rcKeys are the parameter names, sorted.
func rcKeys() []string {
	keys := make([]string, 0, len(rcSpecs))
	for k := range rcSpecs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// New is a session's rcParams at matplotlib's defaults.
func New() *RCParams {
	r := &RCParams{vals: map[string]any{}}
	for k, s := range rcSpecs {
		r.vals[k] = s.def
	}
	return r
}

func rcFloat(key string, v any) (float64, error) {
	if s, ok := v.(string); ok {
		var f float64
		if _, err := fmt.Sscan(s, &f); err == nil {
			return f, nil
		}
	}
	f, ok := obj.Float(v)
	if !ok {
		return 0, obj.Errorf(obj.ValueError, "Key %s: Could not convert %s to float", key, repr(v))
	}
	return f, nil
}

func rcPositive(key string, v any) (any, error) {
	f, err := rcFloat(key, v)
	if err != nil {
		return nil, err
	}
	if !(f > 0) || math.IsInf(f, 0) {
		return nil, obj.Errorf(obj.ValueError, "Key %s: %s must be a positive finite number", key, pyfmt.Float(f))
	}
	return f, nil
}

func rcInt(key string, v any) (any, error) {
	n, ok := v.(int)
	if !ok {
		return nil, obj.Errorf(obj.ValueError, "Key %s: Could not convert %s to int", key, draw.PyStr(v))
	}
	return n, nil
}

func rcDPI(key string, v any) (any, error) {
	if v == "figure" {
		return v, nil
	}
	return rcPositive(key, v)
}

func rcFormat(key string, v any) (any, error) {
	switch v {
	case "png", "svg", "pdf":
		return v, nil
	}
	return nil, obj.Errorf(obj.ValueError, "Key %s: %s is not a format gokist writes (png, svg, pdf)", key, draw.PyStr(v))
}

func rcCmap(key string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, obj.Errorf(obj.ValueError, "Key %s: %s is not a valid value for cmap", key, draw.PyStr(v))
	}
	if _, err := colors.LookupColormap(s); err != nil {
		return nil, obj.Errorf(obj.ValueError, "Key %s: %v", key, strings.TrimPrefix(err.Error(), "ValueError: "))
	}
	return s, nil
}

func rcBool(key string, v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case string:
		switch strings.ToLower(x) {
		case "true", "yes", "on", "1":
			return true, nil
		case "false", "no", "off", "0":
			return false, nil
		}
	}
	return nil, obj.Errorf(obj.ValueError, "Key %s: Cannot convert %s to bool", key, repr(v))
}

func rcPair(key string, v any) (any, error) {
	a, b, ok := numberPair(v)
	if !ok {
		return nil, obj.Errorf(obj.ValueError, "Key %s: Expected 2 values, got %s", key, draw.PyStr(v))
	}
	if err := draw.CheckFigureSize(a, b, draw.DPI); err != nil {
		return nil, err
	}
	return obj.List{a, b}, nil
}

// numberPair reads a 2-tuple or 2-list of numbers (each a Python number or a one-value
// array), as figsize takes them.
func numberPair(v any) (a, b float64, ok bool) {
	var items []any
	switch x := v.(type) {
	case obj.Tuple:
		items = x
	case obj.List:
		items = x
	}
	if len(items) != 2 {
		return 0, 0, false
	}
	a, okA := number(items[0])
	b, okB := number(items[1])
	return a, b, okA && okB
}

// number reads a Python number or an array holding one value (a Float64Data of plot).
func number(v any) (float64, bool) {
	if f, ok := obj.Float(v); ok {
		return f, true
	}
	if d, ok := v.(interface {
		Float64s(env *obj.Env) ([]float64, []int, error)
	}); ok {
		if vals, _, err := d.Float64s(nil); err == nil && len(vals) == 1 {
			return vals[0], true
		}
	}
	return 0, false
}

// repr is Python's repr of a value a validator refuses (matplotlib writes it with !r).
func repr(v any) string {
	if s, ok := v.(string); ok {
		return pyfmt.Quote(s)
	}
	return draw.PyStr(v)
}

// unknownKey is matplotlib's KeyError for a parameter it does not know.
func unknownKey(key any) error {
	// Python's KeyError shows its argument's repr.
	e := obj.Errorf("KeyError", "%s", draw.PyQuote(draw.PyStr(key)+" is not a valid rc parameter (see rcParams.keys() for a list of valid parameters)"))
	if s, ok := key.(string); ok {
		if c := obj.Closest(s, rcKeys()); c != "" {
			e.Hint = "did you mean '" + c + "'? gokist honours " + strings.Join(rcKeys(), ", ")
		}
	}
	return e
}

// Value is the value of key (nil when unknown).
func (r *RCParams) Value(key string) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.vals[key]
}

// set checks and stores one value.
func (r *RCParams) set(key, v any) error {
	k, ok := key.(string)
	spec, known := rcSpecs[k]
	if !ok || !known {
		return unknownKey(key)
	}
	val, err := spec.check(k, v)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.vals[k] = val
	r.mu.Unlock()
	return nil
}

// snapshot copies the values, for rc_context to restore.
func (r *RCParams) snapshot() map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]any, len(r.vals))
	for k, v := range r.vals {
		out[k] = v
	}
	return out
}

func (r *RCParams) restore(vals map[string]any) {
	r.mu.Lock()
	r.vals = vals
	r.mu.Unlock()
}

// update sets several values, all checked before any is stored.
func (r *RCParams) update(kv map[string]any) error {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	checked := map[string]any{}
	for _, k := range keys {
		spec, ok := rcSpecs[k]
		if !ok {
			return unknownKey(k)
		}
		v, err := spec.check(k, kv[k])
		if err != nil {
			return err
		}
		checked[k] = v
	}
	r.mu.Lock()
	for k, v := range checked {
		r.vals[k] = v
	}
	r.mu.Unlock()
	return nil
}

// Type implements obj.Object.
func (r *RCParams) Type() *obj.Type { return rcType }

// GetItem implements obj.Indexer: rcParams['figure.dpi'].
func (r *RCParams) GetItem(env *obj.Env, key any) (any, error) {
	k, ok := key.(string)
	if _, known := rcSpecs[k]; !ok || !known {
		return nil, unknownKey(key)
	}
	return r.Value(k), nil
}

// SetItem implements obj.ItemSetter: rcParams['figure.dpi'] = 150.
func (r *RCParams) SetItem(env *obj.Env, key, value any) error { return r.set(key, value) }

// String is the repr: RcParams({...}) with the parameters gokist honours.
func (r *RCParams) String() string {
	vals := r.snapshot()
	var parts []string
	for _, k := range rcKeys() {
		v := vals[k]
		s := draw.PyStr(v)
		if str, ok := v.(string); ok {
			s = draw.PyQuote(str)
		}
		parts = append(parts, draw.PyQuote(k)+": "+s)
	}
	return "RcParams({" + strings.Join(parts, ",\n          ") + "})"
}

// MimeBundle implements obj.MimeBundler.
func (r *RCParams) MimeBundle() map[string]any { return map[string]any{"text/plain": r.String()} }

var rcType = &obj.Type{Name: "RcParams", Doc: "matplotlib.rcParams: the defaults of new figures and artists (figure.figsize, figure.dpi, savefig.dpi, font.size, lines.linewidth, lines.markersize, image.cmap, axes.grid).",
	Members: []*obj.Member{
		{Name: "update", Signature: "update(d)", Doc: "Set several parameters from a dict.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				vals, err := args.Bind("update", []obj.Param{{Name: "d"}})
				if err != nil {
					return nil, err
				}
				d, ok := vals[0].(map[string]any)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "update(): expected a dict, not %s", obj.TypeName(vals[0]))
				}
				return nil, recv.(*RCParams).update(d)
			}},
		{Name: "keys", Signature: "keys()", Doc: "The parameter names.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				out := obj.List{}
				for _, k := range rcKeys() {
					out = append(out, k)
				}
				return out, nil
			}},
		{Name: "get", Signature: "get(key, default=None)", Doc: "The value of key, or default.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				vals, err := args.Bind("get", []obj.Param{{Name: "key"}, {Name: "default", Default: "None"}})
				if err != nil {
					return nil, err
				}
				if k, ok := vals[0].(string); ok {
					if _, known := rcSpecs[k]; known {
						return recv.(*RCParams).Value(k), nil
					}
				}
				return vals[1], nil
			}},
	}}

// rcContext is plt.rc_context(rc): a with-block that applies rc and restores every
// parameter when it ends.
type rcContext struct {
	r     *RCParams
	apply map[string]any
	saved map[string]any
}

var rcContextType = &obj.Type{Name: "rc_context", Doc: "with plt.rc_context({...}): parameters that hold for the block only."}

// Type implements obj.Object.
func (c *rcContext) Type() *obj.Type { return rcContextType }

// Enter implements obj.ContextManager.
func (c *rcContext) Enter(env *obj.Env) (any, error) {
	c.saved = c.r.snapshot()
	if err := c.r.update(c.apply); err != nil {
		return nil, err
	}
	return nil, nil
}

// Exit implements obj.ContextManager.
func (c *rcContext) Exit(env *obj.Env, err error) error {
	if c.saved != nil {
		c.r.restore(c.saved)
	}
	return nil
}

// ContextFunc is plt.rc_context(rc=None).
func ContextFunc(r *RCParams) *obj.Func {
	return &obj.Func{Name: "rc_context", Signature: "rc_context(rc=None)", Doc: rcContextType.Doc, Params: []obj.Param{{Name: "rc", Default: "None"}},
		Call: func(env *obj.Env, args obj.Args) (any, error) { return NewContext(r, args) }}
}

// NewContext is rc_context(rc=None, fname=None): a context manager that applies rc on
// entry and puts the values it changed back on exit.
func NewContext(r *RCParams, args obj.Args) (any, error) {
	vals, err := args.Bind("rc_context", []obj.Param{{Name: "rc", Default: "None"}, {Name: "fname", Default: "None"}})
	if err != nil {
		return nil, err
	}
	if vals[1] != nil {
		return nil, obj.Errorf(obj.ValueError, "rc_context(): gokist reads no matplotlibrc files; pass the parameters as a dict")
	}
	apply := map[string]any{}
	if vals[0] != nil {
		d, ok := vals[0].(map[string]any)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "rc_context(): rc must be a dict, not %s", obj.TypeName(vals[0]))
		}
		for k, v := range d {
			if _, known := rcSpecs[k]; !known {
				return nil, unknownKey(k)
			}
			apply[k] = v
		}
	}
	return &rcContext{r: r, apply: apply}, nil
}

// SetGroup is plt.rc(group, **kwargs): rc('font', size=12) sets font.size.
func SetGroup(r *RCParams, args obj.Args) error {
	if len(args.Pos) != 1 {
		return obj.Errorf(obj.TypeError, "rc() takes 1 positional argument (group) but %d were given", len(args.Pos))
	}
	group, ok := args.Pos[0].(string)
	if !ok {
		return obj.Errorf(obj.TypeError, "rc(): group must be a str, not %s", obj.TypeName(args.Pos[0]))
	}
	aliases := map[string]string{"lw": "linewidth", "ms": "markersize"}
	kv := map[string]any{}
	for k, v := range args.Kw {
		if a, ok := aliases[k]; ok {
			k = a
		}
		kv[group+"."+k] = v
	}
	return r.update(kv)
}
