// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi engine.
//
// Upstream's host lives in its own Go module (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// which the module proxy reachable from this project's machines does not serve, so this is our own small
// implementation of the LanguageRuntime gRPC service. It covers what `pulumi preview/up/refresh/destroy` and
// `pulumi about` need: it runs `@pulumi/pulumi/cmd/run` (resolved from the program's directory) under the `node`
// found on PATH. Dependency installation, code generation, packing and policy packs are not implemented: the
// project's programs resolve @pulumi/pulumi from an already installed node_modules.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The Node SDK exits with this code after it has already shown the user an actionable message; the engine then
// must bail without adding an error of its own.
const exitCodeAlreadyReported = 32

func main() {
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	// Accepted for compatibility with the engine's plugin launcher; tracing is not supported.
	flag.String("tracing", "", "ignored")
	runtimeName := flag.String("runtime", "nodejs", "only nodejs is supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	if *runtimeName != "nodejs" {
		cmdutil.Exit(fmt.Errorf("unsupported runtime %q: this host only runs nodejs", *runtimeName))
	}

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()

	// Exit when the engine goes away, so an interrupted `pulumi up` leaves no orphaned host behind.
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("starting the health check against the engine at %s: %w", engineAddress, err))
		}
	}

	host := newHost(engineAddress)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("starting the nodejs language host: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("nodejs language host stopped serving: %w", err))
	}
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string

	mu      sync.Mutex
	running map[*exec.Cmd]struct{}
}

func newHost(engineAddress string) *nodeHost {
	return &nodeHost{engineAddress: engineAddress, running: map[*exec.Cmd]struct{}{}}
}

func (h *nodeHost) Handshake(
	context.Context, *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// Resource plugins are loaded on demand when the program registers its default providers (the Node SDK sends the
// version from each provider package's package.json), so no plugin has to be announced up front.
func (h *nodeHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *nodeHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *nodeHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Dependencies are installed by the project's own npm install; `pulumi install` has nothing to add.
func (h *nodeHost) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

func (h *nodeHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("looking for node on PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// Cancel interrupts running programs so the Node SDK can flush its pending registrations before exiting.
func (h *nodeHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
	return &emptypb.Empty{}, nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "running the program: the engine sent no program info"}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "running the program: node is not on PATH; install Node.js 20"}, nil
	}
	runScript, err := resolveFrom(ctx, node, info.GetProgramDirectory(), "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(
			"resolving @pulumi/pulumi from %s: %v; run npm install in the project",
			info.GetProgramDirectory(), err)}, nil
	}

	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	config, err := json.Marshal(orEmpty(req.GetConfig()))
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("serializing stack configuration: %v", err)}, nil
	}
	secretKeys, err := json.Marshal(orEmptySlice(req.GetConfigSecretKeys()))
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("serializing secret configuration keys: %v", err)}, nil
	}

	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runScript)
	flagIf := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagIf("monitor", req.GetMonitorAddress())
	flagIf("engine", h.engineAddress)
	flagIf("organization", req.GetOrganization())
	flagIf("project", req.GetProject())
	flagIf("root-directory", info.GetRootDirectory())
	flagIf("stack", req.GetStack())
	flagIf("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagIf("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	// The engine shows the host's own stdout/stderr as the program's output. Hiding os.Stdout behind a plain
	// io.Writer makes exec copy through a pipe: Node may switch a shared descriptor to non-blocking mode.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("starting %s: %v", node, err)}, nil
	}
	h.track(cmd, true)
	// The engine cancels the request when the user interrupts; pass that on as SIGINT.
	stopWatch := context.AfterFunc(ctx, func() { _ = cmd.Process.Signal(os.Interrupt) })
	err = cmd.Wait()
	stopWatch()
	h.track(cmd, false)

	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("running %s: %v", node, err)}, nil
	}
}

func (h *nodeHost) track(cmd *exec.Cmd, running bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if running {
		h.running[cmd] = struct{}{}
	} else {
		delete(h.running, cmd)
	}
}

type options struct {
	typescript bool
	tsconfig   string
	nodeArgs   []string
}

// parseOptions reads Pulumi.yaml's runtime.options; like upstream, TypeScript support is on unless disabled.
func parseOptions(raw map[string]any) (options, error) {
	opts := options{typescript: true}
	if v, ok := raw["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, fmt.Errorf("reading runtime.options.typescript in Pulumi.yaml: got %v, want true or false", v)
		}
		opts.typescript = b
	}
	if v, ok := raw["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, fmt.Errorf("reading runtime.options.tsconfig in Pulumi.yaml: got %v, want a path", v)
		}
		opts.tsconfig = s
	}
	if v, ok := raw["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, fmt.Errorf("reading runtime.options.nodeargs in Pulumi.yaml: got %v, want a string", v)
		}
		opts.nodeArgs = strings.Fields(s)
	}
	return opts, nil
}

// resolveFrom asks node where `module` resolves from dir, following Node's own node_modules lookup so that a
// program nested in a repository finds the repository's dependencies.
func resolveFrom(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e", "console.log(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			lines := strings.Split(strings.TrimSpace(string(exitErr.Stderr)), "\n")
			for _, line := range lines {
				if strings.HasPrefix(line, "Error:") {
					return "", errors.New(strings.TrimPrefix(line, "Error: "))
				}
			}
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
