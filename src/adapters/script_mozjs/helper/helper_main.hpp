// The entry of a sandbox helper process: `<binary> __sandbox-helper [--parent-pid N]
// [--self-test [--corrupt-startup-cache]]`, spawned by the host side with the channel socket as
// fd 3 (protocol.hpp), an environment of at most TZ=UTC and stderr on a pipe the parent drains.
//
// Start-up, in order: PR_SET_PDEATHSIG(SIGKILL) and the parent check (exits unless getppid() is
// N), every descriptor from 4 up closed, resource limits, the drop from root to nobody (and the
// death signal again, which the drop clears), SpiderMonkey initialised from the embedded start-up
// caches and warmed up, the seccomp allow-list, then {"op":"ready","protocol","mozjs","faker",
// "start_us","uid","seccomp":true}. Then one reply per request until "exit" or the end of the channel, both
// exit 0 (without returning).
//
// --self-test adds {"op":"selftest","what":"open"|"socket"|"exec"|"fork"|"clone"|"uid"|"env"|
// "fds"}, which makes that raw syscall after the filter and reports {"ok":true,"result":R,
// "errno":E} ("fds": the open descriptors among 0-64, "env": how many environment entries exist),
// and "what":"stats" -> {"ok":true,"self_hosted_cached":B,"prelude_cached":B,"faker_stencil":
// "none"|"decoded"|"compiled","faker_loads":N} (JsRuntime::Stats); tests use them to prove the
// confinement and the caches. Without the flag the op is "invalid". --corrupt-startup-cache (only
// with --self-test) starts from copies of the caches with one byte flipped, which the checksums
// must reject.
#pragma once

namespace flow::adapters::sandbox {

// Returns only when start-up fails: 64 bad arguments, 65 the channel is not a socket, 70 the
// parent is not --parent-pid, 71 a confinement step failed, 72 the engine did not start.
int RunSandboxHelper(int argc, char** argv);

}  // namespace flow::adapters::sandbox
