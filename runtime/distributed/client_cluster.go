package distributed

import (
	"fmt"
	"gokist/runtime/memlimit"
	"html"
	"strings"

	"gokist/obj"
	"gokist/runtime/cluster"
	"gokist/runtime/lazy"
	"gokist/runtime/lazy/wire"
)

// A Client given a scheduler address, a scheduler file or a LocalCluster runs its
// computes' chunk tasks on that dask cluster (runtime/cluster); Client() without one
// keeps the in-process pool. The cluster's part of a Client is its clusterLink.

// clusterLink is a Client's dask cluster: the connection, and whether closing the
// Client closes it (a connection the Client made) or not (a LocalCluster's, which
// cluster.close() ends).
type clusterLink struct {
	conn  *cluster.Client
	owned bool
}

// RemoteExecutor is the cluster the computes run on, or nil in process.
func (c *Client) RemoteExecutor() lazy.Remote {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.remote.conn == nil {
		return nil
	}
	return wire.On(c.remote.conn)
}

// cluster is the client's cluster connection, or nil.
func (c *Client) Cluster() *cluster.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote.conn
}

// newClusterClient makes a Client that computes on conn.
func NewClusterClient(conn *cluster.Client, owned bool) *Client {
	info := conn.LastInfo()
	c := NewClient(max(1, len(info.Workers)), 1, 0)
	if len(info.Workers) > 0 {
		c.ThreadsPerWorker = max(1, info.Threads()/len(info.Workers))
	}
	c.remote = clusterLink{conn: conn, owned: owned}
	return c
}

// connectClient is Client(address) or Client(scheduler_file=...) or Client(cluster).
func ConnectClient(address, schedulerFile any) (*Client, error) {
	if lc, ok := address.(*LocalCluster); ok {
		conn := lc.Connection()
		if conn == nil {
			return nil, obj.Errorf(obj.ValueError, "Client(): the LocalCluster at %s is closed", lc.Address)
		}
		return NewClusterClient(conn, false), nil
	}
	addr, ok := address.(string)
	if address != nil && !ok {
		return nil, obj.Errorf(obj.TypeError, "Client(): address must be a scheduler address string such as 'tcp://10.0.0.5:8786' or a LocalCluster, not %s", obj.TypeName(address))
	}
	file, ok := schedulerFile.(string)
	if schedulerFile != nil && !ok {
		return nil, obj.Errorf(obj.TypeError, "Client(): scheduler_file must be a path string, not %s", obj.TypeName(schedulerFile))
	}
	if addr != "" && file != "" {
		return nil, obj.Errorf(obj.ValueError, "Client(): give a scheduler address or a scheduler_file, not both")
	}
	if addr != "" && !strings.Contains(addr, "://") {
		addr = "tcp://" + addr // as dask does for 'host:port'
	}
	conn, err := cluster.Connect(addr, obj.ExpandHome(file), cluster.Options{})
	if err != nil {
		return nil, err
	}
	return NewClusterClient(conn, true), nil
}

// replaceSessionClient makes c the session's client. The client it replaces is closed
// when it computes on a cluster, as client.close() would (its bridge process ends; a
// LocalCluster it used is left to cluster.close()): the session computes through one
// client, and the replaced one's connection would otherwise stay open until the kernel
// exits.
func replaceSessionClient(env *obj.Env, c *Client) {
	if env == nil || env.Services == nil {
		return
	}
	old, _ := env.Services["client"].(*Client)
	env.Services["client"] = c
	if old != nil && old != c {
		old.CloseCluster()
	}
}

// closeCluster detaches the client from its cluster (closing the connection it made):
// later computes run in process.
func (c *Client) CloseCluster() {
	c.mu.Lock()
	link := c.remote
	c.remote = clusterLink{}
	c.mu.Unlock()
	if link.conn != nil && link.owned {
		link.conn.Close()
	}
}

// clusterString is dask's Client repr for a cluster client.
func (c *Client) clusterString(conn *cluster.Client) string {
	info := conn.LastInfo()
	return fmt.Sprintf("<Client: '%s' processes=%d threads=%d, memory=%s>", info.Scheduler, len(info.Workers), info.Threads(), memlimit.HumanBytes(info.Memory()))
}

// clusterHTML is the cluster's table: its scheduler and each worker.
func clusterHTML(info cluster.Info) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<div><h3>Client</h3><table><tr><th>Scheduler</th><td>%s</td></tr><tr><th>Workers</th><td>%d</td></tr><tr><th>Total threads</th><td>%d</td></tr><tr><th>Total memory</th><td>%s</td></tr></table>",
		html.EscapeString(info.Scheduler), len(info.Workers), info.Threads(), html.EscapeString(memlimit.HumanBytes(info.Memory())))
	b.WriteString("<table><tr><th>Worker</th><th>Name</th><th>Threads</th><th>Memory</th><th>Process</th></tr>")
	for _, w := range info.Workers {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%d</td></tr>", html.EscapeString(w.Address), html.EscapeString(w.Name), w.Threads, html.EscapeString(memlimit.HumanBytes(w.Memory)), w.Pid)
	}
	b.WriteString("</table></div>")
	return b.String()
}
