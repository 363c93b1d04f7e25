package units

import "sync"

// constantDef is one generated row of astropy.constants.
type constantDef struct {
	Name        string // the attribute name in astropy.constants ("c", "M_sun")
	Abbrev      string
	FullName    string // "Speed of light in vacuum"
	Value       float64
	Uncertainty float64
	Unit        string // to_string() of the unit
	Reference   string // "CODATA 2018", "IAU 2015 Resolution B 3 + CODATA 2018"
	System      string // "si", "cgs", "esu", "gauss", "emu" or ""
	Repr        string // repr() as astropy prints it
	Str         string // str() as astropy prints it
}

// Constant is one constant of astropy.constants.
type Constant = constantDef

var (
	constantsOnce sync.Once
	constantsBy   map[string]*Constant
)

// ConstantNamed finds a constant of astropy.constants by its attribute name.
func ConstantNamed(name string) (*Constant, bool) {
	constantsOnce.Do(func() {
		constantsBy = make(map[string]*Constant, len(constantTable))
		for i := range constantTable {
			constantsBy[constantTable[i].Name] = &constantTable[i]
		}
	})
	k, ok := constantsBy[name]
	return k, ok
}

// Constants lists the constants of astropy.constants, sorted by name.
func Constants() []*Constant {
	out := make([]*Constant, len(constantTable))
	for i := range constantTable {
		out[i] = &constantTable[i]
	}
	return out
}
