package runtime

import (
	"context"
	"fmt"
	"html"
	"path/filepath"
	"slices"
	"strings"

	"gokist/fits"
	"gokist/runtime/obj"
	"gokist/runtime/wcs"
)

// Dataset is a DKIST dataset: a lazy N-d array over the files of a directory, its WCS,
// and metadata (headers, inventory). Indexing, rebinning and arithmetic on its data are
// lazy; compute() reads the files.
type Dataset struct {
	node       node
	grid       *fileGrid
	info       *datasetInfo
	pixelNames []string // array order
	wcs        *wcs.WCS
	wcsErr     error
	// view is the part of the file grid this dataset covers (the whole grid for the
	// loaded dataset); grid and info describe those files only, as dkist slices its
	// FileManager and headers with the data.
	view *fileView
}

// datasetInfo is what every view of one loaded dataset shares.
type datasetInfo struct {
	dir, asdf             string
	instrument, datasetID string
	nFiles, missing       int
	// firstHeader is the full header of the first present file on the grid; the other
	// files' headers are not kept (thousands of ~30 KB headers would dominate the
	// kernel's memory): ds.headers reads them again on demand (see headerTable).
	firstHeader                        *fits.Header
	files                              []string      // the present files, grid order
	columns                            headerColumns // values of header keywords across files, read on demand
	worldNames, worldUnits, worldTypes []string      // DWNAMEn, DUNITn, DTYPEn
	asdfProblem                        error         // why the directory's ASDF index was not used, if so
}

// Type returns the Dataset member table.
func (d *Dataset) Type() *obj.Type { return datasetType }

// Shape returns the dataset's array shape (numpy order).
func (d *Dataset) Shape() []int { return slices.Clone(d.node.shape()) }

// PixelNames names the array axes (numpy order).
func (d *Dataset) PixelNames() []string { return slices.Clone(d.pixelNames) }

// WCS returns the dataset's world coordinates (nil with the reason when unavailable).
func (d *Dataset) WCS() (*wcs.WCS, error) {
	if d.wcs == nil {
		if d.wcsErr != nil {
			return nil, obj.Errorf(obj.ValueError, "this dataset has no WCS: %v", d.wcsErr)
		}
		return nil, obj.Errorf(obj.ValueError, "this dataset has no WCS")
	}
	return d.wcs, nil
}

// ArrayAxisPhysicalTypes gives, per array axis (numpy order), the physical types of the
// world axes that vary along it, in world order: ndcube's array_axis_physical_types,
// read off the WCS's axis correlation matrix. Without a WCS every entry is empty.
func (d *Dataset) ArrayAxisPhysicalTypes() []obj.Tuple {
	nd := len(d.node.shape())
	out := make([]obj.Tuple, nd)
	for i := range out {
		out[i] = obj.Tuple{}
	}
	if d.wcs == nil {
		return out
	}
	types := d.wcs.WorldAxisPhysicalTypes()
	for w, row := range d.wcs.AxisCorrelationMatrix() {
		for p, correlated := range row { // p in WCS order: array axis nd-1-p
			if correlated && p < nd {
				out[nd-1-p] = append(out[nd-1-p], types[w])
			}
		}
	}
	return out
}

// Data returns the lazy array of the dataset (an in-memory Array once computed).
func (d *Dataset) Data() any {
	if a, ok := d.node.(*arrayNode); ok {
		return a.a
	}
	return &LazyArray{d.node}
}

// Lazy returns the dataset's data as a LazyArray (wrapping in-memory data too).
func (d *Dataset) Lazy() *LazyArray { return &LazyArray{d.node} }

// with returns a copy of the dataset with another node, WCS and names, covering the
// files of view (nil: the same files as d).
func (d *Dataset) with(n node, w *wcs.WCS, werr error, names []string, view *fileView) *Dataset {
	out := &Dataset{node: n, grid: d.grid, info: d.info, pixelNames: names, wcs: w, wcsErr: werr, view: d.view}
	if view != nil && d.view != nil {
		out.view = view
		if !view.isWhole() || !d.view.isWhole() {
			out.grid = view.viewGrid()
			out.info = view.viewInfo(d.info, out.grid)
		}
	}
	return out
}

// frameCount is the number of files the view covers, as dkist's repr counts them after
// slicing.
func (d *Dataset) frameCount() int {
	if d.view != nil {
		return d.view.frameCount()
	}
	return d.info.nFiles
}

// GetItem slices the dataset as numpy does: the data (lazily, or at once for in-memory
// data, as ndcube slices a numpy-backed cube), the WCS, and the files and headers, which
// keep only the files the selection touches, as dkist's Dataset.__getitem__ does.
func (d *Dataset) GetItem(env *obj.Env, key any) (any, error) {
	shape := d.node.shape()
	picks, err := planIndex(key, shape, d.pixelNames)
	if err != nil {
		return nil, err
	}
	n, err := indexNodeOf(d.node, key, d.pixelNames)
	if err != nil {
		return nil, err
	}
	if n, err = d.keepInMemory(env, n); err != nil {
		return nil, err
	}
	var names []string
	items := make([]wcs.Item, len(picks))
	for i, p := range picks {
		if p.drop {
			items[i] = wcs.Item{Index: p.start, Drop: true}
		} else {
			items[i] = wcs.Item{Start: p.start, Step: p.step, Len: p.n}
			names = append(names, d.pixelNames[i])
		}
	}
	w, werr := d.wcs, d.wcsErr
	if w != nil {
		if w, werr = w.Slice(items); werr != nil {
			w = nil
		}
	}
	var view *fileView
	if d.view != nil {
		view = d.view.index(picks)
	}
	return d.with(n, w, werr, names, view), nil
}

// keepInMemory computes n at once when the dataset's data are in memory, so that a
// slice or rebin of a computed dataset is in memory too (no files are read).
func (d *Dataset) keepInMemory(env *obj.Env, n node) (node, error) {
	if _, inMemory := d.node.(*arrayNode); !inMemory {
		return n, nil
	}
	if _, already := n.(*arrayNode); already {
		return n, nil
	}
	a, err := computeNode(env, n)
	if err != nil {
		return nil, err
	}
	return &arrayNode{a}, nil
}

// Rebin combines bins of neighbouring pixels (ndcube's rule: one entry per array axis,
// -1 for a whole axis, each dividing its axis), lazily (at once for in-memory data),
// with the WCS resampled. The rebinned dataset covers the same files; its headers stay
// one per file (a bin's pixels come from several files, whose headers all stay).
func (d *Dataset) Rebin(binShape any, operation any) (*Dataset, error) {
	rb, err := newRebin(d.node, binShape, operation, d.pixelNames)
	if err != nil {
		return nil, err
	}
	n, err := d.keepInMemory(nil, rb)
	if err != nil {
		return nil, err
	}
	w, werr := d.wcs, d.wcsErr
	if w != nil {
		if w, werr = w.Rebin(rb.factors); werr != nil {
			w = nil
		}
	}
	out := d.with(n, w, werr, d.pixelNames, nil)
	if d.view != nil {
		out.view = d.view.rebin(rb.factors)
	}
	return out, nil
}

// Compute reads the data and returns an in-memory Dataset with the same WCS and files.
func (d *Dataset) Compute(env *obj.Env) (*Dataset, error) {
	a, err := computeNode(env, d.node)
	if err != nil {
		return nil, err
	}
	return d.with(&arrayNode{a}, d.wcs, d.wcsErr, d.pixelNames, nil), nil
}

// LoadDatasetEnv loads a dataset under a cell's context.
func LoadDatasetEnv(env *obj.Env, dir string) (*Dataset, error) {
	ctx := context.Background()
	if env != nil {
		ctx = env.Context()
	}
	ds, err := LoadDataset(ctx, dir)
	if err != nil {
		return nil, err
	}
	if ds.info.asdfProblem != nil && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: the dataset's ASDF index was not used, the files are placed by their FITS headers alone: %s\n", errorText(ds.info.asdfProblem)))
	}
	if ds.info.missing > 0 && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: %d of the dataset's %d files are missing from %s; their values compute as NaN\n",
			ds.info.missing, ds.info.nFiles, ds.info.dir))
	}
	if ds.wcs == nil && ds.wcsErr != nil && env != nil && env.Out != nil {
		// The data still loads, but with 0 world dimensions: say why now rather than
		// at the first pixel_to_world or plot.
		env.Out.Stream("stderr", fmt.Sprintf("warning: the dataset's world coordinates (WCS) could not be built, so it has 0 world dimensions: %v\n", ds.wcsErr))
	}
	return ds, nil
}

// ---- reprs ----

func (d *Dataset) headline() string {
	inst := d.info.instrument
	if inst == "" {
		inst = "DKIST"
	}
	id := d.info.datasetID
	if id != "" {
		id = " " + id
	}
	s := fmt.Sprintf("This %s Dataset%s consists of %d frames.\nFiles are stored in %s", inst, id, d.frameCount(), d.info.dir)
	if d.info.missing > 0 {
		s += fmt.Sprintf("\n(%d of the dataset's %d files are missing; their values compute as NaN)", d.info.missing, d.info.nFiles)
	}
	if _, inMemory := d.node.(*arrayNode); inMemory {
		s += "\nThe data are in memory (computed)."
	}
	return s
}

// pixelTable lists the array axes with names and sizes.
func (d *Dataset) pixelTable() [][]string {
	rows := [][]string{{"Array Dim", "Axis Name", "Data size", "Bounds"}}
	for i, n := range d.node.shape() {
		rows = append(rows, []string{fmt.Sprint(i), d.pixelNames[i], fmt.Sprint(n), "None"})
	}
	return rows
}

// worldTable lists the world axes with names, physical types and units.
func (d *Dataset) worldTable() [][]string {
	rows := [][]string{{"World Dim", "Axis Name", "Physical Type", "Units"}}
	if d.wcs != nil {
		names, types, units := d.wcs.WorldAxisNames(), d.wcs.WorldAxisPhysicalTypes(), d.wcs.WorldAxisUnits()
		for i := range names {
			u := units[i]
			if u == "" {
				u = "unknown"
			}
			rows = append(rows, []string{fmt.Sprint(i), names[i], types[i], u})
		}
	}
	return rows
}

func formatTable(rows [][]string, rightAlign map[int]bool) string {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			if rightAlign[i] {
				fmt.Fprintf(&b, "%*s", widths[i], c)
			} else if i == len(r)-1 {
				b.WriteString(c)
			} else {
				fmt.Fprintf(&b, "%-*s", widths[i], c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// correlationText draws which world axes depend on which pixel axes.
func (d *Dataset) correlationText() string {
	if d.wcs == nil {
		return ""
	}
	m := d.wcs.AxisCorrelationMatrix()
	pix := d.wcs.PixelAxisNames()
	world := d.wcs.WorldAxisNames()
	w0 := 0
	for _, n := range world {
		w0 = max(w0, len(n))
	}
	colW := 4
	for _, n := range pix {
		colW = max(colW, len(n))
	}
	var b strings.Builder
	b.WriteString("Correlation between pixel and world axes:\n\n")
	fmt.Fprintf(&b, "%*s |", w0, "")
	for _, n := range pix {
		fmt.Fprintf(&b, " %-*s |", colW, n)
	}
	b.WriteString("\n" + strings.Repeat("-", w0+1) + "+" + strings.Repeat(strings.Repeat("-", colW+2)+"+", len(pix)) + "\n")
	for wi, row := range m {
		fmt.Fprintf(&b, "%*s |", w0, world[wi])
		for _, c := range row {
			mark := ""
			if c {
				mark = "x"
			}
			fmt.Fprintf(&b, " %-*s |", colW, centre(mark, colW))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// correlationRows is the correlation matrix as table rows: a header of pixel axis names
// (WCS order), then per world axis its name and an "x" under each pixel axis it depends
// on. As an HTML table it never wraps, however many axes there are.
func (d *Dataset) correlationRows() [][]string {
	pix := d.wcs.PixelAxisNames()
	rows := [][]string{append([]string{"World \\ Pixel"}, pix...)}
	world := d.wcs.WorldAxisNames()
	for wi, row := range d.wcs.AxisCorrelationMatrix() {
		r := []string{world[wi]}
		for _, c := range row {
			if c {
				r = append(r, "x")
			} else {
				r = append(r, "")
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func centre(s string, w int) string {
	pad := w - len(s)
	if pad <= 0 {
		return s
	}
	return strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
}

// String renders the dataset as dkist does.
func (d *Dataset) String() string {
	var b strings.Builder
	b.WriteString(d.headline() + "\n\n")
	nw := 0
	if d.wcs != nil {
		nw = d.wcs.WorldNDim()
	}
	if len(d.node.shape()) == 0 {
		// Every array axis has been indexed away: no axes to tabulate, nor world axes
		// that vary along them.
		b.WriteString("This Dataset is a single value: it has 0 pixel dimensions (every array axis has been indexed away).\n\n")
		fmt.Fprintf(&b, "The data are represented by a %s:\n%s", dataKind(d), d.dataDescription())
		return b.String()
	}
	fmt.Fprintf(&b, "This Dataset has %d pixel and %d world dimensions.\n\n", len(d.node.shape()), nw)
	fmt.Fprintf(&b, "The data are represented by a %s:\n%s\n\n", dataKind(d), d.dataDescription())
	b.WriteString(formatTable(d.pixelTable(), map[int]bool{0: true, 2: true}) + "\n")
	if nw > 0 {
		b.WriteString(formatTable(d.worldTable(), map[int]bool{0: true}) + "\n")
		b.WriteString(d.correlationText())
	} else if d.wcsErr != nil {
		fmt.Fprintf(&b, "No WCS: %v\n", d.wcsErr)
	}
	return strings.TrimRight(b.String(), "\n")
}

// dataDescription is the one-line description of the data: the LazyArray's (graph,
// chunks) for lazy data, the in-memory Array's shape, dtype and size once computed.
func (d *Dataset) dataDescription() string {
	if a, ok := d.node.(*arrayNode); ok {
		if len(a.a.shape) == 0 {
			return a.a.String() // a single value: numpy's repr shows it
		}
		return fmt.Sprintf("Array<shape=%s, dtype=%s, nbytes=%s>", shapeString(a.a.shape), a.a.dt, humanBytes(a.a.nbytes()))
	}
	return (&LazyArray{d.node}).String()
}

// dataHTML is dataDescription as a table.
func (d *Dataset) dataHTML() string {
	if a, ok := d.node.(*arrayNode); ok {
		return htmlTable([][]string{{"", "Array (in memory)"}, {"Bytes", humanBytes(a.a.nbytes())}, {"Shape", shapeString(a.a.shape)}, {"Type", a.a.dt.String()}})
	}
	return (&LazyArray{d.node}).html()
}

func dataKind(d *Dataset) string {
	if _, ok := d.node.(*arrayNode); ok {
		return "gokist Array (in memory)"
	}
	return "gokist LazyArray"
}

func htmlTable(rows [][]string) string {
	var b strings.Builder
	b.WriteString("<table>")
	for i, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			fmt.Fprintf(&b, "<%s>%s</%s>", tag, html.EscapeString(c), tag)
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

// MimeBundle shows the dataset as text (dkist's layout) and as HTML tables.
func (d *Dataset) MimeBundle() map[string]any {
	var h strings.Builder
	h.WriteString("<div class=\"gokist-dataset\">")
	h.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(d.headline()), "\n", "<br>") + "</p>")
	h.WriteString(d.dataHTML())
	if len(d.node.shape()) == 0 {
		h.WriteString("<p>This Dataset is a single value: it has 0 pixel dimensions (every array axis has been indexed away).</p></div>")
		return map[string]any{"text/plain": d.String(), "text/html": h.String()}
	}
	h.WriteString("<h4>Pixel dimensions</h4>" + htmlTable(d.pixelTable()))
	if d.wcs != nil && d.wcs.WorldNDim() > 0 {
		h.WriteString("<h4>World dimensions</h4>" + htmlTable(d.worldTable()))
		h.WriteString("<h4>Correlation between pixel and world axes</h4>" + htmlTable(d.correlationRows()))
	}
	h.WriteString("</div>")
	return map[string]any{"text/plain": d.String(), "text/html": h.String()}
}

// fileNames lists the dataset's file names in grid order ("" where missing).
func (d *Dataset) fileNames() obj.List {
	if d.grid == nil {
		return nil
	}
	out := make(obj.List, len(d.grid.files))
	for i, p := range d.grid.files {
		switch {
		case p != "":
			out[i] = filepath.Base(p)
		case d.grid.names != nil:
			out[i] = d.grid.names[i]
		default:
			out[i] = ""
		}
	}
	return out
}
