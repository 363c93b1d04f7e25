package runtime

// This file is ds.global_coords: ndcube's GlobalCoords, the world coordinates that
// integer indexing fixed (ds[0] fixes Stokes; ds[0, 1] also time), by name.

import (
	"fmt"
	"strings"

	"gokist/obj"
	"gokist/runtime/wcs"
)

// globalCoords is a read-only mapping from a dropped coordinate's name to its value.
type globalCoords struct{ coords []wcs.Dropped }

var globalCoordsType = &obj.Type{Name: "GlobalCoords", Doc: "The world coordinates a dataset's slicing fixed (ndcube's global coordinates): gc['time'], keys(), len(gc)."}

func init() {
	globalCoordsType.Members = []*obj.Member{
		obj.Method("keys", "keys()", "The coordinates' names.", nil, func(env *obj.Env, recv any, v []any) (any, error) {
			return recv.(*globalCoords).Items(), nil
		}),

		obj.Attr("physical_types", "The physical types of each coordinate's world axes, by name.", func(env *obj.Env, recv any) (any, error) {
			m := &mapping{name: "dict"}
			for _, c := range recv.(*globalCoords).coords {

				var types any = c.Types[0]
				if len(c.Types) > 1 {
					tu := make(obj.Tuple, len(c.Types))
					for i, t := range c.Types {
						tu[i] = t
					}
					types = tu
				}
				m.keys, m.vals = append(m.keys, c.Name), append(m.vals, types)
			}
			return m, nil
		}),
	}
}

// globalCoordsOf gives the dataset's global coordinates (none without a WCS).
func globalCoordsOf(d *Dataset) (*globalCoords, error) {
	if d.WorldCoords == nil {
		return &globalCoords{}, nil
	}
	cs, err := d.WorldCoords.DroppedWorld()
	if err != nil {
		return nil, err
	}
	return &globalCoords{coords: cs}, nil
}

// Type returns the GlobalCoords member table.
func (g *globalCoords) Type() *obj.Type { return globalCoordsType }

// Items lists the names, for len() and iteration, as a mapping's keys.
func (g *globalCoords) Items() []any {
	out := make([]any, len(g.coords))
	for i, c := range g.coords {
		out[i] = c.Name
	}
	return out
}

// GetItem is gc['name'].
func (g *globalCoords) GetItem(env *obj.Env, key any) (any, error) {
	var names []string
	for _, c := range g.coords {
		if c.Name == key {
			return c.Value, nil
		}
		names = append(names, c.Name)
	}
	e := obj.Errorf("KeyError", "%s", plainRepr(key))
	if s := obj.Closest(fmt.Sprint(key), names); s != "" {
		e.Hint = fmt.Sprintf("did you mean '%s'?", s)
	}
	return nil, e
}

// MimeBundle prints as ndcube's GlobalCoords: each name with its physical types, then
// its value.
func (g *globalCoords) MimeBundle() map[string]any {
	parts := make([]string, len(g.coords))
	for i, c := range g.coords {
		types := make([]string, len(c.Types))
		for j, t := range c.Types {
			types[j] = "'" + t + "'"
		}
		value := fmt.Sprint(c.Value)
		if m, ok := c.Value.(obj.MimeBundler); ok {
			value, _ = m.MimeBundle()["text/plain"].(string)
		}
		parts[i] = fmt.Sprintf("%s [%s]:\n%s", c.Name, strings.Join(types, ", "), value)
	}
	return map[string]any{"text/plain": "GlobalCoords(" + strings.Join(parts, ",\n             ") + ")"}
}
