package dashboard

import (
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
)

// LinkEnv names the environment variable that shapes client.dashboard_link, as dask's
// distributed.dashboard.link setting does: a template in which {host}, {port} and
// {scheme} are the server's and any other {NAME} is that environment variable, e.g.
// "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status" on a JupyterHub with
// jupyter-server-proxy. The token is added to the link's query.
const LinkEnv = "GOKIST_DASHBOARD_LINK"

// defaultLink is the link without LinkEnv: the server's own address.
const defaultLink = "{scheme}://{host}:{port}/status"

var placeholder = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// formatLink fills tmpl (defaultLink when empty) for a server at host:port and adds
// the token.
func formatLink(tmpl, host, port, token string) (string, error) {
	if tmpl == "" {
		tmpl = defaultLink
	}
	if strings.Contains(host, ":") { // an IPv6 address
		host = "[" + host + "]"
	}
	fixed := map[string]string{"host": host, "port": port, "scheme": "http"}
	var missing []string
	link := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := fixed[name]; ok {
			return v
		}
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		missing = append(missing, m)
		return m
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("%s=%q names %s, neither {host}, {port}, {scheme} nor a set environment variable", LinkEnv, tmpl, strings.Join(missing, ", "))
	}
	sep := "?"
	if strings.Contains(link, "?") {
		sep = "&"
	}
	return link + sep + "token=" + token, nil
}

// linkHost is the host a browser reaches the listener at: the bound address, or this
// machine's name when bound to every interface.
func linkHost(a net.Addr) string {
	ip := a.(*net.TCPAddr).IP
	if ip.IsUnspecified() {
		if h, err := os.Hostname(); err == nil {
			return h
		}
	}
	return ip.String()
}
