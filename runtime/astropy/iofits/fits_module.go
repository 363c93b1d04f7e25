package iofits

import (
	"gokist/obj"
)

var hduListType = &obj.Type{Name: "HDUList", Doc: "The HDUs of a FITS file opened read-only (astropy.io.fits.HDUList): hdul[0], hdul['EXTNAME'], len, info(), close(); a with block closes it."}

var fitsHDUType = &obj.Type{Name: "HDU", Doc: "One header-data unit of a FITS file: header, data (images; compressed ones decompressed), name, ver, shape."}

func init() {
	list := func(r any) *HDUList { return r.(*HDUList) }
	hduListType.Members = []*obj.Member{
		{Name: "info", Signature: "info()", Doc: "Print a summary of the HDUs, as astropy does.", Call: func(env *obj.Env, r any, _ obj.Args) (any, error) {
			if env != nil && env.Out != nil {
				env.Out.Stream("stdout", list(r).info())
			}
			return nil, nil
		}},
		{Name: "close", Signature: "close()", Doc: "Close the file (loaded data stay usable).", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			return nil, list(r).close()
		}},
		{Name: "filename", Signature: "filename()", Doc: "The file's path.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return list(r).path, nil }},
		{Name: "index_of", Signature: "index_of(key)", Doc: "The index of an HDU by number, EXTNAME or (EXTNAME, EXTVER).", Params: []obj.Param{{Name: "key"}},
			Call: func(_ *obj.Env, r any, args obj.Args) (any, error) {
				v, err := args.Bind("index_of", []obj.Param{{Name: "key"}})
				if err != nil {
					return nil, err
				}
				return list(r).index(v[0])
			}},
		{Name: "__len__", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return len(list(r).hdus), nil }},
	}
	hdu := func(r any) *FITSHDU { return r.(*FITSHDU) }
	fitsHDUType.Members = []*obj.Member{
		{Name: "header", Doc: "The HDU's header (for a compressed image, the image's own).", Get: func(_ *obj.Env, r any) (any, error) { return hdu(r).header, nil }},
		{Name: "data", Doc: "The image as an array (read on first use), or None.", Get: func(env *obj.Env, r any) (any, error) { return hdu(r).loadData(env) }},
		{Name: "name", Doc: "EXTNAME, or PRIMARY / COMPRESSED_IMAGE.", Get: func(_ *obj.Env, r any) (any, error) { return hdu(r).Name(), nil }},
		{Name: "ver", Doc: "EXTVER (1 by default).", Get: func(_ *obj.Env, r any) (any, error) { return hdu(r).ver(), nil }},
		{Name: "shape", Doc: "The image's shape in numpy order.", Get: func(_ *obj.Env, r any) (any, error) { return obj.ShapeTuple(hdu(r).Shape()), nil }},
		{Name: "is_image", Doc: "Whether the HDU holds an image.", Get: func(_ *obj.Env, r any) (any, error) { return hdu(r).isImage(), nil }},
	}
}

// fitsOpenParams are the parameters of fits.open.
var fitsOpenParams = []obj.Param{{Name: "name"}, {Name: "mode", Default: "'readonly'"}}

// fitsOpen is fits.open(name, mode='readonly').
func fitsOpen(_ *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("open", fitsOpenParams)
	if err != nil {
		return nil, err
	}
	path, ok := v[0].(string)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "fits.open() takes a path string, not %s", obj.TypeName(v[0]))
	}
	if m, _ := v[1].(string); v[1] != nil && m != "readonly" && m != "denywrite" {
		return nil, obj.Errorf(obj.ValueError, "gokist opens FITS files read-only; mode '%s' is not available (use 'readonly')", m)
	}
	return openHDUList(path)
}

// extHDU picks the HDU of getheader/getdata's ext (a number, EXTNAME or a tuple);
// nil means def.
func extHDU(l *HDUList, ext any, def int) (*FITSHDU, error) {
	if ext == nil {
		return l.hdus[def], nil
	}
	i, err := l.index(ext)
	if err != nil {
		return nil, err
	}
	return l.hdus[i], nil
}

var getParams = []obj.Param{{Name: "filename"}, {Name: "ext", Default: "None"}, {Name: "header", Default: "False"}}

// fitsGet is fits.getheader(filename, ext=0) and fits.getdata(filename, ext=None,
// header=False): the file is closed again before they return.
func fitsGet(name string, data bool) func(env *obj.Env, args obj.Args) (any, error) {
	return func(env *obj.Env, args obj.Args) (any, error) {
		params := getParams
		if !data {
			params = params[:2]
		}
		v, err := args.Bind(name, params)
		if err != nil {
			return nil, err
		}
		path, ok := v[0].(string)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "fits.%s() takes a path string, not %s", name, obj.TypeName(v[0]))
		}
		l, err := openHDUList(path)
		if err != nil {
			return nil, err
		}
		defer l.close()
		if !data {
			h, err := extHDU(l, v[1], 0)
			if err != nil {
				return nil, err
			}
			return h.header, nil
		}
		return getData(env, l, v[1], v[2] == true)
	}
}

// getData is fits.getdata: the given HDU's data, or the primary's, or when the
// primary has none the first extension's; an HDU without data is astropy's IndexError.
func getData(env *obj.Env, l *HDUList, ext any, withHeader bool) (any, error) {
	h, err := extHDU(l, ext, 0)
	if err != nil {
		return nil, err
	}
	d, err := h.loadData(env)
	if err != nil {
		return nil, err
	}
	if d == nil && ext == nil && len(l.hdus) > 1 {
		h = l.hdus[1]
		if d, err = h.loadData(env); err != nil {
			return nil, err
		}
	}
	if d == nil {
		return nil, obj.Errorf(obj.IndexError, "No data in HDU #%d.", h.raw.Index)
	}
	if withHeader {
		return obj.Tuple{d, h.header}, nil
	}
	return d, nil
}

// headerClass is fits.Header: Header() is an empty header, Header.fromtextfile(path)
// reads one.
type headerClass struct{}

var headerClassType = &obj.Type{Name: "type", Doc: fitsHeaderType.Doc, Signature: "Header()"}

func init() {
	headerClassType.Members = []*obj.Member{
		{Name: "fromtextfile", Signature: "fromtextfile(fileobj)", Doc: "A header from a text file of cards, one per line.", Params: []obj.Param{{Name: "fileobj"}},
			Call: func(_ *obj.Env, _ any, args obj.Args) (any, error) {
				v, err := args.Bind("fromtextfile", []obj.Param{{Name: "fileobj"}})
				if err != nil {
					return nil, err
				}
				p, ok := v[0].(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "fromtextfile() takes a path string, not %s", obj.TypeName(v[0]))
				}
				return readHeaderText(p)
			}},
	}
}

func (headerClass) Type() *obj.Type { return headerClassType }

// Call is Header(): an empty header.
func (headerClass) Call(_ *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos)+len(args.Kw) > 0 {
		return nil, obj.Errorf("NotImplementedError", "gokist's fits.Header is read-only: Header() makes an empty one; read headers with fits.getheader or Header.fromtextfile")
	}
	return newFITSHeader(fitsNewHeader(), []string{}), nil
}

func (headerClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class 'astropy.io.fits.header.Header'>"}
}

func init() {
	build := func(obj.ModuleScope) (any, error) {
		return obj.NewModule("astropy.io.fits", "Reading FITS files (astropy.io.fits), read-only: open, getheader, getdata, Header.", map[string]any{
			"open":      &obj.Func{Name: "open", Signature: "open(name, mode='readonly')", Params: fitsOpenParams, Doc: "Open a FITS file read-only: an HDUList (use it in a with block, or close() it).", Call: fitsOpen},
			"getheader": &obj.Func{Name: "getheader", Signature: "getheader(filename, ext=0)", Params: getParams[:2], Doc: "The header of one HDU of a FITS file.", Call: fitsGet("getheader", false)},
			"getdata":   &obj.Func{Name: "getdata", Signature: "getdata(filename, ext=None, header=False)", Params: getParams, Doc: "The data of one HDU of a FITS file (the first with data by default); with header=True, (data, header).", Call: fitsGet("getdata", true)},
			"Header":    headerClass{},
		}), nil
	}
	obj.RegisterModule("astropy.io.fits", build)
	obj.RegisterModule("astropy.io", func(s obj.ModuleScope) (any, error) {
		f, err := s.Import("astropy.io.fits")
		if err != nil {
			return nil, err
		}
		return obj.NewModule("astropy.io", "Input and output (astropy.io).", map[string]any{"fits": f}), nil
	})
}
