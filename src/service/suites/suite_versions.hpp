// A loaded suite as a stored version (flow_version): what `flowtest run` records before each
// suite runs and what `flowtest import DIR` stores, the same way for both, so the two find each
// other's versions by yaml_hash. Pure mapping plus one store call; thread-compatible.
#pragma once

#include <string>

#include "core/model/suite.hpp"
#include "core/result.hpp"
#include "service/ports/suite_store.hpp"

namespace flow::service {

// The suite's priority as stored: its metadata.priority when it is one of critical, high, medium,
// low; medium for a project's own levels.
Priority StoredPriority(const core::Suite& suite);

// node_id, suite_name, description, priority, tags, the raw text (yaml_raw) and the variables as
// written (effective_variables: the suite's own `variables`, templates unrendered, the values of
// secret variables and of names that look secret masked as "***"; the globals a run adds are the
// run's, recorded with it). yaml_raw is the file exactly as written: it is what runs again (a
// service re-runs a stored version), and its hash finds the version again. A secret written into a
// suite file is therefore stored with the file (docs/history.md): secrets belong in the
// environment or --secret.
NewVersion VersionOf(const core::Suite& suite, std::string created_by = {});

// Saves `suite` as a version of its suite (created, or the existing one with the same hash).
core::Result<SavedVersion> SaveSuiteVersion(SuiteStore& store, const core::Suite& suite,
                                            std::string created_by = {});

}  // namespace flow::service
