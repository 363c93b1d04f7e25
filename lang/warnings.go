package lang

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gokist/obj"
)

// Python's warnings module: the session's filters decide what becomes of every warning
// the runtime issues through obj.Warn (astropy's ErfaWarning, dkist's deprecations,
// gokist's own notices) and of warnings.warn in a cell — shown on stderr, ignored,
// recorded by catch_warnings(record=True), or raised as an exception ("error").
//
// A filter's module pattern is matched against the package the warning comes from
// (astropy, erfa, dkist, matplotlib; __main__ for warnings.warn in a cell), as the
// runtime has no Python stack to attribute it to a file and line.

var warningActions = []string{"error", "ignore", "always", "default", "module", "once"}

type warningFilter struct {
	action   string
	message  *regexp.Regexp // nil matches every message
	category string
	module   *regexp.Regexp // nil matches every module
}

// warningFilters is the session's warnings state (the obj.WarningsService service).
type warningFilters struct {
	filters []warningFilter
	seen    map[string]bool // shown already, for "module" and "default"; cleared when the filters change, as Python's registries are
	once    map[string]bool // shown already, for "once"
	cell    int             // the running cell's number: a cell is a module of its own
	record  *obj.List       // catch_warnings(record=True)'s list while its block runs
}

// warningModule is the package a category's warnings come from.
func warningModule(category string) string {
	switch {
	case strings.HasPrefix(category, "Erfa"):
		return "erfa"
	case strings.HasPrefix(category, "Astropy"), strings.HasPrefix(category, "IERS"), strings.HasPrefix(category, "TimeDelta"):
		return "astropy"
	case strings.HasPrefix(category, "DKIST"):
		return "dkist"
	case strings.HasPrefix(category, "Matplotlib"):
		return "matplotlib"
	}
	return "__main__"
}

// Filter applies the first matching filter, as warnings.warn_explicit does.
func (w *warningFilters) Filter(category, message string) (bool, error) {
	action := "default"
	for _, f := range w.filters {
		if (f.message == nil || f.message.MatchString(message)) && subclassOf(category, f.category) &&
			(f.module == nil || f.module.MatchString(warningModule(category))) {
			action = f.action
			break
		}
	}
	switch action {
	case "ignore":
		return false, nil
	case "error":
		return false, &obj.Error{Class: category, Msg: message, Err: &excValue{class: &excClass{category}, args: []any{message}}}
	case "once", "module", "default":
		// Python shows these once per message (once), per module, or per code location
		// (default); a package's warnings come from one place inside it, and each cell
		// is a file of its own.
		key, seen := category+"\x00"+message, &w.seen
		if module := warningModule(category); action == "once" {
			seen = &w.once
		} else if module == "__main__" {
			key += fmt.Sprintf("\x00%d", w.cell)
		} else if action == "module" {
			key += "\x00" + module
		}
		if (*seen)[key] {
			return false, nil
		}
		if *seen == nil {
			*seen = map[string]bool{}
		}
		(*seen)[key] = true
	}
	if w.record != nil {
		*w.record = append(*w.record, &warningMessage{category: category, message: message})
		return false, nil
	}
	return true, nil
}

// add puts a filter first (or last with append=True), replacing an identical one, as
// warnings._add_filter does.
func (w *warningFilters) add(f warningFilter, appendLast bool) {
	w.seen = nil
	w.filters = slices.DeleteFunc(w.filters, func(g warningFilter) bool {
		return g.action == f.action && g.category == f.category && pattern(g.message) == pattern(f.message) && pattern(g.module) == pattern(f.module)
	})
	if appendLast {
		w.filters = append(w.filters, f)
		return
	}
	w.filters = append([]warningFilter{f}, w.filters...)
}

// warningMessage is what catch_warnings(record=True) records: w.message, w.category.
type warningMessage struct{ category, message string }

var warningMessageType = &obj.Type{Name: "WarningMessage", Members: []*obj.Member{
	{Name: "message", Get: func(_ *obj.Env, r any) (any, error) {
		m := r.(*warningMessage)
		return &excValue{class: &excClass{m.category}, args: []any{m.message}}, nil
	}},
	{Name: "category", Get: func(_ *obj.Env, r any) (any, error) { return &excClass{r.(*warningMessage).category}, nil }},
	{Name: "filename", Get: func(_ *obj.Env, r any) (any, error) { return "<cell>", nil }},
	{Name: "lineno", Get: func(_ *obj.Env, r any) (any, error) { return 0, nil }},
}}

func (m *warningMessage) Type() *obj.Type { return warningMessageType }
func (m *warningMessage) String() string {
	return fmt.Sprintf("{message : %s(%s), category : '%s', filename : '<cell>', lineno : 0, line : None}", m.category, Repr(m.message), m.category)
}

// catchWarnings is warnings.catch_warnings(record=False): the filters are restored when
// its block ends.
type catchWarnings struct {
	state  *warningFilters
	record bool
	saved  warningFilters
}

var catchWarningsType = &obj.Type{Name: "catch_warnings", Doc: "A with block whose changes to the warning filters end with it."}

func (c *catchWarnings) Type() *obj.Type { return catchWarningsType }

func (c *catchWarnings) Enter(*obj.Env) (any, error) {
	c.saved = *c.state
	c.state.filters = slices.Clone(c.state.filters)
	c.state.seen = nil
	if c.record {
		c.state.record = &obj.List{}
		return c.state.record, nil
	}
	return nil, nil
}

func (c *catchWarnings) Exit(_ *obj.Env, err error) error {
	cell := c.state.cell
	*c.state = c.saved
	c.state.cell, c.state.seen = cell, nil
	return err
}

func pattern(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return re.String()
}

func init() {
	obj.RegisterModule("warnings", func(scope obj.ModuleScope) (any, error) {
		s := scope.(*Session)
		w := s.services[obj.WarningsService].(*warningFilters)
		return newModule("warnings", "Python's warning control: filters that show, ignore, record or raise warnings.", map[string]any{
			"filterwarnings": fn("filterwarnings", "filterwarnings(action, message='', category=Warning, module='', lineno=0, append=False)",
				"Add a filter: action is one of 'error', 'ignore', 'always', 'default', 'module', 'once'; message and module are regular expressions.",
				filterParams, func(env *obj.Env, args obj.Args) (any, error) { return nil, w.filterwarnings(args, true) }),
			"simplefilter": fn("simplefilter", "simplefilter(action, category=Warning, lineno=0, append=False)",
				"Add a filter for every message of a category.",
				simpleParams, func(env *obj.Env, args obj.Args) (any, error) { return nil, w.filterwarnings(args, false) }),
			"resetwarnings": fn("resetwarnings", "resetwarnings()", "Remove every filter.", nil, func(env *obj.Env, args obj.Args) (any, error) {
				w.filters, w.seen = nil, nil
				return nil, nil
			}),
			"warn": fn("warn", "warn(message, category=None, stacklevel=1, source=None)", "Issue a warning (UserWarning unless a category is given).",
				warnParams, s.warn),
			"catch_warnings": fn("catch_warnings", "catch_warnings(*, record=False)", "A with block whose changes to the filters end with it; record=True collects the warnings in a list instead of showing them.",
				[]obj.Param{{Name: "record", Default: "False"}}, func(env *obj.Env, args obj.Args) (any, error) {
					v, err := args.Bind("catch_warnings", []obj.Param{{Name: "record", Default: "False"}})
					if err != nil {
						return nil, err
					}
					rec, err := truthy(v[0])
					return &catchWarnings{state: w, record: rec}, err
				}),
		}), nil
	})
}

var (
	filterParams = []obj.Param{{Name: "action"}, {Name: "message", Default: "''"}, {Name: "category", Default: "Warning"}, {Name: "module", Default: "''"}, {Name: "lineno", Default: "0"}, {Name: "append", Default: "False"}}
	simpleParams = []obj.Param{{Name: "action"}, {Name: "category", Default: "Warning"}, {Name: "lineno", Default: "0"}, {Name: "append", Default: "False"}}
	warnParams   = []obj.Param{{Name: "message"}, {Name: "category", Default: "None"}, {Name: "stacklevel", Default: "1"}, {Name: "source", Default: "None"}}
)

// filterwarnings is warnings.filterwarnings (full) or simplefilter; its checks are
// CPython's assertions, with their messages.
func (w *warningFilters) filterwarnings(args obj.Args, full bool) error {
	name, params := "simplefilter", simpleParams
	if full {
		name, params = "filterwarnings", filterParams
	}
	v, err := args.Bind(name, params)
	if err != nil {
		return err
	}
	if !full { // simplefilter's parameters into filterwarnings' places
		v = []any{v[0], nil, v[1], nil, v[2], v[3]}
	}
	action, ok := v[0].(string)
	if !ok || !slices.Contains(warningActions, action) {
		return obj.Errorf("AssertionError", "invalid action: %s", Repr(v[0]))
	}
	category := "Warning"
	if v[2] != nil {
		c, ok := v[2].(*excClass)
		if !ok {
			return obj.Errorf("AssertionError", "category must be a class")
		}
		if !subclassOf(c.name, "Warning") {
			return obj.Errorf("AssertionError", "category must be a Warning subclass")
		}
		category = c.name
	}
	f := warningFilter{action: action, category: category}
	for i, dst := range []**regexp.Regexp{&f.message, &f.module} {
		src, ok := v[1+2*i].(string)
		if v[1+2*i] != nil && !ok {
			return obj.Errorf("AssertionError", "%s must be a string", []string{"message", "module"}[i])
		}
		if src == "" {
			continue
		}
		flags := "^(?:"
		if i == 0 {
			flags = "(?i)^(?:" // message patterns ignore case, as CPython compiles them with re.I
		}
		re, err := regexp.Compile(flags + src + ")")
		if err != nil {
			return obj.Errorf("re.error", "%s (in the %s pattern %s)", err, []string{"message", "module"}[i], Repr(src))
		}
		*dst = re
	}
	appendLast, err := truthy(v[5])
	if err != nil {
		return err
	}
	w.add(f, appendLast)
	return nil
}

// warn is warnings.warn: a Warning instance as message gives its own category.
func (s *Session) warn(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("warn", warnParams)
	if err != nil {
		return nil, err
	}
	category, message := "UserWarning", Str(v[0])
	if e, ok := v[0].(*excValue); ok && subclassOf(e.class.name, "Warning") {
		category = e.class.name
	} else if v[1] != nil {
		c, ok := v[1].(*excClass)
		if !ok || !subclassOf(c.name, "Warning") {
			return nil, obj.Errorf(obj.TypeError, "category must be a Warning subclass, not '%s'", pyTypeName(v[1]))
		}
		category = c.name
	}
	return nil, obj.Warn(env, category, message, fmt.Sprintf("<cell>: %s: %s\n", category, message))
}
