#include "service/ports/suite_store.hpp"

#include "core/secrets/secrets.hpp"

namespace flow::service {

std::string MaskedYaml(const NewVersion& version) {
  if (version.secret_values.empty()) return version.yaml_raw;
  return core::SecretSet(version.secret_values).Masked(version.yaml_raw);
}

}  // namespace flow::service
