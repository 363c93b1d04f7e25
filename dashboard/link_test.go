package dashboard

import (
	"strings"
	"testing"

	"gokist/runtime/distributed"
)

// GOKIST_DASHBOARD_LINK shapes the link as dask's distributed.dashboard.link does:
// {host}, {port}, {scheme} and environment variables, then the token.
func TestLinkTemplate(t *testing.T) {
	t.Setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
	for _, c := range []struct{ tmpl, host, want string }{
		{"", "127.0.0.1", "http://127.0.0.1:8787/status?token=T"},
		{"", "::1", "http://[::1]:8787/status?token=T"},
		{"{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status", "127.0.0.1", "/user/ada/proxy/8787/status?token=T"},
		{"https://hub.example.org{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status?x=1", "127.0.0.1", "https://hub.example.org/user/ada/proxy/8787/status?x=1&token=T"},
	} {
		got, err := formatLink(c.tmpl, c.host, "8787", "T")
		if err != nil || got != c.want {
			t.Errorf("%q on %s: %q, %v; want %q", c.tmpl, c.host, got, err, c.want)
		}
	}
	_, err := formatLink("{NO_SUCH_VARIABLE_X}proxy/{port}", "127.0.0.1", "8787", "T")
	if err == nil || !strings.Contains(err.Error(), "GOKIST_DASHBOARD_LINK") || !strings.Contains(err.Error(), "{NO_SUCH_VARIABLE_X}") {
		t.Errorf("an unknown name: %v", err)
	}

	// Through the client: the link follows the variable; a bad one is an OSError
	// that names it.
	t.Setenv(LinkEnv, "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status")
	c := distributed.NewClient(1, 1, 1<<30)
	link, err := c.DashboardLink()
	if err != nil || !strings.HasPrefix(link, "/user/ada/proxy/") || !strings.Contains(link, "/status?token=") {
		t.Errorf("link %q, %v", link, err)
	}
	_ = c.CloseDashboard()
	t.Setenv(LinkEnv, "{NO_SUCH_VARIABLE_X}")
	if _, err := distributed.NewClient(1, 1, 1<<30).DashboardLink(); err == nil || !strings.Contains(err.Error(), "OSError") || !strings.Contains(err.Error(), "{NO_SUCH_VARIABLE_X}") {
		t.Errorf("a bad template: %v", err)
	}
}
