package runtime

// The Python modules' faces register their modules (obj.RegisterModule) from init in
// their own packages; importing gokist/runtime links them all, whether or not the dkist
// face calls into them.
import (
	_ "gokist/runtime/astropy/iofits"
	_ "gokist/runtime/astropy/time"
	_ "gokist/runtime/astropy/units"
	_ "gokist/runtime/astropy/wcs"
	_ "gokist/runtime/numpy"
)
