// Command pulumi-resource-command is a stand-in for the `command` provider plugin that @pulumi/command's SDK drives.
//
// Upstream's provider module (github.com/pulumi/pulumi-command/provider) is not served by the module proxy that
// this project's machines reach, so this is our own small implementation of the two resources the project uses,
// speaking the same wire format as @pulumi/command 1.2.1:
//   - command:local:Command  runs create/update/delete through an interpreter (default /bin/sh -c);
//   - command:remote:Command runs them in one SSH exec per operation, checking `hostKey` when given.
//
// Like upstream: a change to `triggers` replaces the resource, any other input change runs `update` (or `create`
// when `update` is unset), `delete` runs with the last stdout/stderr in PULUMI_COMMAND_STDOUT/STDERR, outputs drop
// one trailing newline, and nothing runs during preview. Not implemented: assets/archives, CopyToRemote, CopyFile,
// the `local.run` invoke, `logging` (output is always captured, never streamed to the engine log).
package main

import (
	"context"
	"fmt"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/pkg/v3/resource/provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is what GetPluginInfo reports; set with -ldflags "-X main.version=…" to the @pulumi/command version.
var version = "1.2.1"

const (
	localCommand  = "command:local:Command"
	remoteCommand = "command:remote:Command"
)

// outputOnly lists the properties this provider computes; every other property is an input.
var outputOnly = map[resource.PropertyKey]bool{"stdout": true, "stderr": true, "assets": true, "archive": true}

func main() {
	err := provider.Main("command", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &commandProvider{}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

type commandProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

var marshalOptions = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	return plugin.UnmarshalProperties(s, marshalOptions)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, marshalOptions)
}

func (p *commandProvider) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *commandProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: `{"name":"command","version":"` + version + `"}`}, nil
}

func (p *commandProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	// The provider has no configuration, so a new provider version never needs to replace its resources.
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *commandProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	// Secrets must arrive as secrets so `connection` stays secret in state; no preview support means the engine
	// never calls Create/Update during `pulumi preview`.
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: false}, nil
}

func (p *commandProvider) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func checkType(urn string) (string, error) {
	t := string(resource.URN(urn).Type())
	if t != localCommand && t != remoteCommand {
		return "", fmt.Errorf("resource type %s is not supported by this build of the command provider "+
			"(only %s and %s are)", t, localCommand, remoteCommand)
	}
	return t, nil
}

func (p *commandProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if _, err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, fmt.Errorf("reading the old state of %s: %w", req.GetUrn(), err)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, fmt.Errorf("reading the new inputs of %s: %w", req.GetUrn(), err)
	}
	ignored := map[string]bool{}
	for _, k := range req.GetIgnoreChanges() {
		ignored[k] = true
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var diffs, replaces []string
	for k := range keys {
		if outputOnly[k] || ignored[string(k)] {
			continue
		}
		o, n := olds[k], news[k]
		if o.DeepEquals(n) && !n.ContainsUnknowns() {
			continue
		}
		diffs = append(diffs, string(k))
		if k == "triggers" {
			replaces = append(replaces, string(k))
		}
	}
	if len(diffs) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: diffs, Replaces: replaces}, nil
}

func (p *commandProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	t, err := checkType(req.GetUrn())
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, fmt.Errorf("reading the inputs of %s: %w", req.GetUrn(), err)
	}
	name := resource.URN(req.GetUrn()).Name()
	id, err := resource.NewUniqueHex(name, 8, 0)
	if err != nil {
		return nil, fmt.Errorf("making an id for %s: %w", name, err)
	}
	state := inputs.Copy()
	if cmd, ok := stringProp(inputs, "create"); ok && !req.GetPreview() {
		if err := runInto(ctx, t, cmd, inputs, nil, state); err != nil {
			return nil, fmt.Errorf("running create of %s: %w", name, err)
		}
	}
	props, err := marshal(state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func (p *commandProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	t, err := checkType(req.GetUrn())
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, fmt.Errorf("reading the old state of %s: %w", req.GetUrn(), err)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, fmt.Errorf("reading the new inputs of %s: %w", req.GetUrn(), err)
	}
	state := news.Copy()
	for k := range outputOnly {
		if v, ok := olds[k]; ok {
			state[k] = v
		}
	}
	cmd, ok := stringProp(news, "update")
	if !ok {
		cmd, ok = stringProp(news, "create")
	}
	if ok && !req.GetPreview() {
		if err := runInto(ctx, t, cmd, news, olds, state); err != nil {
			return nil, fmt.Errorf("running update of %s: %w", resource.URN(req.GetUrn()).Name(), err)
		}
	}
	props, err := marshal(state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (p *commandProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	// A command has no live state to read back: refresh keeps what the last run recorded.
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (p *commandProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	t, err := checkType(req.GetUrn())
	if err != nil {
		return nil, err
	}
	state, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", req.GetUrn(), err)
	}
	if cmd, ok := stringProp(state, "delete"); ok {
		if err := runInto(ctx, t, cmd, state, state, resource.PropertyMap{}); err != nil {
			return nil, fmt.Errorf("running delete of %s: %w", resource.URN(req.GetUrn()).Name(), err)
		}
	}
	return &pbempty.Empty{}, nil
}

// runInto runs cmd for a resource of type t and records stdout and stderr into state.
func runInto(ctx context.Context, t, cmd string, inputs, previous, state resource.PropertyMap) error {
	spec := runSpec{
		command: cmd,
		env:     stringMapProp(inputs, "environment"),
	}
	if stdin, ok := stringProp(inputs, "stdin"); ok {
		spec.stdin = &stdin
	}
	if previous != nil && boolProp(inputs, "addPreviousOutputInEnv", true) {
		// Upstream hands the previous run's output to update and delete commands.
		if out, ok := stringProp(previous, "stdout"); ok {
			spec.env["PULUMI_COMMAND_STDOUT"] = out
		}
		if out, ok := stringProp(previous, "stderr"); ok {
			spec.env["PULUMI_COMMAND_STDERR"] = out
		}
	}
	var result runResult
	var err error
	if t == localCommand {
		spec.dir, _ = stringProp(inputs, "dir")
		spec.interpreter = stringListProp(inputs, "interpreter")
		result, err = runLocal(ctx, spec)
	} else {
		conn, ok := objectProp(inputs, "connection")
		if !ok {
			return fmt.Errorf("connection is required for %s", remoteCommand)
		}
		result, err = runRemote(ctx, spec, conn)
	}
	state["stdout"] = resource.NewStringProperty(result.stdout)
	state["stderr"] = resource.NewStringProperty(result.stderr)
	return err
}

// The helpers below read plain values, looking through secrets: the command has to see the real text.

func plain(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsOutput() {
		v = v.OutputValue().Element
	}
	return v
}

func stringProp(m resource.PropertyMap, key resource.PropertyKey) (string, bool) {
	v, ok := m[key]
	if !ok {
		return "", false
	}
	v = plain(v)
	if !v.IsString() {
		return "", false
	}
	return v.StringValue(), true
}

func boolProp(m resource.PropertyMap, key resource.PropertyKey, fallback bool) bool {
	v, ok := m[key]
	if !ok {
		return fallback
	}
	v = plain(v)
	if !v.IsBool() {
		return fallback
	}
	return v.BoolValue()
}

func numberProp(m resource.PropertyMap, key resource.PropertyKey, fallback float64) float64 {
	v, ok := m[key]
	if !ok {
		return fallback
	}
	v = plain(v)
	if !v.IsNumber() {
		return fallback
	}
	return v.NumberValue()
}

func objectProp(m resource.PropertyMap, key resource.PropertyKey) (resource.PropertyMap, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	v = plain(v)
	if !v.IsObject() {
		return nil, false
	}
	return v.ObjectValue(), true
}

func stringMapProp(m resource.PropertyMap, key resource.PropertyKey) map[string]string {
	out := map[string]string{}
	obj, ok := objectProp(m, key)
	if !ok {
		return out
	}
	for k := range obj {
		if s, ok := stringProp(obj, k); ok {
			out[string(k)] = s
		}
	}
	return out
}

func stringListProp(m resource.PropertyMap, key resource.PropertyKey) []string {
	v, ok := m[key]
	if !ok {
		return nil
	}
	v = plain(v)
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e = plain(e); e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}
