// The definitions of the registry: every object kind of a suite and of the config file. What each
// key accepts mirrors its validator (model/suite.cpp and the plans it calls, config/config.cpp);
// schema_conformance_test checks both agree key by key.
#include <utility>

#include "core/model/http.hpp"
#include "core/schema/registry.hpp"

namespace flow::core::schema {
namespace {

using Kind = Type::Kind;
using Types = std::vector<Type>;

// --- value forms --------------------------------------------------------------------------

Type Of(Kind kind) {
  Type type;
  type.kind = kind;
  return type;
}
Type Any() { return Of(Kind::kAny); }
Type Never() { return Of(Kind::kNever); }
Type Null() { return Of(Kind::kNull); }
Type Bool() { return Of(Kind::kBoolean); }
Type Str() { return Of(Kind::kString); }
Type NonEmpty() {
  Type type = Str();
  type.min_length = 1;
  return type;
}
Type Num(std::optional<double> minimum = std::nullopt, std::optional<double> maximum = std::nullopt,
         bool exclusive = false) {
  Type type = Of(Kind::kNumber);
  type.minimum = minimum;
  type.maximum = maximum;
  type.exclusive_minimum = exclusive;
  return type;
}
Type Int(std::optional<double> minimum = std::nullopt, std::optional<double> maximum = std::nullopt) {
  Type type = Num(minimum, maximum);
  type.kind = Kind::kInteger;
  return type;
}
// The config's whole numbers: at most 2^31 - 1.
Type ConfigInt(double minimum, double maximum = 2147483647) { return Int(minimum, maximum); }
Type Enum(std::vector<std::string> values, bool case_insensitive = false) {
  Type type = Str();
  type.enum_values = std::move(values);
  type.case_insensitive = case_insensitive;
  return type;
}
Type Pattern(std::string pattern, std::string text) {
  Type type = Str();
  type.pattern = std::move(pattern);
  type.pattern_text = std::move(text);
  return type;
}
// A "{{…}}" template, rendered when the step runs, standing in for a number or a boolean.
Type Tmpl() {
  Type type = Str();
  type.template_only = true;
  type.pattern = "\\{\\{";
  type.pattern_text = "a {{…}} template";
  return type;
}
// A number written as text: "5", " -1.5 " (what assertion operands accept besides numbers).
Type NumberText() {
  return Pattern("^[ \\t\\n\\r]*-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?[ \\t\\n\\r]*$",
                 "a number written as text");
}
Type NonNegativeNumberText() {
  return Pattern("^[ \\t\\n\\r]*(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?[ \\t\\n\\r]*$",
                 "a number of 0 or more written as text");
}
Type List(Types items = {}, std::size_t min_items = 0) {
  Type type = Of(Kind::kArray);
  type.items = std::move(items);
  type.min_items = min_items;
  return type;
}
Type MapOf(Types values = {}) {
  Type type = Of(Kind::kMap);
  type.values = std::move(values);
  return type;
}
Type Obj(std::string id) {
  Type type = Of(Kind::kObject);
  type.object = std::move(id);
  return type;
}
Type NonEmptyObj(std::string id) {
  Type type = Obj(std::move(id));
  type.min_properties = 1;
  return type;
}
Type ObjWhen(std::string id, std::vector<std::string> keys, bool exact = false) {
  Type type = Obj(std::move(id));
  type.when_keys = std::move(keys);
  type.exact_keys = exact;
  return type;
}

// Forms shared by several keys.
Types Text() { return {Str(), Num(), Bool(), Null()}; }  // read with OptionalString: scalars
Types StringOrList() { return {Str(), List({Str()}), Null()}; }
// A positive timeout in milliseconds: a number or digits in a string.
Types Milliseconds() {
  return {Num(0, std::nullopt, true),
          Pattern("^[ \\t\\n\\r]*[0-9]*[1-9][0-9]*[ \\t\\n\\r]*$", "a positive whole number as text")};
}
Types Condition() { return {Bool(), Str()}; }
Types HookList() { return {List({Obj("hook.action")}), Null()}; }
// retry_on entries: status codes, "5xx", network_error, assertion_failure, or small mappings.
Type RetryWord() {
  return Pattern(
      "^[ \\t\\n\\r]*([0-9][0-9][0-9]|[0-9][xX][xX]|[nN][eE][tT][wW][oO][rR][kK](_[eE][rR][rR][oO][rR][sS]?)?|"
      "[tT][iI][mM][eE][oO][uU][tT]|[cC][oO][nN][nN][eE][cC][tT][iI][oO][nN]_[eE][rR][rR][oO][rR]|"
      "[aA][sS][sS][eE][rR][tT][iI][oO][nN](_[fF][aA][iI][lL][uU][rR][eE][sS]?|[sS])?)[ \\t\\n\\r]*$",
      "a status code (503), a class (\"5xx\"), network_error or assertion_failure");
}
Types RetryOnEntry() { return {Int(100, 599), RetryWord(), Obj("retry.on")}; }
Types InputOptions() {
  return {Str(), List({Null(), Bool(), Num(), Str(), Obj("input.option")}, 1), Null()};
}

// Operands of assertion operators; every operand may also be a template, checked once rendered.
Types AnyOperand() { return {}; }
Types NumberOperand() { return {Num(), NumberText(), Tmpl()}; }
Types NonNegativeOperand() { return {Num(0), NonNegativeNumberText(), Tmpl()}; }
Types BoolOperand() { return {Bool(), Tmpl()}; }
Types ListOperand() { return {List(), Tmpl()}; }

// --- keys ---------------------------------------------------------------------------------

KeySpec K(std::string name, Types types, std::string description) {
  KeySpec key;
  key.name = std::move(name);
  key.types = std::move(types);
  key.description = std::move(description);
  return key;
}
KeySpec Required(std::string name, Types types, std::string description) {
  KeySpec key = K(std::move(name), std::move(types), std::move(description));
  key.required = true;
  return key;
}
KeySpec NoEffect(std::string name, std::string description, std::string hint = {},
                 Types types = {}) {
  KeySpec key = K(std::move(name), std::move(types), std::move(description));
  key.kind = KeyKind::kNoEffect;
  key.hint = std::move(hint);
  return key;
}
KeySpec Unsuggested(KeySpec key) {
  key.suggest = false;
  return key;
}
KeySpec AtSend(KeySpec key) {
  key.checked = CheckedAt::kSend;
  return key;
}

ObjectSpec O(std::string id, std::string noun, std::string description, std::vector<KeySpec> keys,
             std::string example) {
  ObjectSpec object;
  object.id = std::move(id);
  object.noun = std::move(noun);
  object.description = std::move(description);
  object.keys = std::move(keys);
  object.example = std::move(example);
  return object;
}
ObjectSpec Unknown(ObjectSpec object, UnknownKeys unknown, Types values = {}) {
  object.unknown = unknown;
  object.unknown_values = std::move(values);
  return object;
}
ObjectSpec OneOf(ObjectSpec object, std::vector<std::vector<std::string>> groups) {
  object.any_of_required = std::move(groups);
  return object;
}

// --- the suite ------------------------------------------------------------------------------

std::vector<ObjectSpec> SuiteObjects() {
  std::vector<ObjectSpec> objects;
  std::vector<std::string> methods(std::begin(kHttpMethods), std::end(kHttpMethods));

  objects.push_back(O(
      "suite", "suite", "A flowtest suite (the Flow Test Engine format): a named list of steps.",
      {
          Required("suite_name", {NonEmpty()}, "Display name of the suite (the --suite filter)."),
          Required("node_id", {NonEmpty()},
                   "Identifier of the suite: exports are published as {{node_id.name}} (the "
                   "--node filter)."),
          K("description", Text(), "What the suite checks."),
          K("base_url", {Str()}, "Prefix of relative request URLs; interpolated once when the suite starts."),
          K("variables", {MapOf({ObjWhen("variable.secret", {"value", "secret"}, true), Any()}), Null()},
            "Suite variables, interpolated once in the order written; {value, secret: true} masks a value in every output."),
          K("exports", StringOrList(), "Variables published to later suites as {{node_id.name}}."),
          K("exports_optional", StringOrList(), "Like exports, without a warning when never set."),
          K("depends", {List({Str(), Obj("dependency")}), Null()},
            "Suites to run first (node ids, or {node_id | path, required})."),
          K("certificate", {Obj("certificate"), Null()}, "Client certificate and TLS options of every request of the suite."),
          K("metadata", {Obj("suite.metadata"), Null()}, "Priority, tags and other information about the suite."),
          Required("steps", {List({Obj("step")}, 1)}, "The steps, run in order (at least one)."),
          NoEffect("auth", "Accepted for compatibility with the original engine; has no effect."),
          NoEffect("certificates", "Accepted for compatibility; has no effect.",
                   "use 'certificate', or the config's globals.certificates"),
          NoEffect("faker", "Accepted for compatibility; has no effect.", "set faker.locale and faker.seed in the config"),
          NoEffect("priority", "Accepted for compatibility; has no effect.", "write metadata.priority"),
          NoEffect("execution_mode", "Accepted for compatibility; has no effect."),
          NoEffect("project_name", "Accepted for compatibility; has no effect.", "project_name belongs in the config"),
      },
      R"({"suite_name": "S", "node_id": "s", "steps": [{"name": "a", "request": {"method": "GET", "url": "/get"}}]})"));

  objects.push_back(O("variable.secret", "secret variable",
                      "A variable whose value is masked in every output (reports, logs, console).",
                      {
                          Required("value", {}, "The value of the variable (templates allowed)."),
                          Required("secret", {Bool()}, "true: mask the value in every output."),
                      },
                      R"({"value": "s3cr3t", "secret": true})"));

  objects.push_back(OneOf(
      O("dependency", "dependency", "A suite that must run before this one.",
        {
            K("node_id", Text(), "node_id of the suite to run first."),
            K("path", Text(), "File of the suite to run first."),
            K("path_type", {Enum({"relative", "absolute"})},
              "relative (to this file, the default) or absolute (as written)."),
            K("required", {Bool(), Null()}, "true: when the dependency fails or is skipped, this suite is skipped."),
            NoEffect("cache", "Accepted for compatibility; has no effect."),
            NoEffect("condition", "Accepted for compatibility; has no effect."),
            NoEffect("variables", "Accepted for compatibility; has no effect."),
            NoEffect("retry", "Accepted for compatibility; has no effect."),
        },
        R"({"node_id": "auth"})"),
      {{"node_id"}, {"path"}}));

  objects.push_back(Unknown(
      O("suite.metadata", "suite metadata", "Information about the suite; keys of your own are kept (with a warning).",
        {
            K("priority", Text(), "One of the config's priorities.levels; inferred from the name when absent."),
            K("tags", StringOrList(), "Tags for the --tag filter."),
            K("estimated_duration_ms", {Num(), Null()}, "Expected duration, an ordering tie-break (default 500 per step)."),
            K("description", {}, "What the suite checks."),
            NoEffect("timeout", "Accepted for compatibility; has no effect."),
            NoEffect("requires_user_input", "Accepted for compatibility; has no effect."),
        },
        R"({"priority": "high", "tags": ["smoke"]})"),
      UnknownKeys::kWarn));

  objects.push_back(O(
      "certificate", "certificate", "Client certificate (PEM or PKCS#12) and TLS options.",
      {
          K("cert_path", {Str()}, "Client certificate (PEM); needs key_path."),
          K("key_path", {Str()}, "Private key of cert_path (PEM)."),
          K("pfx_path", {Str()}, "Client certificate and key in one PKCS#12 file."),
          K("passphrase", {Str()}, "Passphrase of the key or of the PKCS#12 file."),
          K("ca_path", {Str()}, "CA bundle to trust for the server certificate."),
          K("verify", {Bool(), Str()}, "false: accept any server certificate (default true)."),
          K("min_version", {Str()}, "Lowest TLS version: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3."),
          K("max_version", {Str()}, "Highest TLS version: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3."),
      },
      R"({"ca_path": "certs/ca.pem"})"));

  std::vector<KeySpec> step_keys = {
      Required("name", {NonEmpty()}, "Display name of the step."),
      K("step_id", Text(), "Identifier for --step and for call; default step-<n>-<name>, normalised."),
      K("request", {Obj("request")}, "The HTTP request this step sends."),
      K("assert", {Obj("assert"), Null()}, "Checks on the response: status_code, headers, body, response_time_ms, custom."),
      K("capture", {MapOf({ObjWhen("capture.entry", {"path", "redact"}), Any()}), Null()},
        "Variables taken from the response: name: JMESPath (or a literal, a template, JavaScript)."),
      K("continue_on_failure", {Bool(), Null()}, "true: a failure of this step does not stop the suite."),
      K("metadata", {Obj("step.metadata"), Null()}, "Priority, tags, timeout and retry of the step."),
      K("scenarios", {List({Obj("scenario")}), Null()}, "Branches chosen by conditions: [{condition, then, else}]."),
      K("iterate", {Obj("iterate"), Null()}, "Run the step once per item of a list (over) or number of a range."),
      K("input", {Obj("input"), List({Obj("input")}, 1), Null()}, "Values asked from the user (or an answers file) before the step."),
      K("call", {Obj("call")}, "Run a step of another suite file instead of a request."),
      K("skip", {Bool(), Str(), Obj("skip"), Null()}, "Skip the step: true, a condition, or {when, condition}."),
      K("pre_request", {Obj("step.script"), Null()}, "JavaScript run before the request is sent."),
      K("post_request", {Obj("step.script"), Null()}, "JavaScript run after the response arrives."),
      K("delay", {Num(0), Pattern("^[ \\t\\n\\r]*[0-9]+[ \\t\\n\\r]*$", "digits"), Tmpl(), Obj("delay"), Null()},
        "Milliseconds to wait before the step: a number, a template, or {min, max}."),
      K("condition", {Bool(), Str(), Null()}, "Run the step only when this condition holds."),
      K("skip_condition", {Bool(), Str(), Obj("skip"), Null()}, "Like skip (the original engine's name)."),
      K("retry", {Int(1), Obj("retry"), Null()}, "Try the step again: a number of attempts or {max_attempts, delay_ms, ...}."),
      K("timeout", Milliseconds(), "Request timeout of this step, in milliseconds."),
  };
  for (const char* point : {"pre_input", "post_input", "pre_iteration", "post_iteration",
                            "pre_request", "post_request", "pre_assertion", "post_assertion",
                            "pre_capture", "post_capture", "pre_call", "post_call"}) {
    step_keys.push_back(K(std::string("hooks_") + point, HookList(),
                          std::string("Hook actions run at ") + point + " (compute, capture, validate, log, ...)."));
  }
  step_keys.push_back(K("steps", {Never()}, "Not valid here: nested steps belong in a scenario branch (then.steps)."));
  step_keys.push_back(NoEffect("performance", "Accepted for compatibility; has no effect."));
  step_keys.push_back(NoEffect("assertions", "Accepted for compatibility; has no effect.", "did you mean 'assert'?"));
  step_keys.push_back(NoEffect("depends", "Accepted for compatibility; has no effect.", "dependencies are suite-level: 'depends' at the top of the file"));
  step_keys.push_back(NoEffect("priority", "Accepted for compatibility; has no effect.", "write metadata.priority"));
  objects.push_back(OneOf(O("step", "step", "One step: a request (or an input, a call, scenarios) with its checks and captures.",
                            std::move(step_keys),
                            R"({"name": "a", "request": {"method": "GET", "url": "/get"}})"),
                          {{"request"}, {"input"}, {"call"}, {"scenarios"}}));

  objects.push_back(O(
      "request", "request", "The HTTP request of a step; strings may hold {{templates}}.",
      {
          Required("method", {Enum(methods, true), Tmpl()}, "GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS."),
          Required("url", {Str()}, "Absolute URL, or a path joined to base_url."),
          K("headers", {MapOf(), Null()}, "Request headers: name: value."),
          K("params", {MapOf(), Null()}, "Query parameters appended to the URL."),
          K("body", {}, "The body: a mapping or list is sent as JSON (or form or multipart by Content-Type), a string as written."),
          K("timeout", Milliseconds(), "Timeout of this request, in milliseconds."),
          K("certificate", {Obj("certificate")}, "TLS options of this request, replacing the suite's certificate."),
          K("follow_redirects", {Bool(), Str()}, "false: the 3xx response itself is checked."),
          K("max_redirects", {Int(0), Str()}, "Redirects followed at most."),
          AtSend(K("body_file", {Str()}, "Send the bytes of this file as the body (relative to the suite file).")),
          AtSend(K("body_base64", {Str()}, "Send these base64-encoded bytes as the body.")),
      },
      R"({"method": "GET", "url": "/get"})"));

  objects.push_back(Unknown(
      O("multipart.file", "multipart field", "A file part of a multipart/form-data body.",
        {
            Required("file", {Str()}, "Path of the file to send (relative to the suite file)."),
            K("filename", {Str()}, "File name sent for the part (default: the file's own name)."),
            K("content_type", {Str()}, "Content-Type of the part (default: from the file name)."),
        },
        R"({"file": "data/a.txt"})"),
      UnknownKeys::kReject));
  objects.back().checked = CheckedAt::kSend;
  objects.push_back(O("multipart.value", "multipart field", "A value part of a multipart/form-data body with its own Content-Type.",
                      {
                          Required("value", {}, "The value: a mapping or list is sent as JSON."),
                          K("content_type", {Str()}, "Content-Type of the part."),
                      },
                      R"({"value": {"a": 1}, "content_type": "application/json"})"));
  objects.back().checked = CheckedAt::kSend;

  objects.push_back(Unknown(
      O("step.metadata", "step metadata", "Information about the step; keys of your own are kept (with a warning).",
        {
            K("priority", {}, "Priority of the step (information)."),
            K("tags", {}, "Tags of the step (information)."),
            K("description", {}, "What the step checks."),
            K("timeout", Milliseconds(), "Request timeout of this step, in milliseconds."),
            K("retry", {Int(1), Obj("retry"), Null()}, "Retry of the step (the original engine's place for it)."),
            NoEffect("depends_on", "Accepted for compatibility; has no effect."),
            NoEffect("skip", "Accepted for compatibility; has no effect.", "write 'skip' on the step"),
        },
        R"({"tags": ["write"]})"),
      UnknownKeys::kWarn));

  objects.push_back(OneOf(
      O("iterate", "iterate", "Run the step once per item of a list or per number of a range.",
        {
            K("over", {NonEmpty(), Null()}, "A variable name, a path or a {{…}} expression giving a list."),
            K("range", {Pattern("\\.\\.", "\"A..B\""), Null()}, "\"A..B\": every whole number from A to B (templates allowed)."),
            K("as", {Pattern("^[A-Za-z_][A-Za-z0-9_]*$", "a variable name")}, "Name of the current item (default item)."),
        },
        R"({"over": "users", "as": "user"})"),
      {{"over"}, {"range"}}));

  objects.push_back(OneOf(O("scenario", "scenario", "A branch of a step chosen by a condition.",
                            {
                                K("name", Text(), "Display name of the scenario."),
                                Required("condition", Condition(), "JMESPath over the response and variables (or JavaScript)."),
                                K("then", {Obj("scenario.branch"), Null()}, "What runs when the condition holds."),
                                K("else", {Obj("scenario.branch"), Null()}, "What runs when it does not."),
                                K("description", {}, "What the scenario is for."),
                            },
                            R"({"condition": "status_code == `200`", "then": {"capture": {"id": "body.id"}}})"),
                          {{"then"}, {"else"}}));

  objects.push_back(O("scenario.branch", "scenario branch", "The checks, captures, variables, request or steps of one branch.",
                      {
                          K("assert", {Obj("assert"), Null()}, "Checks on the response."),
                          K("capture", {MapOf({ObjWhen("capture.entry", {"path", "redact"}), Any()}), Null()}, "Variables taken from the response."),
                          K("variables", {MapOf(), Null()}, "Variables set when the branch runs."),
                          K("steps", {List({Obj("step")}), Null()}, "Nested steps, run and reported as children of the step."),
                          K("request", {Obj("request"), Null()}, "A request sent by the branch."),
                      },
                      R"({"capture": {"id": "body.id"}})"));

  objects.push_back(O(
      "retry", "retry", "Try the step again on failure, or poll until a condition holds.",
      {
          K("max_attempts", {Num(1, 100), Tmpl(), Null()}, "Total tries, 1 to 100."),
          K("delay_ms", {Num(0, 3600000), Tmpl(), Null()}, "Milliseconds before the second try."),
          K("backoff", {Num(1, 10), Enum({"fixed", "constant", "none", "exponential", "linear"}), Null()},
            "Multiplier of the delay after each try (1 to 10), or fixed, linear, exponential."),
          K("max_delay_ms", {Num(0, 3600000), Tmpl(), Null()}, "Upper bound of the delay."),
          K("retry_on", {List(RetryOnEntry()), Int(100, 599), RetryWord(), Obj("retry.on"), Null()},
            "Retry only on these: status codes, \"5xx\", network_error, assertion_failure."),
          K("until", {Bool(), Str(), Null()}, "Poll until this condition holds."),
          K("backoff_multiplier", {Num(1, 10), Enum({"fixed", "constant", "none", "exponential", "linear"}), Null()},
            "Like backoff."),
          K("delay", {Num(0, 3600000), Tmpl(), Null()}, "Like delay_ms."),
          K("on_status_codes", {List(RetryOnEntry()), Int(100, 599), RetryWord(), Obj("retry.on"), Null()}, "Like retry_on."),
          K("strategy", {Num(1, 10), Enum({"fixed", "constant", "none", "exponential", "linear"}), Null()},
            "fixed, linear or exponential (or a multiplier)."),
          K("condition", {Bool(), Str(), Null()}, "Retry while this condition holds."),
          K("on_timeout", {}, "true: retry on network errors and timeouts too."),
          K("jitter", {Bool(), Num(0, 3600000), Tmpl(), Null()}, "Random extra wait: true (up to half the delay) or milliseconds."),
          K("jitter_max_ms", {Num(0, 3600000), Tmpl(), Null()}, "Random extra wait of up to this many milliseconds."),
          NoEffect("circuit_breaker", "Accepted for compatibility; has no effect."),
          NoEffect("idempotent", "Accepted for compatibility; has no effect."),
      },
      R"({"max_attempts": 3, "delay_ms": 100})"));

  // The validator reads {timeout: true}, {status_code: N} and {condition: ..., ...}; the schema
  // takes the listed keys only.
  objects.push_back(O("retry.on", "retry_on entry", "A retry_on entry written as a mapping.",
                      {
                          K("status_code", {Int(100, 599), RetryWord()}, "Retry on this status code."),
                          K("condition", Condition(), "Retry while this condition holds."),
                          K("timeout", {Bool()}, "true: retry on network errors and timeouts."),
                      },
                      R"({"status_code": 503})"));

  objects.push_back(O(
      "call", "call", "Run a step of another suite file.",
      {
          Required("test", {NonEmpty()}, "The suite file (relative to this one; templates allowed)."),
          Required("step", {NonEmpty()}, "step_id or name of the step to run."),
          K("variables", {MapOf(), Null()}, "Variables given to the called step."),
          K("alias", {Pattern("^([A-Za-z_][A-Za-z0-9_-]*)?$", "a name"), Bool(), Null()},
            "Name under which the called step's captures are kept ({{alias.name}})."),
          K("isolate_context", {Bool(), Null()}, "false: the called step sees and changes this suite's variables."),
          K("on_error", {Enum({"fail", "continue", "warn"}), Null()}, "What a failure of the called step does: fail, continue or warn."),
          K("path_type", {Enum({"relative", "absolute"}), Null()}, "relative (to this file, the default) or absolute."),
          K("timeout", Milliseconds(), "Timeout of the called step, in milliseconds."),
          K("retry", {Int(1), Obj("retry"), Null()}, "Retry of the call."),
      },
      R"({"test": "other.yaml", "step": "login"})"));

  objects.push_back(OneOf(O("step.script", "step script", "JavaScript run before or after the request.",
                            {
                                K("script", {Str(), Null()}, "The JavaScript code."),
                                K("script_file", {NonEmpty(), Null()}, "A file holding the code (relative to the suite file)."),
                                K("timeout", {Num(1, 600000), Null()}, "CPU budget of the script, 1 to 600000 ms (default 5000)."),
                                K("continue_on_error", {Bool(), Null()}, "true: an error in the script does not fail the step."),
                            },
                            R"({"script": "setVariable('x', 1);"})"),
                          {{"script"}, {"script_file"}}));

  objects.push_back(O("skip", "skip", "A skip condition with the moment it is checked.",
                      {
                          K("when", {Enum({"pre_execution", "post_capture"})},
                            "pre_execution (before the request, the default) or post_capture (after the captures)."),
                          Required("condition", Condition(), "Skip the step when this condition holds."),
                      },
                      R"({"when": "post_capture", "condition": "status_code == `404`"})"));

  objects.push_back(O("delay", "delay", "A random wait before the step.",
                      {
                          Required("min", {Num(0)}, "Fewest milliseconds."),
                          Required("max", {Num(0)}, "Most milliseconds."),
                      },
                      R"({"min": 100, "max": 500})"));

  // Hooks.
  objects.push_back(O(
      "hook.action", "hook action", "One hook action; several kinds in one item run in the order listed here.",
      {
          K("compute", {MapOf()}, "Set variables: name: value (templates and JavaScript allowed)."),
          K("capture", {MapOf({NonEmpty()})}, "Set variables from JMESPath over the hook's context."),
          K("validate", {List({Obj("hook.validate")})}, "Conditions that must hold: [{expression, message, severity}]."),
          K("log", {Obj("hook.log")}, "Write a message to the step's log."),
          K("metric", {Obj("hook.metric")}, "Record a metric."),
          K("script", {NonEmpty()}, "JavaScript to run."),
          K("call", {Obj("hook.call")}, "Run a step of another suite file."),
          K("wait", {Num(0, 3600000), Tmpl(), NumberText()}, "Milliseconds to wait (0 to 3600000)."),
          K("exports", {NonEmpty(), List({NonEmpty()})}, "Variables to publish as exports."),
      },
      R"({"log": {"message": "hello"}})"));
  objects.back().min_properties = 1;
  objects.push_back(O("hook.validate", "hook validate entry", "A condition a hook checks.",
                      {
                          Required("expression", {NonEmpty()}, "JMESPath (or JavaScript) that must be truthy."),
                          K("message", {Str(), Num(), Bool(), Null()}, "Message when it fails."),
                          K("severity", {Enum({"error", "warning", "info"})}, "error (fails the step), warning or info."),
                      },
                      R"({"expression": "status_code == `200`"})"));
  objects.push_back(O("hook.log", "hook log", "A message written to the step's log.",
                      {
                          K("level", {Enum({"debug", "info", "warn", "error"})}, "debug, info, warn or error."),
                          Required("message", {Str(), Num(), Bool(), Null()}, "The message (templates allowed)."),
                          K("metadata", {MapOf(), Null()}, "Fields logged with the message."),
                      },
                      R"({"message": "hello"})"));
  objects.push_back(O("hook.metric", "hook metric", "A metric recorded by a hook.",
                      {
                          Required("name", {NonEmpty()}, "Metric name."),
                          Required("value", {}, "Metric value."),
                          K("tags", {MapOf(), Null()}, "Tags of the metric."),
                          K("timestamp", {Num(), Str(), Null()}, "Unix milliseconds."),
                      },
                      R"({"name": "m", "value": 1})"));
  objects.push_back(O("hook.call", "hook call", "Run a step of another suite file from a hook.",
                      {
                          Required("test", {NonEmpty()}, "The suite file."),
                          Required("step", {NonEmpty()}, "step_id or name of the step."),
                          K("variables", {MapOf(), Null()}, "Variables given to the called step."),
                          K("alias", {Str(), Null()}, "Name under which its captures are kept."),
                          K("isolate_context", {Bool(), Null()}, "false: share this suite's variables."),
                          K("on_error", {Enum({"fail", "continue", "warn"}), Null()}, "fail, continue or warn."),
                          K("path_type", {Enum({"relative", "absolute"}), Null()}, "relative or absolute."),
                          K("timeout", {Num(0), Str(), Null()}, "Timeout in milliseconds."),
                          NoEffect("retry", "Has no effect on a hook call.", "", {}),
                      },
                      R"({"test": "other.yaml", "step": "login"})"));

  // Inputs.
  objects.push_back(O(
      "input", "input", "A value asked from the user (or an answers file, or a CI default) before the step.",
      {
          Required("prompt", {Str()}, "The question shown (templates allowed)."),
          Required("variable", {NonEmpty()}, "The variable the answer is stored in."),
          K("type", {Enum({"text", "password", "number", "email", "url", "select", "confirm", "multiline"}, true)},
            "text, password, number, email, url, select, confirm or multiline."),
          K("default", {}, "The answer when none is given."),
          K("ci_default", {}, "The answer in CI runs (--input-policy auto)."),
          K("required", {Bool(), Null()}, "false: an empty answer is accepted."),
          K("description", {Str()}, "Longer explanation shown with the prompt."),
          K("placeholder", {Str()}, "Example shown in an empty field."),
          K("style", {Enum({"simple", "boxed", "highlighted"})}, "simple, boxed or highlighted."),
          NoEffect("timeout_seconds", "Has no effect: a prompt waits until it is answered.",
                   "use ci_default with --input-policy auto for unattended runs", {Num(0)}),
          K("condition", {Bool(), Str(), Null()}, "Ask only when this condition holds."),
          K("options", InputOptions(), "Choices of a select input: [{value, label}] or an expression giving a list."),
          K("validation", {Obj("input.validation"), Null()}, "Checks on the answer."),
          K("dynamic", {Obj("input.dynamic"), Null()}, "Values computed from the answer."),
          NoEffect("value_path", "Has no effect.", "give 'options' as \"{{list[*].{value: id, label: name}}}\""),
          NoEffect("label_path", "Has no effect.", "give 'options' as \"{{list[*].{value: id, label: name}}}\""),
      },
      R"({"prompt": "Name?", "variable": "name", "default": "x"})"));
  objects.push_back(O("input.option", "option", "One choice of a select input.",
                      {
                          Required("value", {}, "The value stored when chosen."),
                          K("label", {}, "The text shown."),
                      },
                      R"({"value": 1, "label": "one"})"));
  objects.push_back(O(
      "input.validation", "validation", "Checks on an input's answer.",
      {
          K("min_length", {Int(0, 1e9), Null()}, "Fewest characters."),
          K("max_length", {Int(0, 1e9), Null()}, "Most characters."),
          K("pattern", {Str(), Null()}, "Regular expression the answer must match."),
          K("min", {Num(), Str(), Null()}, "Smallest number (or a template)."),
          K("max", {Num(), Str(), Null()}, "Largest number (or a template)."),
          K("options", InputOptions(), "The only answers accepted."),
          K("custom_validation", {Str(), Null()}, "JavaScript that must be truthy (the answer is `value`)."),
          K("expressions", {List({Obj("input.expression")}), Null()}, "Named rules: [{expression, language, message, severity}]."),
      },
      R"({"min_length": 1})"));
  objects.push_back(O(
      "input.expression", "validation expression", "A named rule on an input's answer.",
      {
          K("name", {Str(), Null()}, "Name of the rule."),
          Required("expression", {Str(), Null()}, "The rule (JavaScript by default)."),
          K("language", {Enum({"jmespath", "javascript", "javascript-inline"}, true), Null()}, "javascript (default) or jmespath."),
          K("message", {Str(), Null()}, "Message when the rule fails."),
          K("severity", {Enum({"error", "warning"}), Null()}, "error (the default) or warning."),
          NoEffect("reevaluateOn", "Has no effect."),
      },
      R"({"expression": "value.length > 2"})"));
  objects.push_back(O("input.dynamic", "dynamic", "Variables computed after the input is answered.",
                      {
                          K("computed", {MapOf(), Null()}, "name: template or JavaScript over the answers."),
                          NoEffect("scope", "Has no effect.", "computed values are runtime variables of the suite"),
                          NoEffect("capture", "Has no effect.", "use the step's 'capture'"),
                          NoEffect("reevaluate", "Has no effect."),
                          NoEffect("exports", "Has no effect.", "list the variables in the suite's 'exports'"),
                          NoEffect("persist_to_global", "Has no effect.", "list the variables in the suite's 'exports'"),
                      },
                      R"({"computed": {"upper": "{{$js: name.toUpperCase()}}"}})"));

  // Assertions.
  const Types status = {Num(), NumberText(), Tmpl()};
  ObjectSpec assert_block = O(
      "assert", "assertion target", "Checks on the response.",
      {
          K("status_code", {Num(), NumberText(), Tmpl(), List(status, 1), NonEmptyObj("assert.check")},
            "Expected status: a number, a list (any of), or a map of operators."),
          K("headers", {MapOf({Null(), Bool(), Num(), Str(), List(), Obj("assert.check")})},
            "Response headers (names case-insensitive): a value (equals) or operators."),
          K("body", {}, "The body: a value (equals), operators, or fields (JMESPath paths) holding checks."),
          K("response_time_ms", {Obj("assert.response_time")}, "Bounds on the response time, in milliseconds."),
          K("custom", {List({Obj("assert.custom")})}, "JavaScript conditions: [{name, condition, message}]."),
      },
      R"({"status_code": 200})");
  KeySpec response_time = K("response_time", {Obj("assert.response_time")}, "The original engine's name of response_time_ms.");
  response_time.kind = KeyKind::kDeprecated;
  response_time.hint = "write 'response_time_ms'";
  assert_block.keys.push_back(std::move(response_time));
  assert_block.pattern_keys = {
      {"^body\\..", {}},
      {"^headers\\..", {Null(), Bool(), Num(), Str(), List(), Obj("assert.check")}},
      // Another dotted key is checked as a body path, with a warning (`json.id` -> `body.json.id`).
      {"\\.", {}},
  };
  objects.push_back(std::move(assert_block));

  std::vector<KeySpec> operators = {
      K("equals", AnyOperand(), "Deep equality; a number or boolean equals its text."),
      K("not_equals", AnyOperand(), "The value differs."),
      K("contains", AnyOperand(), "Substring of a string, element of a list or value of a map."),
      K("not_contains", AnyOperand(), "Not contained."),
      K("regex", {Str()}, "The string matches this ECMAScript regular expression."),
      K("pattern", {Str()}, "Like regex."),
      K("type", {Enum({"string", "number", "boolean", "object", "array", "null"}), Tmpl()},
        "string, number, boolean, object, array or null."),
      K("exists", BoolOperand(), "true: the field is present; false: absent."),
      K("greater_than", NumberOperand(), "A number greater than this."),
      K("less_than", NumberOperand(), "A number less than this."),
      K("greater_than_or_equal", NumberOperand(), "A number at least this."),
      K("less_than_or_equal", NumberOperand(), "A number at most this."),
      K("min", NumberOperand(), "A number at least this."),
      K("max", NumberOperand(), "A number at most this."),
      K("in", ListOperand(), "One of these values."),
      K("one_of", ListOperand(), "Like in."),
      K("not_in", ListOperand(), "None of these values."),
      K("length", {Num(), NumberText(), Tmpl(), Obj("assert.length")},
        "Length of a string or list: a number, or {greater_than, less_than, ...}."),
      K("minLength", NonNegativeOperand(), "Length at least this."),
      K("maxLength", NonNegativeOperand(), "Length at most this."),
      K("notEmpty", BoolOperand(), "true: not null, \"\", [] or {}."),
      K("empty", BoolOperand(), "true: null, \"\", [] or {}."),
  };
  objects.push_back(O("assert.check", "operator", "Operators checking one value.", operators,
                      R"({"equals": 1})"));
  objects.back().min_properties = 0;
  std::vector<KeySpec> comparisons;
  for (const char* name : {"equals", "not_equals", "greater_than", "less_than",
                           "greater_than_or_equal", "less_than_or_equal", "min", "max"}) {
    KeySpec key = K(name, NumberOperand(), "Compare the length with this number.");
    comparisons.push_back(std::move(key));
  }
  objects.push_back(O("assert.length", "length comparison", "Comparisons of a length.", comparisons,
                      R"({"greater_than": 0})"));
  objects.back().min_properties = 1;
  std::vector<KeySpec> time_checks;
  for (const char* name : {"greater_than", "less_than", "greater_than_or_equal", "less_than_or_equal",
                           "min", "max"}) {
    time_checks.push_back(K(name, NumberOperand(), "Compare the response time (ms) with this."));
  }
  time_checks.push_back(NoEffect("warning_threshold", "Has no effect: only limits that fail the step are checked.",
                                 "use less_than or max"));
  objects.push_back(O("assert.response_time", "operator", "Bounds on the response time.", time_checks,
                      R"({"less_than": 2000})"));
  objects.back().min_properties = 1;
  objects.push_back(O("assert.custom", "custom assertion", "A JavaScript condition over the response.",
                      {
                          K("name", {Str()}, "Name shown in the results."),
                          Required("condition", {Str()}, "JavaScript that must be truthy (status_code, headers, body, variables)."),
                          K("message", {Str()}, "Message when it fails."),
                      },
                      R"({"name": "ok", "condition": "status_code === 200"})"));

  objects.push_back(O("capture.entry", "capture", "A capture with options.",
                      {
                          Required("path", {Str()}, "What to capture, as a capture string: JMESPath, a template, ..."),
                          K("redact", {Bool()}, "true: mask the captured value in every output."),
                      },
                      R"({"path": "body.token", "redact": true})"));
  return objects;
}

// --- the config file --------------------------------------------------------------------------

ObjectSpec ConfigObject(std::string id, std::string noun, std::string description,
                        std::vector<KeySpec> keys, std::string example) {
  // `key:` with nothing after it keeps the default: every key of the config accepts null.
  for (KeySpec& key : keys) {
    if (!key.types.empty()) key.types.push_back(Null());
  }
  return O(std::move(id), std::move(noun), std::move(description), std::move(keys), std::move(example));
}

std::vector<ObjectSpec> ConfigObjects() {
  std::vector<ObjectSpec> objects;
  const Types dirs = {NonEmpty(), List({NonEmpty()})};
  objects.push_back(ConfigObject(
      "config", "config", "flow-test.config.yml: the project's configuration.",
      {
          K("project_name", {Str()}, "Name in reports and report file names."),
          K("test_directory", {NonEmpty()}, "Where suites are searched when no path is given."),
          Unsuggested(K("test_directories", dirs, "More directories searched (an alias).")),
          Unsuggested(K("testDirectories", dirs, "More directories searched (an alias).")),
          Unsuggested(K("testDirectory", dirs, "More directories searched (an alias).")),
          Unsuggested(K("tests", {Obj("config.tests")}, "More directories searched: {directories}.")),
          K("globals", {Obj("config.globals")}, "Global variables, env files, base URL, certificates."),
          K("discovery", {Obj("config.discovery")}, "Which files are suites."),
          K("priorities", {Obj("config.priorities")}, "Priority levels and fail-fast."),
          K("execution", {Obj("config.execution")}, "Sequential or parallel runs, timeouts, retries."),
          K("reporting", {Obj("config.reporting")}, "Report files."),
          K("interpolation", {Obj("config.interpolation")}, "What an unknown {{variable}} does."),
          K("http", {Obj("config.http")}, "Redirects, TLS verification, User-Agent, cookies."),
          K("javascript", {Obj("config.javascript")}, "The JavaScript sandbox."),
          K("faker", {Obj("config.faker")}, "Faker locale and seed."),
      },
      R"({"project_name": "demo", "test_directory": "tests"})"));
  objects.push_back(ConfigObject("config.tests", "tests", "More test directories.",
                                 {K("directories", dirs, "Directories searched for suites.")},
                                 R"({"directories": ["more"]})"));
  KeySpec timeouts = NoEffect("timeouts", "Has no effect.", "the request timeout is 'execution.timeout'",
                              {Obj("config.timeouts")});
  objects.push_back(ConfigObject(
      "config.globals", "globals", "Values every suite sees.",
      {
          K("variables", {MapOf({ObjWhen("variable.secret", {"value", "secret"}, true), Any()})},
            "Global variables ({{name}} in every suite); {value, secret: true} masks a value in every output."),
          K("env_files", {List({NonEmpty()})}, ".env files loaded in order."),
          K("base_url", {Str()}, "base_url of suites that have none."),
          timeouts,
          K("certificates", {List({Obj("config.certificate")})}, "Client certificates by host."),
          NoEffect("max_scenario_nesting_depth", "Has no effect."),
          NoEffect("use_strategy_pattern", "Has no effect."),
      },
      R"({"variables": {"api_url": "http://localhost"}})"));
  objects.push_back(ConfigObject("config.timeouts", "timeouts", "The original engine's timeouts (no effect).",
                                 {
                                     K("default", {ConfigInt(1)}, "Milliseconds."),
                                     K("slow_tests", {ConfigInt(1)}, "Milliseconds."),
                                 },
                                 R"({"default": 30000})"));
  objects.push_back(ConfigObject(
      "config.certificate", "certificate", "A client certificate used for the hosts it names.",
      {
          K("name", {Str()}, "Name in messages."),
          K("domains", {List({NonEmpty()})}, "Hosts it applies to: api.local, *.example.com."),
          K("cert_path", {Str()}, "Client certificate (PEM)."),
          K("key_path", {Str()}, "Its private key (PEM)."),
          K("pfx_path", {Str()}, "Certificate and key in one PKCS#12 file."),
          K("passphrase", {Str()}, "Passphrase of the key."),
          K("ca_path", {Str()}, "CA bundle to trust."),
          K("verify", {Bool()}, "false: accept any server certificate."),
          K("min_version", {Enum({"TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, true)}, "Lowest TLS version."),
          K("max_version", {Enum({"TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, true)}, "Highest TLS version."),
      },
      R"({"domains": ["api.local"], "ca_path": "ca.pem"})"));
  objects.push_back(ConfigObject("config.discovery", "discovery", "Which files are suites.",
                                 {
                                     K("patterns", {List({NonEmpty()}, 1)}, "Globs of suite files."),
                                     K("exclude", {List({NonEmpty()})}, "Globs never searched."),
                                     K("recursive", {Bool()}, "false: only files directly in the directory."),
                                 },
                                 R"({"patterns": ["**/*.yaml"]})"));
  objects.push_back(ConfigObject("config.priorities", "priorities", "Priority levels and fail-fast.",
                                 {
                                     K("levels", {List({NonEmpty()}, 1)}, "Priority names, most important first."),
                                     K("required", {List({NonEmpty()})}, "Levels whose failure stops the run (with fail_fast_on_required)."),
                                     K("fail_fast_on_required", {Bool()}, "Skip the rest when a required suite fails."),
                                 },
                                 R"({"levels": ["critical", "low"]})"));
  objects.push_back(ConfigObject(
      "config.execution", "execution", "How suites run.",
      {
          K("mode", {Enum({"sequential", "parallel"})}, "sequential or parallel."),
          K("max_parallel", {ConfigInt(1)}, "Suites at a time in parallel mode."),
          K("timeout", {ConfigInt(1)}, "HTTP timeout of each request, in milliseconds."),
          K("continue_on_failure", {Bool()}, "true: no failed step stops its suite."),
          K("retry_failed", {Obj("config.retry_failed")}, "Retry every step that has no retry of its own."),
      },
      R"({"mode": "parallel", "max_parallel": 4})"));
  objects.push_back(ConfigObject("config.retry_failed", "retry_failed", "Retries of failed steps.",
                                 {
                                     K("enabled", {Bool()}, "Turn the retries on."),
                                     K("max_attempts", {ConfigInt(1)}, "Total tries."),
                                     K("delay_ms", {ConfigInt(0)}, "Milliseconds between tries."),
                                 },
                                 R"({"enabled": true})"));
  objects.push_back(ConfigObject(
      "config.reporting", "reporting", "Report files.",
      {
          K("enabled", {Bool()}, "false: write no report file."),
          K("formats", {List({Enum({"json", "html", "qa", "junit"})})}, "json (latest.json); html, qa, junit come later."),
          K("output_dir", {NonEmpty()}, "Where reports go."),
          K("html", {Obj("config.html")}, "HTML report options."),
          NoEffect("aggregate", "Has no effect.", "reports are always aggregated"),
          NoEffect("include_performance_metrics", "Has no effect."),
          NoEffect("include_variables_state", "Has no effect."),
      },
      R"({"formats": ["json"]})"));
  objects.push_back(ConfigObject("config.html", "html", "HTML report options.",
                                 {
                                     K("aggregate", {Bool()}, "One report for the run."),
                                     K("per_suite", {Bool()}, "One report per suite."),
                                     K("output_subdir", {NonEmpty()}, "Subdirectory of the reports."),
                                 },
                                 R"({"aggregate": true})"));
  objects.push_back(ConfigObject("config.interpolation", "interpolation", "Template options.",
                                 {K("unresolved", {Enum({"error", "literal"})},
                                    "An unknown {{variable}}: a step error, or sent as written (literal).")},
                                 R"({"unresolved": "literal"})"));
  objects.push_back(ConfigObject("config.http", "http", "HTTP options.",
                                 {
                                     K("follow_redirects", {Bool()}, "Follow redirects (default true)."),
                                     K("max_redirects", {ConfigInt(0)}, "Redirects followed at most (default 20)."),
                                     K("verify_tls", {Bool()}, "false: accept any server certificate."),
                                     K("user_agent", {Str()}, "User-Agent of requests that set none."),
                                     K("cookies", {Bool()}, "false: no cookie jar."),
                                 },
                                 R"({"follow_redirects": false})"));
  objects.push_back(ConfigObject("config.javascript", "javascript", "The JavaScript sandbox.",
                                 {
                                     K("enabled", {Bool()}, "false: refuse suites that use JavaScript or faker."),
                                     K("cpu_ms", {ConfigInt(1, 600000)}, "CPU budget of one evaluation, ms."),
                                     K("memory_mb", {ConfigInt(8, 1024)}, "Memory one evaluation may add, MB."),
                                     K("max_helpers", {ConfigInt(0, 64)}, "Sandbox helper processes at most."),
                                 },
                                 R"({"enabled": false})"));
  objects.push_back(ConfigObject("config.faker", "faker", "Faker data.",
                                 {
                                     K("locale", {Enum({"en", "pt_BR"})}, "en or pt_BR."),
                                     K("seed", {ConfigInt(0)}, "Start faker from this seed in every suite."),
                                 },
                                 R"({"seed": 42})"));
  return objects;
}

}  // namespace

const Registry& Format() {
  static const Registry registry = [] {
    std::vector<ObjectSpec> objects = SuiteObjects();
    for (ObjectSpec& object : ConfigObjects()) objects.push_back(std::move(object));
    return Registry(std::move(objects));
  }();
  return registry;
}

}  // namespace flow::core::schema
