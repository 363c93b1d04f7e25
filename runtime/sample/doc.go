// Package sample owns `gokist sample`: it writes a synthetic VISP Level-1 dataset laid
// out as the DKIST pipeline writes it — one FITS file per (Stokes parameter, raster
// step), RICE_1 tile-compressed (or plain), each with a full VISP-like header (SPEC-214
// dataset keys, per-file WCS, dates) — with a quiet-Sun granulation scene and the Fe I
// 630 nm lines, deterministic for a seed, written in parallel with bounded memory.
//
// Data flow: Generate prepares the directory, fixes the geometry (geometry.go: shape,
// wavelengths, file names, headers with their WCS) and the scene (model.go: granulation,
// line profiles), then writes one file per (Stokes, raster step) on a pool of workers
// (fileWriter: spectra filled from the scene, compressed through the fits package),
// and removes stale files of an earlier run.
package sample
