// RunnerProtocolProvider: the original engine's `--runner-interactive-inputs` protocol, for a
// program (an IDE extension, a test harness) that drives flowtest through its stdin and stdout.
// For each input it writes one line
//
//   @@FLOW_INPUT@@{"type":"request","request":{"variable":...,"prompt":...,"required":...,
//     "masked":...,"input_type":...,"default":...,"options":[{"value":...,"label":...}],
//     "suite_name":...,"suite_path":...,"step_name":...,"step_id":...,"step_index":...,
//     "cache_key":...}}
//
// ("default" only when there is one, "options" only for a select), flushes, and reads one line:
// an empty line takes the default; a JSON object {"value": ...} gives a typed value; anything
// else is the answer as text (a trailing "\r" is dropped). The end of the input stream is an
// Error (kUnavailable), so a run never waits forever. Invalid answers are not asked again: the
// step fails with the reason. One instance per stream pair; not thread-safe.
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "core/ports/input_provider.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

inline constexpr const char* kRunnerInputMarker = "@@FLOW_INPUT@@";

class RunnerProtocolProvider final : public InputProvider {
 public:
  RunnerProtocolProvider(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

  Result<std::optional<InputAnswer>> Ask(const InputRequest& request) override;

  // The JSON event written for `request` (without the marker and the newline).
  static Value RequestEvent(const InputRequest& request);

 private:
  std::istream& in_;
  std::ostream& out_;
};

}  // namespace flow::core
