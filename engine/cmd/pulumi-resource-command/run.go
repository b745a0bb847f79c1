package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

type runSpec struct {
	command     string
	env         map[string]string
	stdin       *string
	dir         string
	interpreter []string
}

type runResult struct {
	stdout, stderr string
}

// Upstream drops one trailing newline so that `echo hi` yields "hi".
func trimOutput(b []byte) string {
	return strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
}

func runLocal(ctx context.Context, spec runSpec) (runResult, error) {
	interpreter := spec.interpreter
	if len(interpreter) == 0 {
		interpreter = []string{"/bin/sh", "-c"}
	}
	args := append(append([]string{}, interpreter[1:]...), spec.command)
	cmd := exec.CommandContext(ctx, interpreter[0], args...)
	cmd.Dir = spec.dir
	cmd.Env = os.Environ()
	for _, k := range sortedKeys(spec.env) {
		cmd.Env = append(cmd.Env, k+"="+spec.env[k])
	}
	if spec.stdin != nil {
		cmd.Stdin = strings.NewReader(*spec.stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	result := runResult{stdout: trimOutput(stdout.Bytes()), stderr: trimOutput(stderr.Bytes())}
	if err != nil {
		return result, fmt.Errorf("%s: %w; stderr: %s", interpreter[0], err, result.stderr)
	}
	return result, nil
}

func runRemote(ctx context.Context, spec runSpec, conn resource.PropertyMap) (runResult, error) {
	client, closeAll, err := dialChain(ctx, conn)
	if err != nil {
		return runResult{}, err
	}
	defer closeAll()

	session, err := client.NewSession()
	if err != nil {
		return runResult{}, fmt.Errorf("opening an SSH session on %s: %w", describe(conn), err)
	}
	defer session.Close()
	for _, k := range sortedKeys(spec.env) {
		// Needs AcceptEnv on the server, like upstream; a refusal is not fatal there either.
		_ = session.Setenv(k, spec.env[k])
	}
	if spec.stdin != nil {
		session.Stdin = strings.NewReader(*spec.stdin)
	}
	var stdout, stderr bytes.Buffer
	session.Stdout, session.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	go func() { done <- session.Run(spec.command) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = session.Signal(ssh.SIGINT)
		err = ctx.Err()
	}
	result := runResult{stdout: trimOutput(stdout.Bytes()), stderr: trimOutput(stderr.Bytes())}
	if err != nil {
		return result, fmt.Errorf("running the command on %s: %w; stderr: %s", describe(conn), err, result.stderr)
	}
	return result, nil
}

func describe(conn resource.PropertyMap) string {
	host, _ := stringProp(conn, "host")
	return net.JoinHostPort(host, strconv.Itoa(int(numberProp(conn, "port", 22))))
}

// dialChain connects through conn.proxy (a bastion) when one is set, then to conn itself.
func dialChain(ctx context.Context, conn resource.PropertyMap) (*ssh.Client, func(), error) {
	config, err := clientConfig(conn)
	if err != nil {
		return nil, nil, err
	}
	addr := describe(conn)
	if proxy, ok := objectProp(conn, "proxy"); ok {
		bastion, closeBastion, err := dialChain(ctx, proxy)
		if err != nil {
			return nil, nil, fmt.Errorf("connecting to %s through proxy: %w", addr, err)
		}
		raw, err := bastion.Dial("tcp", addr)
		if err != nil {
			closeBastion()
			return nil, nil, fmt.Errorf("dialing %s from proxy %s: %w", addr, describe(proxy), err)
		}
		c, chans, reqs, err := ssh.NewClientConn(raw, addr, config)
		if err != nil {
			closeBastion()
			return nil, nil, fmt.Errorf("SSH handshake with %s through proxy: %w", addr, err)
		}
		client := ssh.NewClient(c, chans, reqs)
		return client, func() { _ = client.Close(); closeBastion() }, nil
	}

	// Retry like upstream: a host that is still booting refuses connections for a while.
	limit := int(numberProp(conn, "dialErrorLimit", 10))
	var lastErr error
	for attempt := 1; limit < 0 || attempt <= limit; attempt++ {
		client, err := ssh.Dial("tcp", addr, config)
		if err == nil {
			return client, func() { _ = client.Close() }, nil
		}
		lastErr = err
		var keyErr *hostKeyMismatch
		if errors.As(err, &keyErr) || strings.Contains(err.Error(), "unable to authenticate") {
			break // retrying cannot fix a wrong key or credentials
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(time.Duration(min(attempt, 5)) * time.Second):
		}
	}
	return nil, nil, fmt.Errorf("connecting to %s: %w", addr, lastErr)
}

type hostKeyMismatch struct{ host, got string }

func (e *hostKeyMismatch) Error() string {
	return fmt.Sprintf("host key of %s is %s, which does not match connection.hostKey; "+
		"check the key with ssh-keyscan", e.host, e.got)
}

func clientConfig(conn resource.PropertyMap) (*ssh.ClientConfig, error) {
	user, ok := stringProp(conn, "user")
	if !ok || user == "" {
		user = "root"
	}
	var auths []ssh.AuthMethod
	if key, ok := stringProp(conn, "privateKey"); ok && key != "" {
		var signer ssh.Signer
		var err error
		if pass, ok := stringProp(conn, "privateKeyPassword"); ok && pass != "" {
			signer, err = ssh.ParsePrivateKeyWithPassphrase([]byte(key), []byte(pass))
		} else {
			signer, err = ssh.ParsePrivateKey([]byte(key))
		}
		if err != nil {
			return nil, fmt.Errorf("parsing connection.privateKey for %s: %w", describe(conn), err)
		}
		auths = append(auths, ssh.PublicKeys(signer))
	}
	if pass, ok := stringProp(conn, "password"); ok && pass != "" {
		auths = append(auths, ssh.Password(pass),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = pass
				}
				return answers, nil
			}))
	}
	sock, ok := stringProp(conn, "agentSocketPath")
	if !ok || sock == "" {
		sock = os.Getenv("SSH_AUTH_SOCK")
	}
	if sock != "" {
		if c, err := net.Dial("unix", sock); err == nil {
			auths = append(auths, ssh.PublicKeysCallback(agent.NewClient(c).Signers))
		}
	}

	// Without hostKey the key is not checked, as upstream documents.
	hostKeyCallback := ssh.InsecureIgnoreHostKey() //nolint:gosec
	if line, ok := stringProp(conn, "hostKey"); ok && line != "" {
		want, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("parsing connection.hostKey for %s: %w; "+
				"expected an authorized_keys line such as \"ssh-ed25519 AAAA…\"", describe(conn), err)
		}
		hostKeyCallback = func(hostname string, _ net.Addr, got ssh.PublicKey) error {
			if !bytes.Equal(got.Marshal(), want.Marshal()) {
				return &hostKeyMismatch{host: hostname, got: ssh.FingerprintSHA256(got)}
			}
			return nil
		}
	}
	return &ssh.ClientConfig{
		User:            user,
		Auth:            auths,
		HostKeyCallback: hostKeyCallback,
		Timeout:         time.Duration(numberProp(conn, "perDialTimeout", 15)) * time.Second,
	}, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
