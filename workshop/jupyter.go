package workshop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gokist/internal/testproc"
)

// Python is the Debian interpreter that has jupyter_server and the classic notebook.
const Python = "/usr/bin/python3"

// JupyterEnv is a private Jupyter environment: its data, config and runtime directories
// and HOME live under Dir, so that nothing is read from or written to the user's own,
// and a gokist kernelspec is installed in its data directory.
type JupyterEnv struct {
	Dir  string   // root of the environment's directories
	Home string   // HOME of the server and its kernels (where the tutorials find the sample)
	Env  []string // KEY=VALUE entries for the server and `gokist install`
}

// NewJupyterEnv makes the directories under dir and installs the kernelspec of the gokist
// binary at bin with the extra `gokist install` flags (e.g. --memory-limit 2GB).
func NewJupyterEnv(dir, home, bin string, installFlags ...string) (*JupyterEnv, error) {
	j := &JupyterEnv{Dir: dir, Home: home}
	vars := map[string]string{"JUPYTER_DATA_DIR": "data", "JUPYTER_CONFIG_DIR": "config", "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython"}
	for _, k := range []string{"JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"} {
		d := filepath.Join(dir, vars[k])
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		j.Env = append(j.Env, k+"="+d)
	}
	// JUPYTER_PATH holds only the private data dir: a gokist kernelspec installed for the
	// user or system-wide must not stand in for the one under test.
	j.Env = append(j.Env, "JUPYTER_PATH="+filepath.Join(dir, "data"), "HOME="+home, "JUPYTER_PLATFORM_DIRS=1")
	args := append([]string{"install", "--user"}, installFlags...)
	if _, err := testproc.Output(testproc.Cmd{Name: bin, Args: args, Env: j.Env, Timeout: time.Minute}); err != nil {
		return nil, err
	}
	return j, nil
}

// KernelSpecDir is where the environment's gokist kernelspec is.
func (j *JupyterEnv) KernelSpecDir() string { return filepath.Join(j.Dir, "data", "kernels", "gokist") }

// Server is a Jupyter server running for a build or a test on a free loopback port.
type Server struct {
	URL   string // http://127.0.0.1:PORT
	Token string
	proc  *testproc.Proc
}

// Server kinds: jupyter_server (what mystmd talks to) and the classic Notebook 6.4.
const (
	JupyterServer   = "jupyter_server"
	ClassicNotebook = "notebook"
)

// StartServer starts a server of kind with root as its notebook directory and waits
// until it lists the gokist kernelspec. timeout bounds the server's whole life.
func (j *JupyterEnv) StartServer(kind, root string, timeout time.Duration) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), Token: newToken()}
	app := "ServerApp"
	dirFlag := "--ServerApp.root_dir=" + root
	if kind == ClassicNotebook {
		app, dirFlag = "NotebookApp", "--NotebookApp.notebook_dir="+root
	}
	args := []string{"-m", kind, "--allow-root", "--no-browser", "--ip=127.0.0.1",
		"--port=" + strconv.Itoa(port), "--port-retries=0", dirFlag,
		"--" + app + ".token=" + s.Token}
	s.proc, err = testproc.StartErr(testproc.Cmd{Name: Python, Args: args, Dir: root, Env: j.Env, Timeout: timeout})
	if err != nil {
		return nil, err
	}
	if err := s.waitReady(time.Minute); err != nil {
		out := s.proc.Output()
		s.Stop()
		return nil, fmt.Errorf("%s did not come up: %v\n--- its output ---\n%s", kind, err, out)
	}
	return s, nil
}

// waitReady polls the kernelspec list until it names gokist.
func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.proc.Done():
			return fmt.Errorf("the server exited")
		default:
		}
		var specs struct{ Kernelspecs map[string]any }
		if last = s.GetJSON("/api/kernelspecs", &specs); last == nil {
			if _, ok := specs.Kernelspecs["gokist"]; ok {
				return nil
			}
			last = fmt.Errorf("the server lists no gokist kernelspec (it has %d others)", len(specs.Kernelspecs))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return last
}

// GetJSON reads a server API path into v.
func (s *Server) GetJSON(path string, v any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "token "+s.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Output is what the server printed so far (its log).
func (s *Server) Output() string { return s.proc.Output() }

// Stop ends the server and every kernel it started.
func (s *Server) Stop() { s.proc.Stop() }

// freePort asks the kernel for a free loopback TCP port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
