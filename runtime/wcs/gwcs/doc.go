// Package gwcs evaluates the gwcs (Python's generalized WCS) stored in a DKIST ASDF
// index: Find opens a gwcs/wcs node, Build turns its steps' transform trees into a Model
// (models.go: compose, concatenate, remap, linear, affine, identity, constant, gnomonic,
// rotate3d; dkistmodels.go: dkist's coupled compound, varying celestial transform and
// lookup tables; builder.go maps tags to them), and Frames reads the output frame: one
// WorldAxis per output (name, unit, physical type, kind, celestial pairing) with the
// reference and observation times. Tiles lists the gwcs of each dataset of a tiled
// index.
//
// Data flow: asdf.File (YAML tree and blocks) → GWCS (steps) → Model (pure Go
// numerics, no Python values) and Frames. Package wcs makes a dataset WCS of them
// (FromASDF); a transform this package does not know is an error naming its tag, never a
// silent default.
package gwcs
