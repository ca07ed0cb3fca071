// AnswersFileProvider: answers inputs from an answers file (YAML or JSON), for unattended runs
// (`--input-file answers.yaml`):
//
//   api_key: sk-test-123            # any input whose variable is api_key
//   steps:
//     select_user:                  # the step whose id is select_user (in any suite)
//       selected_user_id: user_002
//     checkout::confirm-order:      # that step of the suite whose node_id is checkout
//       confirmed: false
//
// The most specific entry wins: "<node_id>::<step id>", then "<step id>", then the top level.
// A variable with no entry gets no answer (nullopt), so the policy decides. A null entry is an
// empty answer (the input's default). Values are given as they are (typed), and the input module
// converts them ("no" for a confirm is false). Immutable after construction; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ports/input_provider.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

class AnswersFileProvider final : public InputProvider {
 public:
  // `answers` is the file's root: a mapping (or null, answering nothing). Errors have `pointer`
  // set (the `steps` key, or a step's entry, that is not a mapping).
  static Result<AnswersFileProvider> FromValue(Value answers);

  Result<std::optional<InputAnswer>> Ask(const InputRequest& request) override;

  // The entry for `variable` of the step, or nullptr.
  const Value* Find(std::string_view qualified_step_id, std::string_view step_id,
                    std::string_view variable) const;

 private:
  explicit AnswersFileProvider(Value answers) : answers_(std::move(answers)) {}
  Value answers_;
};

// Parses an answers file's text (`file` names it in errors: "answers.yaml:3:5: ..."), as
// ParseDocument does (YAML, or JSON for a ".json" name), and checks its shape. The caller reads
// the file.
Result<AnswersFileProvider> LoadAnswersFile(std::string_view text, std::string file);

}  // namespace flow::core
