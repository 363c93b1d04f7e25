package dkistnet

import (
	"sync"

	"gokist/obj"
)

// Conf is dkist.net.conf: the endpoints dkist's network calls use.
type Conf struct {
	mu       sync.Mutex
	settings map[string]string
}

// confItems are dkist 1.0's dkist.net configuration items and their defaults, in the
// order dkist declares them (default_page_size is an int and kept apart).
var confItems = []struct{ name, value, doc string }{
	{"dataset_endpoint", "https://api.dkistdc.nso.edu/datasets/", "Base URL for dataset search."},
	{"download_endpoint", "https://api.dkistdc.nso.edu/download", "Base URL for metadata streamer"},
	{"dataset_search_path", "v1", "Path for the dataset search endpoint"},
	{"dataset_search_values_path", "v1/searchValues", "Path for querying known values for dataset search parameters."},
	{"dataset_config_path", "v1/config", "Path for dataset config endpoint."},
	{"dataset_path", "/{bucket}/{primaryProposalId}/{datasetId}", "The path template to a dataset on the main endpoint."},
}

// Default is the process's configuration, shared by every session as dkist's module
// state is shared by a Python process's code.
var Default = NewConf()

// NewConf is a configuration with dkist's defaults.
func NewConf() *Conf {
	c := &Conf{settings: map[string]string{}}
	for _, it := range confItems {
		c.settings[it.name] = it.value
	}
	return c
}

// Get is one item's value.
func (c *Conf) Get(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.settings[name]
}

// SetDefault sets an item of the process's configuration (dkist.net.conf.NAME = v).
func SetDefault(name, v string) { Default.set(name, v) }

func (c *Conf) set(name, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settings[name] = v
}

var confType = &obj.Type{Name: "Conf", Doc: "Configuration Parameters for the `dkist.net` Package."}

func init() {
	for _, it := range confItems {
		confType.Members = append(confType.Members, &obj.Member{Name: it.name, Signature: it.name, Doc: it.doc,
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Conf).Get(it.name), nil },
			Set: func(_ *obj.Env, r any, v any) error {
				s, ok := v.(string)
				if !ok {
					return obj.Errorf(obj.TypeError, "dkist.net.conf.%s is a string (a URL or a path), not %s", it.name, obj.TypeName(v))
				}
				r.(*Conf).set(it.name, s)
				return nil
			}})
	}
	confType.Members = append(confType.Members, &obj.Member{Name: "default_page_size", Signature: "default_page_size",
		Doc: "Default number of datasets to return in search results.", Get: func(*obj.Env, any) (any, error) { return 300, nil }})
	obj.RegisterModule("dkist.net", func(obj.ModuleScope) (any, error) { return Module(), nil })
}

// Type returns the member table.
func (c *Conf) Type() *obj.Type { return confType }

// MimeBundle shows the object as Python does.
func (c *Conf) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<dkist.net.Conf object>"}
}

// Module is dkist.net as a cell imports it (and reaches it as dkist.net): the
// configuration only; searching the archive is not here.
func Module() *obj.Module {
	return obj.NewModule("dkist.net", "DKIST's network configuration: conf.download_endpoint and the other data-centre URLs that ds.files.quality_report() and preview_movie() use. Searching the archive (Fido, DKISTClient) is not available in gokist.", map[string]any{"conf": Default})
}
