// ScriptEngine: where user JavaScript and faker calls run. The core never evaluates JavaScript
// itself: it validates the source (core/script), decides the bindings, and hands a ScriptCall to a
// ScriptSession. The real implementation (adapters/script_mozjs) runs SpiderMonkey in confined
// helper processes; tests use a fake.
//
// One ScriptSession belongs to one suite execution (and to one thread at a time): it owns one
// fresh JavaScript global, so nothing one suite defines is visible to another. A session is
// opened lazily, at the first JavaScript or faker use of the suite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

enum class ScriptCallKind {
  kExpression,  // `code` is one expression; its value is the result ({{js: a + 1}}, conditions)
  kBlock,       // `code` is a function body; `return x` gives the result ({{$js.return x}},
                // scripts, custom assertions written as statements)
  kFaker,       // `code` is a faker method path ("person.firstName"), `args` its arguments
};

struct ScriptBudget {
  int cpu_ms = 1000;                       // CPU time of the evaluation
  int memory_mb = 64;                      // engine heap + malloc growth during the evaluation
  std::size_t output_bytes = 1u << 20;     // the JSON of the result (and of read-back bindings)
};

struct ScriptCall {
  ScriptCallKind kind = ScriptCallKind::kExpression;
  std::string code;
  Value args = Value::array();     // kFaker: the arguments, as data
  Value bindings = Value::object();  // name -> value, bound as identifiers (and frozen copies)
  // Names of bindings the script may modify and whose final values come back in
  // ScriptOutcome::read_back ("request" for a pre_request script).
  std::vector<std::string> read_back;
  std::string file;                // for messages and stack positions: the suite file
  int line = 0, column = 0;        // where `code` starts in it (1-based; 0 when unknown)
  int continuation_column = 0;     // where its later lines start (a YAML block scalar); 0: at 1
  ScriptBudget budget;
};

struct ScriptLogLine {
  std::string level;  // log info warn error debug
  std::string message;
  bool operator==(const ScriptLogLine&) const = default;
};

struct ScriptOutcome {
  Value value;             // the result, with its JSON type (undefined is null + is_undefined)
  bool is_undefined = false;
  std::string type;        // JavaScript typeof of the result: "number", "string", "object", ...
  Value set_variables = Value::object();  // setVariable(name, value) calls, last value wins
  Value read_back = Value::object();      // the final values of ScriptCall::read_back
  std::vector<ScriptLogLine> console;     // console.* output, capped
};

// Error reasons a ScriptSession returns (Error::reason), so callers can tell them apart:
inline constexpr const char* kScriptException = "script-exception";  // the code threw
inline constexpr const char* kScriptSyntax = "script-syntax";        // it did not compile
inline constexpr const char* kScriptCpuBudget = "script-cpu-budget";
inline constexpr const char* kScriptMemoryBudget = "script-memory-budget";
inline constexpr const char* kScriptOutputBudget = "script-output-budget";
inline constexpr const char* kScriptHelperFailed = "script-helper-failed";  // died, hung, bad reply
inline constexpr const char* kScriptDisabled = "script-disabled";

class ScriptSession {
 public:
  virtual ~ScriptSession() = default;
  // Runs one call. A failure of the code (exception, budget) is an Error whose message names the
  // cause ("cpu budget of 1000 ms exceeded"), whose `where` points into the suite when the engine
  // knows the line, and whose console output, if any, is lost: it is in `hint`.
  virtual Result<ScriptOutcome> Run(const ScriptCall& call) = 0;
};

struct ScriptSessionOptions {
  std::optional<std::uint64_t> faker_seed;  // reproducible faker values when set
  std::string faker_locale = "en";          // "en" or "pt_BR"
};

class ScriptEngine {
 public:
  virtual ~ScriptEngine() = default;
  // Safe to call from several threads at once; each session is used by one thread at a time.
  virtual Result<std::unique_ptr<ScriptSession>> OpenSession(const ScriptSessionOptions& options) = 0;
};

}  // namespace flow::core
