// Outcomes as JSON and back, losslessly: for what stores a run (the history database, a saved
// run state) and must later give the same outcomes to the reports again. The report formats
// have their own shapes (core/report); these are the outcomes' own fields, one key each.
// Pure.
#pragma once

#include <optional>

#include "core/error.hpp"
#include "core/result.hpp"
#include "core/run/outcome.hpp"
#include "core/value.hpp"

namespace flow::core {

Value ErrorToJson(const Error& error);
// nullopt for anything but an object.
std::optional<Error> ErrorFromJson(const Value& value);

Value StepOutcomeToJson(const StepOutcome& step);
Result<StepOutcome> StepOutcomeFromJson(const Value& value);

Value SuiteOutcomeToJson(const SuiteOutcome& suite);
Result<SuiteOutcome> SuiteOutcomeFromJson(const Value& value);

Value RunOutcomeToJson(const RunOutcome& run);
Result<RunOutcome> RunOutcomeFromJson(const Value& value);

}  // namespace flow::core
