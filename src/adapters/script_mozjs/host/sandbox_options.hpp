// SandboxOptions: how a SandboxScriptEngine starts and keeps its helper processes.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace flow::adapters::sandbox {

struct SandboxOptions {
  // The helper binary (usually flowtest itself, /proc/self/exe) and the arguments that put it in
  // helper mode; "--parent-pid <pid>" is appended.
  std::string helper_executable;
  std::vector<std::string> helper_args = {"__sandbox-helper"};
  int max_helpers = 8;   // helpers alive at once; OpenSession waits for a free one beyond that
  int idle_helpers = 2;  // idle helpers kept for later sessions; more are stopped
  std::chrono::milliseconds start_timeout{10000};  // spawn to "ready", and open of a scope
  std::chrono::milliseconds wall_margin{1000};     // wall time allowed on top of a call's cpu_ms
  int recycle_after_scopes = 500;                  // a helper is replaced after this many sessions
};

}  // namespace flow::adapters::sandbox
