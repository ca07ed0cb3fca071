// The stored aggregates of flowtest (docs/data-model.md): plain values that the stores in this
// folder read and write. Times are unix milliseconds (UTC); ids are UUID strings (text in
// SQLite, uuid in PostgreSQL); JSON columns are core::Value. Fields the design names keep its
// names. Thread-compatible values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::service {

using core::Value;

// flow_run.status
enum class RunStatus { kQueued, kRunning, kWaitingInput, kCompleted, kFailed, kCancelled };
// step_run.status
enum class StepRunStatus { kPending, kRunning, kWaitingInput, kSuccess, kWarning, kFailed,
                           kSkipped, kAborted };
// flow_run.trigger_source
enum class TriggerSource { kCli, kApi, kSchedule, kDependency };
// flow_suite.default_priority, flow_run.priority
enum class Priority { kCritical, kHigh, kMedium, kLow };
// manual_retry_request.status
enum class RetryRequestStatus { kPending, kApproved, kRejected, kExecuted };
// queue_job.state
enum class JobState { kWaiting, kActive, kStalled, kFailed, kCompleted };
// step_log.log_level
enum class LogLevel { kDebug, kInfo, kWarn, kError };
// variable_snapshot.scope and .source
enum class VariableScope { kSuite, kStep, kGlobal };
enum class VariableSource { kVariable, kCapture, kInput, kExport };

// Whether a run in `status` has ended: completed, failed or cancelled.
bool IsFinal(RunStatus status);
// Ok for an ended status; the error a store gives when a run would "end" in another.
core::Result<void> CheckRunEnd(RunStatus status);

// The names stored in the database ("waiting_input", "cli", "critical", ...), and back; an
// unknown name is nullopt.
std::string_view Name(RunStatus v);
std::string_view Name(StepRunStatus v);
std::string_view Name(TriggerSource v);
std::string_view Name(Priority v);
std::string_view Name(RetryRequestStatus v);
std::string_view Name(JobState v);
std::string_view Name(LogLevel v);
std::string_view Name(VariableScope v);
std::string_view Name(VariableSource v);
template <typename Enum>
std::optional<Enum> Parse(std::string_view name);

struct SuiteRecord {  // flow_suite
  std::string id;
  std::string node_id;  // unique
  std::string name;
  std::string description;
  Priority default_priority = Priority::kMedium;
  std::vector<std::string> tags;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct VersionRecord {  // flow_version
  std::string id;
  std::string suite_id;
  int version = 0;  // 1, 2, ... per suite
  std::string yaml_raw;
  std::string yaml_hash;  // SHA-256 of yaml_raw, 64 hex characters
  Value effective_variables = Value::object();
  Value compiled_config = Value::object();
  std::string created_by;  // a user id, or "" (the CLI)
  std::int64_t created_at = 0;
};

struct RunRecord {  // flow_run
  std::string id;
  std::string version_id;
  RunStatus status = RunStatus::kQueued;
  TriggerSource trigger_source = TriggerSource::kCli;
  Priority priority = Priority::kMedium;
  std::string requested_by;  // a user id, or "" (the CLI)
  std::int64_t queued_at = 0;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> finished_at;
  std::optional<std::string> queue_job_id;
  Value input_payload = Value::object();
  Value result_summary = Value::object();  // the SuiteOutcome (core/run/outcome_json), once known
  std::optional<std::string> retry_of;     // the run this one retries
  Value checkpoint;                        // the runner state at the last step boundary; null: none
  // Beyond the design: the runs started together (one `flowtest run`, one API request) share a
  // batch id, so a whole invocation can be listed and exported; and the suite, for listings.
  std::string batch_id;
  std::string node_id;     // of the version's suite (read-only: joined when listing)
  std::string suite_name;  // likewise
};

struct StepRunRecord {  // step_run
  std::string id;
  std::string flow_run_id;
  std::int64_t seq = 0;  // order of arrival in the run (children come before their parent)
  int step_index = 0;
  std::string step_name;
  StepRunStatus status = StepRunStatus::kPending;
  Value request_snapshot;   // null: none
  Value response_snapshot;  // null: none
  Value assertions = Value::array();
  Value captures = Value::object();
  Value error_details;  // null: none
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> finished_at;
  double duration_ms = 0;
  int attempt = 1;  // the number of tries it took
  // Beyond the design: where it sits (a step run inside another: iterations, nested and called
  // steps) and the whole outcome (core/run/outcome_json), so reports can be made again from it.
  int depth = 0;
  std::optional<int> iteration;
  std::string parent_step_id;  // the qualified id of the step it ran inside, or ""
  Value outcome;
};

struct StepLogRecord {  // step_log
  std::int64_t id = 0;
  std::string step_run_id;
  LogLevel log_level = LogLevel::kInfo;
  std::string message;
  Value payload;  // null: none
  std::int64_t timestamp = 0;
};

struct VariableSnapshotRecord {  // variable_snapshot
  std::int64_t id = 0;
  std::string flow_run_id;
  std::optional<std::string> step_run_id;
  VariableScope scope = VariableScope::kSuite;
  std::string key;
  Value value;  // masked when the variable is secret
  VariableSource source = VariableSource::kVariable;
  std::int64_t created_at = 0;
};

struct RunEventRecord {  // flow_run_event
  std::string flow_run_id;
  std::int64_t seq = 0;  // 1, 2, ... per run
  std::string type;      // run_started, step_completed, ... (core/report/live_events.hpp)
  Value payload = Value::object();
  std::int64_t created_at = 0;
  // A step's own event (RecordedStep::event) names its step (step_run.seq of the run) and is
  // stored without a payload: the step's row is it. RunStore::ListEvents returns such an event
  // with an empty payload and the step as stored; service::ListRunEvents makes the payload from
  // the step (StepEventPayload), as the live event had it.
  std::optional<std::int64_t> step_seq;
  std::optional<StepRunRecord> step;
};

struct RetryRequestRecord {  // manual_retry_request
  std::string id;
  std::string flow_run_id;
  std::optional<std::string> step_run_id;  // null: the whole run
  std::string requested_by;
  std::string reason;
  RetryRequestStatus status = RetryRequestStatus::kPending;
  std::string resolution_notes;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;
};

struct JobRecord {  // queue_job
  std::string id;
  std::string flow_run_id;
  std::string queue_name = "runs";
  JobState state = JobState::kWaiting;
  int attempts_made = 0;
  int max_attempts = 3;
  std::string last_error;
  Priority priority = Priority::kMedium;
  std::int64_t run_at = 0;  // not before
  std::string lease_owner;  // "" when not leased
  std::optional<std::int64_t> lease_expires_at;
  std::int64_t epoch = 0;  // raised at every claim (fencing token)
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct UserRecord {  // user_account
  std::string id;
  std::string email;  // unique, lower-cased
  std::string name;
  std::string password_hash;  // argon2id (libsodium's crypto_pwhash_str)
  std::vector<std::string> roles;  // admin, operator, viewer
  std::string mfa_secret;          // "" when none
  bool disabled = false;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_login_at;
};

struct RoleRecord {  // role: seeded by the migrations, one row per RBAC role
  std::string name;
  std::string description;
};

// The RBAC roles, most rights first: what migration 0004 seeds into `role`, in the same order
// (the conformance suite checks that the two agree).
const std::vector<RoleRecord>& BuiltInRoles();
// `roles` checked against BuiltInRoles(): kInvalidArgument naming the first unknown one; the
// result has each role once, most rights first.
core::Result<std::vector<std::string>> NormalizeRoles(const std::vector<std::string>& roles);

struct ApiTokenRecord {  // api_token
  std::string id;
  std::string user_id;
  std::string name;
  std::string prefix;  // the visible start of the token
  std::string hash;    // SHA-256 of the whole token, hex
  std::vector<std::string> scopes;
  std::int64_t created_at = 0;  // beyond the design: made by the store when 0, for listings
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

struct AuditRecord {  // audit_log
  std::int64_t id = 0;  // bigserial
  std::string actor_id;  // "" for the system
  std::string action;    // "run.create", "user.disable", ...
  std::string target_type;
  std::string target_id;
  Value metadata = Value::object();
  std::string ip_address;
  std::string user_agent;
  std::int64_t created_at = 0;
};

}  // namespace flow::service
