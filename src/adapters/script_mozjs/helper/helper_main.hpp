// The entry of a sandbox helper process: `<binary> __sandbox-helper [--parent-pid N]
// [--self-test]`, spawned by the host side with the channel socket as fd 3 (protocol.hpp), an
// empty environment and stderr on a pipe the parent drains.
//
// Start-up, in order: PR_SET_PDEATHSIG(SIGKILL) and the parent check (exits unless getppid() is
// N), every descriptor from 4 up closed, resource limits, the drop from root to nobody (and the
// death signal again, which the drop clears), SpiderMonkey initialised and warmed up, the seccomp
// allow-list, then {"op":"ready","mozjs","faker","start_us","uid","seccomp":true}. Then one
// reply per request until "exit" or the end of the channel, both exit 0 (without returning).
//
// --self-test adds {"op":"selftest","what":"open"|"socket"|"exec"|"fork"|"clone"|"uid"|"env"|
// "fds"}, which makes that raw syscall after the filter and reports {"ok":true,"result":R,
// "errno":E} ("fds": the open descriptors among 0-64, "env": how many environment entries exist);
// tests use it to prove the confinement. Without the flag the op is "invalid".
#pragma once

namespace flow::adapters::sandbox {

// Returns only when start-up fails: 64 bad arguments, 65 the channel is not a socket, 70 the
// parent is not --parent-pid, 71 a confinement step failed, 72 the engine did not start.
int RunSandboxHelper(int argc, char** argv);

}  // namespace flow::adapters::sandbox
