// Package pystd holds the parts of Python's standard library that notebooks use around
// their data and that need nothing of the language's internals: pathlib's Path, os and
// os.path, glob. Each module registers itself with obj.RegisterModule; lang links the
// package in. Paths reach the runtime as strings: a Path is an obj.PathLike, which the
// language converts at every call into the runtime (dkist.load_dataset(Path(...)),
// fits.open, savefig), as Python's functions take any os.PathLike.
//
// Everything here reads the file system and never writes it: a cell that needs to
// create files does so through the runtime's own functions (savefig, sample data).
package pystd
