package time

import (
	"time"

	"gokist/obj"
	"gokist/runtime/astrotime"
)

// timeClass is a class value of the astropy.time module (Time, TimeDelta): calling it
// constructs one.
type timeClass struct {
	name, path string
	typ        *obj.Type
	build      func(env *obj.Env, args obj.Args) (any, error)
}

// Type is the class's own member table: its constructor's help, and Time.now().
func (c *timeClass) Type() *obj.Type {
	t := &obj.Type{Name: "type", Doc: c.typ.Doc, Signature: c.typ.Signature}
	if c.name == "Time" {
		t.Members = []*obj.Member{{Name: "now", Signature: "Time.now()", Doc: "The current time (UTC, format datetime as astropy's).",
			Call: func(env *obj.Env, _ any, _ obj.Args) (any, error) { return timeNow(env) }}}
	}
	return t
}

// timeNow is Time.now(): the system clock as UTC, in format datetime.
func timeNow(env *obj.Env) (any, error) {
	now := time.Now().UTC()
	iso := now.Format("2006-01-02T15:04:05.000000")
	t, err := fromStrings(env, timeInput{strs: []string{iso}}, "isot", astrotime.UTC)
	if err != nil {
		return nil, err
	}
	t.format = "datetime"
	return t, nil
}

// Call constructs a value.
func (c *timeClass) Call(env *obj.Env, args obj.Args) (any, error) { return c.build(env, args) }

// MimeBundle shows the class as Python does.
func (c *timeClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class '" + c.path + "'>"}
}

// String is the class's repr.
func (c *timeClass) String() string { return "<class '" + c.path + "'>" }

func init() {
	obj.RegisterModule("astropy.time", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("astropy.time", "Times and time differences (astropy.time): Time, TimeDelta.", map[string]any{
			"Time":      &timeClass{name: "Time", path: "astropy.time.core.Time", typ: timeType, build: NewFromArgs},
			"TimeDelta": &timeClass{name: "TimeDelta", path: "astropy.time.core.TimeDelta", typ: timeDeltaType, build: NewDeltaFromArgs},
		}), nil
	})
}
