// Package asdf reads ASDF files (the Advanced Scientific Data Format DKIST's dataset
// indexes are written in) as far as the world coordinates need: the YAML tree (Read,
// Parse; gzip-compressed files too, bounded in size), its binary blocks (Block, zlib or
// bzip2 compressed), and values in it: tags (TagName), mapping keys (MapGet), the first
// node of a tag (FindTag), numbers and ndarrays (Numbers), quantities converted to the
// wcsunit base units m, deg and s (Quantity), and times (Time).
//
// It knows nothing of gwcs: package gwcs turns the tree's gwcs into models and frames.
package asdf
