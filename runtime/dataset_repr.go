package runtime

// This file renders a Dataset as dkist does: the text repr (frames, directory, pixel
// and world dimensions, correlation matrix) and its HTML form.

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/memlimit"
	"gokist/runtime/numpy"
	"html"
	"strings"
)

func (d *Dataset) headline() string {
	inst := d.Info.Instrument
	if inst == "" {
		inst = "DKIST"
	}
	id := d.Info.DatasetID
	if id != "" {
		id = " " + id
	}
	s := fmt.Sprintf("This %s Dataset%s consists of %d frames.\nFiles are stored in %s", inst, id, d.FrameCount(), d.Info.Dir)
	if d.Info.Missing > 0 {
		s += fmt.Sprintf("\n(%d of the dataset's %d files are missing; their values compute as NaN)", d.Info.Missing, d.Info.NFiles)
	}
	if _, inMemory := d.Node.(*lazy.ArrayNode); inMemory {
		s += "\nThe data are in memory (computed)."
	}
	return s
}

// pixelTable lists the array axes with names and sizes.
func (d *Dataset) pixelTable() [][]string {
	rows := [][]string{{"Array Dim", "Axis Name", "Data size", "Bounds"}}
	for i, n := range d.Node.Shape() {
		rows = append(rows, []string{fmt.Sprint(i), d.AxisNames[i], fmt.Sprint(n), "None"})
	}
	return rows
}

// worldTable lists the world axes with names, physical types and units.
func (d *Dataset) worldTable() [][]string {
	rows := [][]string{{"World Dim", "Axis Name", "Physical Type", "Units"}}
	if d.WorldCoords != nil {
		names, types, units := d.WorldCoords.WorldAxisNames(), d.WorldCoords.WorldAxisPhysicalTypes(), d.WorldCoords.WorldAxisUnits()
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
	if d.WorldCoords == nil {
		return ""
	}
	m := d.WorldCoords.AxisCorrelationMatrix()
	pix := d.WorldCoords.PixelAxisNames()
	world := d.WorldCoords.WorldAxisNames()
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
	pix := d.WorldCoords.PixelAxisNames()
	rows := [][]string{append([]string{"World \\ Pixel"}, pix...)}
	world := d.WorldCoords.WorldAxisNames()
	for wi, row := range d.WorldCoords.AxisCorrelationMatrix() {
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
	if d.WorldCoords != nil {
		nw = d.WorldCoords.WorldNDim()
	}
	if len(d.Node.Shape()) == 0 {
		// Every array axis has been indexed away: no axes to tabulate, nor world axes
		// that vary along them.
		b.WriteString("This Dataset is a single value: it has 0 pixel dimensions (every array axis has been indexed away).\n\n")
		fmt.Fprintf(&b, "The data are represented by a %s:\n%s", dataKind(d), d.dataDescription())
		return b.String()
	}
	fmt.Fprintf(&b, "This Dataset has %d pixel and %d world dimensions.\n\n", len(d.Node.Shape()), nw)
	fmt.Fprintf(&b, "The data are represented by a %s:\n%s\n\n", dataKind(d), d.dataDescription())
	b.WriteString(formatTable(d.pixelTable(), map[int]bool{0: true, 2: true}) + "\n")
	if nw > 0 {
		b.WriteString(formatTable(d.worldTable(), map[int]bool{0: true}) + "\n")
		b.WriteString(d.correlationText())
	} else if d.WorldCoordsErr != nil {
		fmt.Fprintf(&b, "No WCS: %v\n", d.WorldCoordsErr)
	}
	return strings.TrimRight(b.String(), "\n")
}

// dataDescription is the one-line description of the data: the LazyArray's (graph,
// chunks) for lazy data, the in-memory Array's shape, dtype and size once computed.
func (d *Dataset) dataDescription() string {
	if a, ok := d.Node.(*lazy.ArrayNode); ok {
		if len(a.A.Dims) == 0 {
			return ((*numpy.NDArray)(a.A)).String() // a single value: numpy's repr shows it
		}
		return fmt.Sprintf("Array<shape=%s, dtype=%s, nbytes=%s>", lazy.ShapeString(a.A.Dims), a.A.DT, memlimit.HumanBytes(a.A.Nbytes()))
	}
	return (&numpy.LazyArray{Node: d.Node}).String()
}

// dataHTML is dataDescription as a table.
func (d *Dataset) dataHTML() string {
	if a, ok := d.Node.(*lazy.ArrayNode); ok {
		return htmlTable([][]string{{"", "Array (in memory)"}, {"Bytes", memlimit.HumanBytes(a.A.Nbytes())}, {"Shape", lazy.ShapeString(a.A.Dims)}, {"Type", a.A.DT.String()}})
	}
	return (&numpy.LazyArray{Node: d.Node}).HTML()
}

func dataKind(d *Dataset) string {
	if _, ok := d.Node.(*lazy.ArrayNode); ok {
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
	if len(d.Node.Shape()) == 0 {
		h.WriteString("<p>This Dataset is a single value: it has 0 pixel dimensions (every array axis has been indexed away).</p></div>")
		return map[string]any{"text/plain": d.String(), "text/html": h.String()}
	}
	h.WriteString("<h4>Pixel dimensions</h4>" + htmlTable(d.pixelTable()))
	if d.WorldCoords != nil && d.WorldCoords.WorldNDim() > 0 {
		h.WriteString("<h4>World dimensions</h4>" + htmlTable(d.worldTable()))
		h.WriteString("<h4>Correlation between pixel and world axes</h4>" + htmlTable(d.correlationRows()))
	}
	h.WriteString("</div>")
	return map[string]any{"text/plain": d.String(), "text/html": h.String()}
}
