// Outcomes as JSON and back, losslessly: for what stores a run (the history database, a saved
// run state) and must later give the same outcomes to the reports again. The report formats
// have their own shapes (core/report); these are the outcomes' own fields, one key each.
// Pure.
#pragma once

#include <optional>
#include <string>

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

// StepOutcomeToJson's text split the way the run history stores a step (step_run's columns),
// written straight from the outcome without building the JSON value (the history's writer did
// that for every step, then wrote it as text and freed it: bench/README.md). Each is DumpJson of
// StepOutcomeToJson(step)'s member of that name: `assertions`; `captured` when it is an object
// ({} else); `error` ("" when the step has none); `rest` is the whole object without those three.
struct StepOutcomeColumns {
  std::string assertions;
  std::string captured;
  std::string error;
  std::string rest;
};
StepOutcomeColumns StepOutcomeColumnsJson(const StepOutcome& step);

Value SuiteOutcomeToJson(const SuiteOutcome& suite);
Result<SuiteOutcome> SuiteOutcomeFromJson(const Value& value);

Value RunOutcomeToJson(const RunOutcome& run);
Result<RunOutcome> RunOutcomeFromJson(const Value& value);

}  // namespace flow::core
