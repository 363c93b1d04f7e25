// Package sample owns `gokist sample`: it writes a synthetic VISP Level-1 dataset laid
// out as the DKIST pipeline writes it — one FITS file per (Stokes parameter, raster
// step), RICE_1 tile-compressed (or plain), each with a full VISP-like header (SPEC-214
// dataset keys, per-file WCS, dates) — with a quiet-Sun granulation scene and the Fe I
// 630 nm lines, deterministic for a seed, written in parallel with bounded memory; and
// its ASDF index as the DKIST data centre writes one (asdf.go: the ASDF file format;
// asdf_visp.go: dkist's dataset tree, the headers table, the inventory, an exact gwcs),
// so that Python's dkist opens the directory too. It also holds the synthetic stand-ins
// that dkist.data.sample's names resolve to (standins.go), among them a VBI mosaic
// written with dkist's tiled_dataset index (vbi.go), and dkist's VISP_HEADER.
//
// Data flow: Generate prepares the directory, fixes the geometry (geometry.go: shape,
// wavelengths, file names, headers with their WCS) and the scene (model.go: granulation,
// line profiles), then writes one file per (Stokes, raster step) on a pool of workers
// (fileWriter: spectra filled from the scene, compressed through the fits package),
// writes the ASDF index from the headers it wrote (last, so that an index marks a
// complete sample), and removes stale files of an earlier run.
package sample
