// Package dkistnet is dkist.net's share of gokist: the data centre's endpoints
// (`dkist.net.conf`, settable as in dkist, so a course can point them at a mirror) and
// the downloads a dataset's files ask for (ds.files.quality_report() and
// preview_movie()), made over HTTP as parfive's Downloader.simple_download makes them
// and answered with parfive's Results: the paths of the files written, with the failed
// URLs in .errors rather than raised, so an offline notebook keeps running.
//
// The dataset face (package runtime) calls QualityReport and PreviewMovie; the module
// registers itself as dkist.net from init. Searching the archive (DKISTClient, Fido) and
// Globus transfers are not here.
package dkistnet
