// ChainProvider: asks several providers in order (an answers file, then a terminal) and returns
// the first answer; nullopt when none has one. The providers are borrowed and must outlive the
// chain. CanReprompt() is that of the provider that gave the last answer, so a wrong value in
// an answers file fails the step instead of being asked again. Not thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "core/ports/input_provider.hpp"
#include "core/result.hpp"

namespace flow::core {

class ChainProvider final : public InputProvider {
 public:
  explicit ChainProvider(std::vector<InputProvider*> providers);  // null entries are skipped

  Result<std::optional<InputAnswer>> Ask(const InputRequest& request) override;
  bool CanReprompt() const override;

 private:
  std::vector<InputProvider*> providers_;
  InputProvider* last_ = nullptr;  // the provider that answered last
};

}  // namespace flow::core
