package lang

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gokist/obj"
)

// IPython.display's rich objects: each is a mime bundle as IPython's DisplayFormatter
// gives it (the same text/plain placeholder, text/html iframes character for character),
// shown as a cell's result or through display().

// richDisplay is HTML, Markdown, Latex, IFrame, the video embeds and Image.
type richDisplay struct {
	class  string         // "IPython.core.display.HTML", …
	bundle map[string]any // everything but text/plain
	at     bool           // text/plain is "<class at 0x…>" (IPython.lib.display's), not "<class object>"
}

var richDisplayType = &obj.Type{Name: "DisplayObject", Doc: "A rich output for the notebook (IPython.display)."}

func (r *richDisplay) Type() *obj.Type { return richDisplayType }

func (r *richDisplay) String() string {
	if r.at {
		return fmt.Sprintf("<%s at %p>", r.class, r)
	}
	return "<" + r.class + " object>"
}

func (r *richDisplay) MimeBundle() map[string]any {
	out := map[string]any{"text/plain": r.String()}
	for k, v := range r.bundle {
		out[k] = v
	}
	return out
}

// iframe is IPython.lib.display.IFrame's HTML; extra keyword arguments become the
// src's query (sorted: a cell's keywords reach gokist without their order).
func iframe(src string, width, height any, kw map[string]any) string {
	if len(kw) > 0 {
		keys := make([]string, 0, len(kw))
		for k := range kw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		q := make([]string, len(keys))
		for i, k := range keys {
			q[i] = url.QueryEscape(k) + "=" + url.QueryEscape(Str(kw[k]))
		}
		src += "?" + strings.Join(q, "&")
	}
	return fmt.Sprintf("\n        <iframe\n            width=\"%s\"\n            height=\"%s\"\n            src=\"%s\"\n            frameborder=\"0\"\n            allowfullscreen\n            \n        ></iframe>\n        ", Str(width), Str(height), src)
}

// textDisplay makes HTML(data), Markdown(data), Latex(data).
func textDisplay(name, mime string) *obj.Func {
	params := []obj.Param{{Name: "data", Default: "None"}, {Name: "url", Default: "None"}, {Name: "filename", Default: "None"}}
	return fn(name, name+"(data=None, url=None, filename=None)", "Show text as "+mime+".", params, func(env *obj.Env, args obj.Args) (any, error) {
		v, err := args.Bind(name, params)
		if err != nil {
			return nil, err
		}
		data := ""
		switch {
		case v[2] != nil:
			b, err := os.ReadFile(obj.ExpandHome(Str(v[2])))
			if err != nil {
				return nil, obj.Errorf(obj.FileNotFoundError, "[Errno 2] No such file or directory: %s", quote(Str(v[2])))
			}
			data = string(b)
		case v[1] != nil:
			return nil, obj.Errorf(obj.ValueError, "%s(url=…) fetches the page, and gokist has no network access", name).WithHint("pass the text itself, or an IFrame for a page")
		case v[0] != nil:
			data = Str(v[0])
		}
		return &richDisplay{class: "IPython.core.display." + name, bundle: map[string]any{mime: data}}, nil
	})
}

// embed makes IFrame(src, width, height), VimeoVideo(id) and YouTubeVideo(id).
func embed(name, sig, prefix string, width, height any) *obj.Func {
	return fn(name, sig, "Embed "+strings.TrimSuffix(prefix, "/")+" in an iframe.", nil, func(env *obj.Env, args obj.Args) (any, error) {
		kw := map[string]any{}
		for k, v := range args.Kw {
			kw[k] = v
		}
		take := func(i int, key string, dflt any) any {
			if i < len(args.Pos) {
				return args.Pos[i]
			}
			if v, ok := kw[key]; ok {
				delete(kw, key)
				return v
			}
			return dflt
		}
		first := "id"
		if prefix == "" {
			first = "src"
		}
		src := take(0, first, nil)
		w, h := take(1, "width", width), take(2, "height", height)
		if src == nil || (prefix == "" && (w == nil || h == nil)) {
			return nil, obj.Errorf(obj.TypeError, "%s() missing required arguments; it is %s", name, sig)
		}
		return &richDisplay{class: "IPython.lib.display." + name, at: true, bundle: map[string]any{"text/html": iframe(prefix+Str(src), w, h, kw)}}, nil
	})
}

// imageDisplay is Image(filename=…) embedded, or Image(url=…) linked.
func imageDisplay() *obj.Func {
	params := []obj.Param{{Name: "data", Default: "None"}, {Name: "url", Default: "None"}, {Name: "filename", Default: "None"}, {Name: "format", Default: "None"}, {Name: "embed", Default: "None"}, {Name: "width", Default: "None"}, {Name: "height", Default: "None"}}
	return fn("Image", "Image(data=None, url=None, filename=None, width=None, height=None)", "Show a PNG or JPEG file, or link an image by URL.", params, func(env *obj.Env, args obj.Args) (any, error) {
		v, err := args.Bind("Image", params)
		if err != nil {
			return nil, err
		}
		if v[0] != nil && v[2] == nil && v[1] == nil {
			v[2] = v[0] // Image("plot.png") is a file name, as IPython guesses for short strings
		}
		if v[1] != nil && v[2] == nil {
			attrs := ""
			if v[5] != nil {
				attrs += fmt.Sprintf(" width=\"%s\"", Str(v[5]))
			}
			if v[6] != nil {
				attrs += fmt.Sprintf(" height=\"%s\"", Str(v[6]))
			}
			return &richDisplay{class: "IPython.core.display.Image", bundle: map[string]any{"text/html": fmt.Sprintf("<img src=\"%s\"%s/>", Str(v[1]), attrs)}}, nil
		}
		name := obj.ExpandHome(Str(v[2]))
		mime := map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}[strings.ToLower(filepath.Ext(name))]
		if mime == "" {
			return nil, obj.Errorf(obj.ValueError, "Cannot embed the '%s' image format", strings.TrimPrefix(filepath.Ext(name), "."))
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, obj.Errorf(obj.FileNotFoundError, "[Errno 2] No such file or directory: %s", quote(Str(v[2])))
		}
		// IPython's base64 ends with a newline, as binascii.b2a_base64 writes it.
		return &richDisplay{class: "IPython.core.display.Image", bundle: map[string]any{mime: base64.StdEncoding.EncodeToString(b) + "\n"}}, nil
	})
}

// ipythonDisplayObjects are the rich-object constructors of IPython.display.
func ipythonDisplayObjects() map[string]any {
	return map[string]any{
		"HTML": textDisplay("HTML", "text/html"), "Markdown": textDisplay("Markdown", "text/markdown"), "Latex": textDisplay("Latex", "text/latex"),
		"IFrame":       embed("IFrame", "IFrame(src, width, height, **kwargs)", "", nil, nil),
		"VimeoVideo":   embed("VimeoVideo", "VimeoVideo(id, width=400, height=300, **kwargs)", "https://player.vimeo.com/video/", 400, 300),
		"YouTubeVideo": embed("YouTubeVideo", "YouTubeVideo(id, width=400, height=300, **kwargs)", "https://www.youtube.com/embed/", 400, 300),
		"Image":        imageDisplay(),
	}
}
