package sample

import (
	"math"

	"gokist/fits"
)

// The observing conditions a real L1 header records for every frame: where the telescope
// pointed, the coudé table, the light level and the adaptive optics' seeing estimate.
// Notebooks plot them over a scan (dkist's dataset-files tutorial plots ATMOS_R0 and
// TAZIMUTH against ELEV_ANG), so they vary smoothly and deterministically with the
// step's time, from the values of a real VISP header (../shared/data/dkist-headers).

// pointingKeys are the telescope's pointing and tracking keys of raster step k.
func (g Geometry) pointingKeys(h *fits.Header, k int) {
	set := h.Set
	t := g.StepStart(k).Sub(g.Start).Seconds()
	set("TAZIMUTH", 129.1323186299364+0.0041*t, "[deg] RawTelescopeAzimuthAngle")
	set("ELEV_ANG", 41.75380838305203+0.0032*t-1.1e-7*t*t, "[deg] RawTelescopeElevationAngle")
	set("TELTRACK", "Standard Differential Rotation Tracking", "TelescopeTrackingMode")
	set("TTBLANGL", 251.3681154307162, "[deg] TelescopeCoudeTableAngle")
	set("TTBLTRCK", "Fixed coude table angle", "TelescopeCoudeTableTrackingMode")
}

// conditionKeys are the "DKIST Operations" and "Adaptive Optics" sections of raster step
// k: the data source's health, the light level and the seeing.
func (g Geometry) conditionKeys(h *fits.Header, k int) {
	headerSection(h, "DKIST Operations", "Information about this configuration or operations of the facility",
		"when generating this data.")
	set := h.Set
	set("DSHEALTH", "GOOD", "DataSourceHealthStatus")
	set("LIGHTLVL", 571.560821648471*(1+0.02*math.Sin(0.11*float64(k))), "[adu] LightLevel")
	// The Fried parameter wanders between about 6 and 14 cm, as daytime seeing does.
	headerSection(h, "Adaptive Optics", "Keys describing aspects of the adaptive optics system.")
	x := float64(k)
	set("ATMOS_R0", 0.1031590362088231+0.025*math.Sin(0.37*x)+0.012*math.Sin(1.73*x+0.4), "[m] HOAOFriedParameter")
	set("AO_LOCK", true, "HOAOLockStatus")
}
