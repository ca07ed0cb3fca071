#include "core/input/chain_provider.hpp"

#include <algorithm>
#include <utility>

namespace flow::core {

ChainProvider::ChainProvider(std::vector<InputProvider*> providers)
    : providers_(std::move(providers)) {
  providers_.erase(std::remove(providers_.begin(), providers_.end(), nullptr), providers_.end());
}

Result<std::optional<InputAnswer>> ChainProvider::Ask(const InputRequest& request) {
  last_ = nullptr;
  for (InputProvider* provider : providers_) {
    Result<std::optional<InputAnswer>> answer = provider->Ask(request);
    if (!answer || answer->has_value()) {
      last_ = provider;
      return answer;
    }
  }
  return std::optional<InputAnswer>();
}

bool ChainProvider::CanReprompt() const { return last_ != nullptr && last_->CanReprompt(); }

}  // namespace flow::core
