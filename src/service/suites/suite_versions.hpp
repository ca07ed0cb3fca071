// A loaded suite as a stored version (flow_version): what `flowtest run` records before each
// suite runs and what `flowtest import DIR` stores, the same way for both, so the two find each
// other's versions by yaml_hash. Pure mapping plus one store call; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "core/model/suite.hpp"
#include "core/result.hpp"
#include "service/ports/suite_store.hpp"

namespace flow::service {

// The suite's priority as stored: its metadata.priority when it is one of critical, high, medium,
// low; medium for a project's own levels.
Priority StoredPriority(const core::Suite& suite);

// The secret values written in a suite document's `variables` (`root` as parsed): the literal
// strings and numbers of variables written `{value: V, secret: true}` and of entries whose names
// look secret (core::LooksSecret, at any depth). A string that is only a template
// ("{{$env.PASSWORD}}") is none: the secret is not in the file.
std::vector<std::string> SecretValuesOf(const Value& root);

// node_id, suite_name, description, priority, tags, the raw text (yaml_raw) with the secret values
// written in it (SecretValuesOf: the store seals or masks the text when there are any), the
// variables as written (effective_variables: the suite's own `variables`, templates unrendered,
// the values of secret variables and of names that look secret masked as "***"; the globals a run
// adds are the run's, recorded with it) and the suite as flowtest read it (compiled_config: the
// parsed document as JSON, anchors and merge keys resolved, secrets masked likewise). yaml_raw
// is the file exactly as written: its hash finds the version again.
NewVersion VersionOf(const core::Suite& suite, std::string created_by = {});

// Saves `suite` as a version of its suite (created, or the existing one with the same hash).
// Its effective_variables and compiled_config are made only for a new version: the returned
// record of an existing one holds none (empty objects; FindVersion reads them).
core::Result<SavedVersion> SaveSuiteVersion(SuiteStore& store, const core::Suite& suite,
                                            std::string created_by = {});

}  // namespace flow::service
