#include "service/suites/suite_versions.hpp"

#include "core/secrets/secrets.hpp"

namespace flow::service {
namespace {

// The suite's variables as written, with the values of those marked secret (and of those whose
// names look secret) masked: the history keeps no secret in a column meant to be shown.
Value StoredVariables(const core::Suite& suite) {
  Value out = suite.variables.is_object() ? suite.variables : Value::object();
  for (const std::string& name : suite.secret_variables) {
    if (out.contains(name)) out[name] = std::string(core::kMask);
  }
  core::MaskSecretNames(out);
  return out;
}

}  // namespace

Priority StoredPriority(const core::Suite& suite) {
  return Parse<Priority>(suite.priority).value_or(Priority::kMedium);
}

NewVersion VersionOf(const core::Suite& suite, std::string created_by) {
  return NewVersion{.node_id = suite.node_id,
                    .name = suite.suite_name,
                    .description = suite.description,
                    .default_priority = StoredPriority(suite),
                    .tags = suite.tags,
                    .yaml_raw = suite.text,
                    .effective_variables = StoredVariables(suite),
                    .created_by = std::move(created_by)};
}

core::Result<SavedVersion> SaveSuiteVersion(SuiteStore& store, const core::Suite& suite,
                                            std::string created_by) {
  return store.SaveVersion(VersionOf(suite, std::move(created_by)));
}

}  // namespace flow::service
