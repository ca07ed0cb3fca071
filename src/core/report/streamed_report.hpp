// StreamedReport: a report built from a run's events as they come (an EventSink) that writes its
// document once the run has finished. Implementations keep nothing of a step once rendered: they
// append to spools (report_output.hpp), so memory stays flat whatever the size of the run.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/report/report_output.hpp"
#include "core/result.hpp"
#include "core/run/outcome.hpp"
#include "core/value.hpp"

namespace flow::core {

class StreamedReport : public EventSink {
 public:
  // A suite file that could not be loaded (invalid YAML, failed validation): reported as a failed
  // suite with its errors. Call before OnRunFinished.
  virtual void AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) = 0;
  // Writes the whole document to `out`, after OnRunFinished; may be called more than once. Fails
  // when a spool or `out` failed.
  virtual Result<void> WriteTo(TextOutput& out) const = 0;
};

// Steps run inside another step (iterations, nested and called steps: depth > 0) are reported
// before it. NestedSteps keeps each depth's rendered steps in a spool until their parent comes.
class NestedSteps {
 public:
  explicit NestedSteps(SpoolFactory& spools) : spools_(spools) {}

  // The rendered steps waiting at `depth` (the spool is created on first use).
  TextSpool& At(std::size_t depth);
  // Moves the steps waiting below `depth` (depth + 1 first, then deeper ones whose parent never
  // came) to `out`, in order, and forgets them. Returns whether there were any.
  bool TakeChildren(std::size_t depth, TextOutput& out);
  bool HasChildren(std::size_t depth) const;
  Result<void> Status() const;

 private:
  SpoolFactory& spools_;
  std::vector<std::unique_ptr<TextSpool>> levels_;
};

// JSON documents whose big arrays wait in spools: the document is dumped with those arrays empty
// ("key": []), and WriteSpliced() writes it with each empty array replaced by its items.
//
// `value` pretty-printed with 2 spaces and every line but the first shifted right by `indent`
// columns, to sit at that column inside a larger document (JSON strings hold no raw newline, so
// every newline of a dump is structure).
std::string DumpIndented(const Value& value, std::size_t indent);

struct ArraySplice {
  // Where to start looking for `marker`: the first occurrence of `after` past the previous
  // splice (empty: right there). Lets a marker that could also occur in user data earlier be
  // found inside its own object.
  std::string_view after;
  std::string_view marker;  // "\n  \"key\": []", the empty array as dumped, with its indentation
  const TextSpool* items = nullptr;  // the rendered items, separated by ",\n" (null: none)
  std::size_t indent = 0;            // of the line holding the key
};

// Writes `text` to `out` with each splice's empty array replaced by its items, in order. Every
// marker must occur (a bug otherwise).
void WriteSpliced(TextOutput& out, std::string_view text, std::initializer_list<ArraySplice> splices);

// Appends one rendered item to an array spool: ",\n" before all but the first, then `indent`
// spaces and the text.
void AppendArrayItem(TextSpool& to, std::size_t& items, std::size_t indent, std::string_view text);

}  // namespace flow::core
