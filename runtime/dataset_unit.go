package runtime

// The dataset's unit (ds.unit, from BUNIT) and the numpy functions rebin takes as its
// operation (ds.rebin(..., operation=np.sum), also spelled function=np.sum).

import (
	"strings"

	"gokist/obj"
	"gokist/runtime/units"
)

// unitMember is ds.unit: the unit of the data values, astropy's Unit of BUNIT, as
// dkist's Dataset.unit; None when the files give no BUNIT.
var unitMember = attr("unit", "The unit of the data values (from BUNIT), e.g. Unit(\"ct\"); multiply the data by it to get a Quantity.",
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
		return nil, unitsErr(err)
	}
	return &UnitValue{u}, nil
}

// rebinParams are rebin's parameters: ndcube's operation, and function, the name some
// DKIST examples give it.
var rebinParams = []obj.Param{{Name: "bin_shape"}, {Name: "operation", Default: "'mean'"}, {Name: "function", Default: "None"}}

// rebinOperation gives the operation rebin was asked for: operation or function (not
// both), a name or a numpy function (np.sum → "sum").
func rebinOperation(operation, function any) (any, error) {
	if function != nil {
		if operation != nil {
			return nil, obj.Errorf(obj.TypeError, "rebin() got both operation and function; give one")
		}
		operation = function
	}
	if f, ok := operation.(*obj.Func); ok {
		name := f.Name
		for _, prefix := range []string{"numpy.", "np."} {
			name = strings.TrimPrefix(name, prefix)
		}
		return name, nil
	}
	return operation, nil
}
