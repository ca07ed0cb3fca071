#include "adapters/script_mozjs/helper/confinement.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace flow::adapters::sandbox {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

constexpr rlim_t kMiB = rlim_t{1} << 20;

core::Result<void> Limit(int resource, const char* name, rlim_t soft, rlim_t hard) {
  const rlimit limit{.rlim_cur = soft, .rlim_max = hard};
  if (setrlimit(resource, &limit) != 0) {
    return core::Internal(std::string("setrlimit(") + name + ") failed: " + std::strerror(errno));
  }
  return {};
}

// Adds one rule; libseccomp reports failures as negative errno values.
struct Rules {
  scmp_filter_ctx ctx;
  bool failed = false;
  const char* failed_name = "";

  void Add(std::uint32_t action, int nr, const char* name) {
    if (!failed && seccomp_rule_add(ctx, action, nr, 0) != 0) failed = true, failed_name = name;
  }
  void Add(std::uint32_t action, int nr, const char* name, scmp_arg_cmp cmp) {
    if (!failed && seccomp_rule_add(ctx, action, nr, 1, cmp) != 0)
      failed = true, failed_name = name;
  }
};

}  // namespace

core::Result<void> ApplyResourceLimits() {
  if constexpr (!kAddressSanitizer) {
    FLOW_TRY_VOID(Limit(RLIMIT_AS, "RLIMIT_AS", 4096 * kMiB, 4096 * kMiB));
    FLOW_TRY_VOID(Limit(RLIMIT_DATA, "RLIMIT_DATA", 768 * kMiB, 768 * kMiB));
  }
  FLOW_TRY_VOID(Limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", 16, 16));
  FLOW_TRY_VOID(Limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", 0, 0));
  FLOW_TRY_VOID(Limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0));
  FLOW_TRY_VOID(Limit(RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", 0, 0));
  FLOW_TRY_VOID(Limit(RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE", 0, 0));
  FLOW_TRY_VOID(Limit(RLIMIT_CPU, "RLIMIT_CPU", 3600, 3610));
  return {};
}

core::Result<void> DropRootPrivileges() {
  if (geteuid() != 0) return {};
  if (setgroups(0, nullptr) != 0) {
    return core::Internal(std::string("setgroups failed: ") + std::strerror(errno));
  }
  if (setresgid(kNobodyId, kNobodyId, kNobodyId) != 0) {
    return core::Internal(std::string("setresgid failed: ") + std::strerror(errno));
  }
  if (setresuid(kNobodyId, kNobodyId, kNobodyId) != 0) {
    return core::Internal(std::string("setresuid failed: ") + std::strerror(errno));
  }
  if (getuid() != kNobodyId || geteuid() != kNobodyId || getegid() != kNobodyId) {
    return core::Internal("the uid drop did not take effect");
  }
  return {};
}

core::Result<void> InstallSyscallFilter(int channel_fd) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return core::Internal(std::string("PR_SET_NO_NEW_PRIVS failed: ") + std::strerror(errno));
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (ctx == nullptr) return core::Internal("seccomp_init failed");
  Rules rules{.ctx = ctx};
  if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0 ||
      seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0) {
    seccomp_release(ctx);
    return core::Internal("seccomp_attr_set failed");
  }
  const std::uint32_t allow = SCMP_ACT_ALLOW;
  const auto fd_is = [](unsigned fd) { return SCMP_A0(SCMP_CMP_EQ, fd); };
  const unsigned channel = static_cast<unsigned>(channel_fd);

#define FLOW_ALLOW(name) rules.Add(allow, SCMP_SYS(name), #name)
  // Memory (the JIT needs mprotect with PROT_EXEC; glibc's thread exit needs madvise).
  FLOW_ALLOW(mmap);
  FLOW_ALLOW(munmap);
  FLOW_ALLOW(mprotect);
  FLOW_ALLOW(mremap);
  FLOW_ALLOW(madvise);
  FLOW_ALLOW(brk);
  // Threads (SpiderMonkey's helper threads and the watchdog exist already; new ones may come).
  FLOW_ALLOW(futex);
  FLOW_ALLOW(sched_yield);
  FLOW_ALLOW(sched_getaffinity);
  FLOW_ALLOW(set_robust_list);
  FLOW_ALLOW(rseq);
  FLOW_ALLOW(membarrier);
  rules.Add(allow, SCMP_SYS(clone), "clone",
            SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
  rules.Add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), "clone3");
  // The channel and stderr; nothing else can be opened.
  rules.Add(allow, SCMP_SYS(read), "read", fd_is(channel));
  rules.Add(allow, SCMP_SYS(recvfrom), "recvfrom", fd_is(channel));
  rules.Add(allow, SCMP_SYS(recvmsg), "recvmsg", fd_is(channel));
  rules.Add(allow, SCMP_SYS(write), "write", fd_is(channel));
  rules.Add(allow, SCMP_SYS(write), "write", fd_is(2));
  rules.Add(allow, SCMP_SYS(writev), "writev", fd_is(2));
  rules.Add(allow, SCMP_SYS(sendto), "sendto", fd_is(channel));
  rules.Add(allow, SCMP_SYS(sendmsg), "sendmsg", fd_is(channel));
  FLOW_ALLOW(close);
  if constexpr (kAddressSanitizer) {
    // Sanitizer builds (FLOW_SANITIZE): UBSan's vptr check probes memory by writing it into a
    // pipe, so it needs pipe2 and reads/writes on any descriptor. Never in a release build.
    FLOW_ALLOW(pipe2);
    FLOW_ALLOW(read);
    FLOW_ALLOW(write);
  }
  rules.Add(allow, SCMP_SYS(fcntl), "fcntl", SCMP_A1(SCMP_CMP_EQ, F_GETFD));
  FLOW_ALLOW(fstat);
  FLOW_ALLOW(newfstatat);  // glibc re-checks /etc/localtime
  // Time.
  FLOW_ALLOW(clock_gettime);
  FLOW_ALLOW(clock_getres);
  FLOW_ALLOW(clock_nanosleep);
  FLOW_ALLOW(nanosleep);
  FLOW_ALLOW(gettimeofday);
  FLOW_ALLOW(getrusage);
  // Process.
  FLOW_ALLOW(getpid);
  FLOW_ALLOW(gettid);
  FLOW_ALLOW(getppid);
  FLOW_ALLOW(getuid);
  FLOW_ALLOW(geteuid);
  FLOW_ALLOW(getgid);
  FLOW_ALLOW(getegid);
  rules.Add(allow, SCMP_SYS(tgkill), "tgkill",
            SCMP_A0(SCMP_CMP_EQ, static_cast<unsigned>(getpid())));
  FLOW_ALLOW(rt_sigprocmask);
  FLOW_ALLOW(rt_sigaction);
  FLOW_ALLOW(rt_sigreturn);
  FLOW_ALLOW(sigaltstack);
  FLOW_ALLOW(restart_syscall);
  FLOW_ALLOW(getrandom);  // denying it hangs the engine (research P7)
  FLOW_ALLOW(sysinfo);
  rules.Add(allow, SCMP_SYS(prctl), "prctl", SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
  rules.Add(allow, SCMP_SYS(prctl), "prctl", SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME));
  FLOW_ALLOW(exit);
  FLOW_ALLOW(exit_group);
#undef FLOW_ALLOW

  // Soft failures, so lazy opens fail cleanly and tests can see the attempt.
  const std::uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
#define FLOW_DENY(name) rules.Add(eperm, SCMP_SYS(name), #name)
  FLOW_DENY(open);
  FLOW_DENY(openat);
  FLOW_DENY(openat2);
  FLOW_DENY(creat);
  FLOW_DENY(socket);
  FLOW_DENY(socketpair);
  FLOW_DENY(connect);
  FLOW_DENY(bind);
  FLOW_DENY(execve);
  FLOW_DENY(execveat);
  FLOW_DENY(fork);
  FLOW_DENY(vfork);
#undef FLOW_DENY

  if (rules.failed) {
    seccomp_release(ctx);
    return core::Internal(std::string("could not add the seccomp rule for ") + rules.failed_name);
  }
  const int loaded = seccomp_load(ctx);
  seccomp_release(ctx);
  if (loaded != 0) {
    return core::Internal(std::string("seccomp_load failed: ") + std::strerror(-loaded));
  }
  return {};
}

}  // namespace flow::adapters::sandbox
