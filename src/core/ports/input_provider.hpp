// InputProvider: where the answers to a step's `input` prompts come from (a terminal, an answers
// file, a policy, the runner protocol, or an operator through the service). The input module
// validates and converts what it returns; a provider only answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

struct InputOption {
  Value value;
  std::string label;
};

// One prompt, rendered (templates resolved, options computed).
struct InputRequest {
  std::string variable;
  std::string prompt;
  std::string type = "text";  // text password number email url select confirm multiline
  std::string description;
  std::string placeholder;
  std::string style;          // simple boxed highlighted (display only)
  bool required = false;
  bool masked = false;        // password
  Value default_value;        // null when none
  Value ci_default;           // null when none
  std::vector<InputOption> options;  // select
  std::string suite_name;
  std::string suite_path;
  std::string step_name;
  std::string step_id;
  std::size_t step_index = 0;
  std::string cache_key;      // "<node_id>::<step id>::<variable>"
  std::string previous_error; // set when asking again after an invalid answer
  std::size_t attempt = 1;
};

struct InputAnswer {
  Value value;               // as typed (a string) or as given in an answers file (any type)
  bool used_default = false;
  bool timed_out = false;
};

class InputProvider {
 public:
  virtual ~InputProvider() = default;
  // nullopt: this provider has no answer (the input module then uses the defaults a policy
  // allows, or fails a required input). An Error: the provider broke (stdin closed, ...).
  virtual Result<std::optional<InputAnswer>> Ask(const InputRequest& request) = 0;
  // Whether an invalid answer may be asked again (a person is answering).
  virtual bool CanReprompt() const { return false; }
};

}  // namespace flow::core
