package runtime

// The dataset's unit (ds.unit, from BUNIT).

import (
	"gokist/obj"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/units"
)

// unitMember is ds.unit: the unit of the data values, astropy's Unit of BUNIT, as
// dkist's Dataset.unit; None when the files give no BUNIT.
var unitMember = obj.Attr("unit", "The unit of the data values (from BUNIT), e.g. Unit(\"ct\"); multiply the data by it to get a Quantity.",
	func(env *obj.Env, recv any) (any, error) { return recv.(*Dataset).Unit() })

// Unit is the data's unit from BUNIT, or nil when there is none; a BUNIT that astropy
// cannot parse is its ValueError naming the string.
func (d *Dataset) Unit() (any, error) {
	b := d.bunit()
	if b == "" {
		return nil, nil
	}
	u, err := units.Parse(b)
	if err != nil {
		return nil, aunits.PythonError(err)
	}
	return &aunits.UnitValue{U: u}, nil
}
