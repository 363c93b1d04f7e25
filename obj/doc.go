// Package obj owns the small protocol by which the cell language (lang) reaches runtime
// values: the Python-like value kinds (tuples, slices, Ellipsis), call arguments with
// keywords, one member table per runtime type (methods and attributes with signatures and
// docstrings), error classes, and the per-cell environment (context, output sink,
// per-session services). runtime, runtime/plot and runtime/wcs build on it; lang
// dispatches through it and never switches on concrete runtime types.
//
// It also holds what several packages share of Python's values: the display protocol
// (MimeBundler, Strer), the module type and the registry of importable modules
// (RegisterModule: each package registers its modules from init; lang's import
// statement looks them up), Python's slice.indices (Slice.Indices) and the expansion of
// ~ in the paths cells give (ExpandHome).
//
// Data flow: lang evaluates a cell, calls a member of a runtime value through its Type
// (Member.Call with Args), and the runtime answers with values of the kinds above or
// with an *Error of a Python class; the kernel shows results through MimeBundle.
package obj
