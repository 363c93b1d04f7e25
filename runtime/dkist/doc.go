// Package dkist is the DKIST dataset layer: a dataset directory (FITS files, one per
// frame, and the data centre's ASDF index) as a Dataset, a lazy array over those files
// with its world coordinates and metadata, and VBI's mosaics as a TiledDataset. It holds
// no Python values: the Python face (package runtime) gives a Dataset its member table,
// reprs and plots, and shows its Record (the inventory) as a dict and its header columns
// as a Table. It imports the lazy core (runtime/lazy), fits and runtime/wcs, and obj only
// for the error classes the face reports.
//
// # What it owns
//
//   - the loader (loader.go: LoadDataset, the file listing, assembly; the header scan
//     and the SPEC-214 keys in loader_headers.go; placement on the file grid by DINDEXn
//     and the checks of its size in loader_grid.go);
//   - the ASDF index's file_manager and inventory (asdfindex.go; record.go: the
//     inventory as an ordered Record of plain Go values);
//   - Dataset and its WCS binding (dataset.go), the part of the file grid a view covers
//     and its files (frames.go), the header keywords read across files on demand
//     (header_columns.go);
//   - TiledDataset, a grid of Datasets loaded from a tiled ASDF index (tiled.go).
//
// # How a load flows
//
//  1. list: LoadDataset lists the directory (a path to an .asdf file names its
//     directory), finding the FITS files and the ASDF index; a blocked file system
//     call cannot hold the cell (interruptibly), and a panic on a hostile file becomes
//     an error naming it.
//  2. ASDF: the index's file_manager gives the full file grid (fileuris, the files'
//     shape and dtype) and its inventory record; when it cannot be read the FITS
//     headers alone place the files, and the Dataset keeps why (Info.AsdfProblem).
//  3. headers: every FITS header is scanned in parallel, no data; the SPEC-214 keys
//     (DNAXIS, DINDEXn, DAAXES, DEAXES, DPNAMEn, DWNAMEn, …) are checked to agree.
//  4. file grid: the files are placed on a lazy.FileGrid by the index's fileuris or by
//     their DINDEXn keys; absent files are counted missing and compute as NaN. The
//     grid's size is checked before anything of its size is allocated.
//  5. lazy source: the Dataset's data is a lazy.SourceNode over the grid: indexing,
//     arithmetic, rebin and reductions build a graph on it and read nothing until a
//     compute (lazy.ComputeRun, with the cell's context and Reporter).
//  6. WCS: the index's gwcs when every transform in it is one runtime/wcs knows, else
//     the first file's FITS WCS (Info.GwcsProblem says why); a view (indexing, rebin)
//     carries its part of the grid (FileView), so its files and headers are those its
//     data comes from.
package dkist
