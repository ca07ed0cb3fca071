// JunitReport: the run as JUnit XML (`--format junit`), in the shape CI servers read (Jenkins,
// GitLab, GitHub test reporters): valid against the common JUnit schema (Jenkins xunit's
// junit-10.xsd; tests/data/junit.xsd restates its rules).
//
//   <testsuites name=project tests failures errors skipped time timestamp>
//     <testsuite name=suite_name tests failures errors skipped time timestamp hostname id
//                package=node_id file>
//       <properties> node_id, file, priority, status </properties>
//       <testcase name=step classname=node_id time> one per step; the steps run inside a step
//         (iterations "step [#k]", nested and called steps "parent › child") follow it as
//         testcases of their own
//         <failure message type=assertion> each failed assertion: expected, actual, file:line:col
//         <error message type>             a step that could not run, with its place and hint
//         <skipped message=reason/>
//         <system-out> the request line, status and time; logs </system-out>
//
// Streamed like every report (streamed_report.hpp). A suite's events must come together and in
// order (a Runner, or the Scheduler's ordered sink). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/report/streamed_report.hpp"

namespace flow::core {

struct JunitInfo {
  std::string project_name = "flowtest";
  std::string hostname = "localhost";
  std::string (*absolute_path)(const std::string&) = nullptr;  // null: paths as given
  SpoolFactory* spools = nullptr;                               // null: in memory
};

class JunitReport final : public StreamedReport {
 public:
  explicit JunitReport(JunitInfo info);
  ~JunitReport() override;

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnStepFinished(const StepOutcome& step) override;
  void OnSuiteFinished(const SuiteOutcome& suite) override;
  void OnRunFinished(const RunOutcome& run) override;
  void AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) override;
  Result<void> WriteTo(TextOutput& out) const override;

 private:
  struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  };
  std::string CaseName(const StepOutcome& step) const;
  void AppendSuite(const std::string& open_tag, const TextSpool* cases, const std::string& tail);

  JunitInfo info_;
  MemorySpoolFactory memory_;
  SpoolFactory& spools_;
  NestedSteps steps_;
  std::unique_ptr<TextSpool> suites_;
  Counts suite_counts_;
  Counts run_counts_;
  std::size_t suite_number_ = 0;
  std::int64_t started_at_ms_ = 0;
  double run_seconds_ = 0;
  bool finished_ = false;
  // Names of the steps whose children are being reported, by qualified id: a child's testcase
  // is named after its parent, which only comes later.
  std::vector<std::string> parent_names_;
};

}  // namespace flow::core
