// The confinement steps of the sandbox helper process (docs/adr/0004), in the order
// RunSandboxHelper applies them: resource limits, the drop from root to nobody, and, after the
// engine is warm, the seccomp allow-list. Each changes the whole process and cannot be undone;
// call them from the helper's main thread only.
#pragma once

#include "core/result.hpp"

namespace flow::adapters::sandbox {

inline constexpr unsigned kNobodyId = 65534;

// RLIMIT_AS 4 GiB (SpiderMonkey's JIT reserves ~2.2 GiB of address space up front), RLIMIT_DATA
// 768 MiB (the backstop for ArrayBuffer bursts the soft memory budget cannot see), RLIMIT_NOFILE
// 16, RLIMIT_FSIZE/CORE/MEMLOCK/MSGQUEUE 0, RLIMIT_CPU 3600 s as a lifetime backstop. No
// RLIMIT_NPROC: it counts per uid and is ignored for root; seccomp restricts clone instead.
// AddressSanitizer builds skip AS and DATA (the shadow memory needs terabytes of addresses).
core::Result<void> ApplyResourceLimits();

// When running as root: no supplementary groups, then gid and uid 65534 (real, effective and
// saved). A no-op for any other user.
core::Result<void> DropRootPrivileges();

// PR_SET_NO_NEW_PRIVS and an allow-list synchronised to every thread (TSYNC); anything not
// listed kills the process, as does a foreign architecture. open/openat/openat2/creat, socket,
// socketpair, connect, bind, execve(at), fork and vfork fail with EPERM instead (so a lazy
// library open fails softly); clone is allowed only with CLONE_THREAD; clone3 fails with ENOSYS
// (glibc then falls back to clone). Reads are allowed on `channel_fd`, writes on it and on
// stderr (AddressSanitizer builds also allow pipe2 and any read/write, for UBSan's probes).
core::Result<void> InstallSyscallFilter(int channel_fd);

}  // namespace flow::adapters::sandbox
