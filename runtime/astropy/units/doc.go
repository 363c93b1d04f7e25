// Package units is the Python face of astropy.units over the plain-Go unit library
// runtime/units (imported here under its own name units; importers of this package
// call it aunits): Quantity (quantity.go; its member table in quantity_py.go, reprs in
// quantity_repr.go, numpy's functions of Quantities through obj.UfuncOverrider in
// quantity_ufunc.go), unit objects (UnitValue, quantity_unit.go), the modules
// astropy.units, astropy.constants, astropy.visualization and their parent astropy
// (quantity_modules.go), and QTable's Quantity columns (table_units.go, the seam
// runtime/table reads units through).
//
// # How it plugs in
//
// quantity_modules.go registers the modules with obj.RegisterModule from init, and the
// makers other packages use to build units and Quantities without importing this one
// (obj.RegisterUnitMaker, obj.RegisterQuantityMaker). Package runtime imports it, so
// importing gokist/runtime registers astropy.units with every other module. Values
// reach numpy's functions through obj.UfuncOverrider and plots through
// obj.QuantityValue; a Quantity holds its values as runtime/numpy's NDArray or
// LazyArray (lazy until compute()) or a Python number.
package units
