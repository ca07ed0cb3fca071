// SuiteStore: suites (flow_suite) and their versions (flow_version). Implementations are
// thread-safe (each call is its own transaction).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/ports/records.hpp"

namespace flow::service {

struct NewVersion {
  std::string node_id;  // the suite is found (or created) by it
  std::string name;
  std::string description;
  Priority default_priority = Priority::kMedium;
  std::vector<std::string> tags;
  std::string yaml_raw;  // the file as written; yaml_hash is always its SHA-256
  // The secret values written in yaml_raw (VersionOf finds them). When there are any, the text is
  // not stored in clear: sealed where the database has a secret key (FLOWTEST_SECRET_KEY), else
  // with each of them masked as "***" (MaskedYaml).
  std::vector<std::string> secret_values;
  Value effective_variables = Value::object();
  Value compiled_config = Value::object();  // the parsed suite as JSON, secrets masked
  std::string created_by;
  // Makes what is derived from the text (effective_variables, compiled_config) where that takes
  // time (a 200-step suite's compiled_config: a millisecond or two). SaveVersion calls it once,
  // only for a new version, before storing it; an existing version (the same yaml_hash) is found
  // without it, and its returned record then holds the effective_variables and compiled_config
  // given here (FindVersion reads the stored ones).
  std::function<void(NewVersion&)> derive;
};

// yaml_raw with every secret value masked as "***" (core::SecretSet), or as it is when there are
// none: what a store without a secret key keeps.
std::string MaskedYaml(const NewVersion& version);

struct SavedVersion {
  SuiteRecord suite;
  VersionRecord version;
  bool created = false;  // false: a version with the same yaml_hash existed and is returned
};

class SuiteStore {
 public:
  virtual ~SuiteStore() = default;
  // Creates the suite if its node_id is new (else updates its name, description, priority and
  // tags) and adds a version numbered one past the last, unless the suite already has a version
  // with the same yaml_hash (SHA-256 of yaml_raw): that one is returned. Atomic, also against a
  // concurrent save of the same suite. The returned version's yaml_raw, effective_variables and
  // compiled_config are those given, moved in (for an existing version: derived from the same
  // text, not read back); reading a version back gives the text as stored: sealed ones opened (an
  // error without the key or with another one), masked ones masked.
  virtual core::Result<SavedVersion> SaveVersion(NewVersion version) = 0;
  virtual core::Result<std::optional<SuiteRecord>> FindSuite(const std::string& node_id) = 0;
  virtual core::Result<std::vector<SuiteRecord>> ListSuites() = 0;  // by node_id
  // Newest first.
  virtual core::Result<std::vector<VersionRecord>> ListVersions(const std::string& suite_id) = 0;
  virtual core::Result<std::optional<VersionRecord>> FindVersion(const std::string& id) = 0;
};

}  // namespace flow::service
