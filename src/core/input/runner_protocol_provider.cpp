#include "core/input/runner_protocol_provider.hpp"

#include <utility>

namespace flow::core {

Value RunnerProtocolProvider::RequestEvent(const InputRequest& request) {
  Value r = Value::object();
  r["variable"] = request.variable;
  r["prompt"] = request.prompt;
  r["required"] = request.required;
  r["masked"] = request.masked;
  r["input_type"] = request.type;
  if (!request.default_value.is_null()) r["default"] = request.default_value;
  if (request.type == "select") {
    Value options = Value::array();
    for (const InputOption& option : request.options) {
      options.push_back(Value{{"value", option.value}, {"label", option.label}});
    }
    r["options"] = std::move(options);
  }
  r["suite_name"] = request.suite_name;
  r["suite_path"] = request.suite_path;
  r["step_name"] = request.step_name;
  r["step_id"] = request.step_id;
  r["step_index"] = request.step_index;
  r["cache_key"] = request.cache_key;
  Value event = Value::object();
  event["type"] = "request";
  event["request"] = std::move(r);
  return event;
}

Result<std::optional<InputAnswer>> RunnerProtocolProvider::Ask(const InputRequest& request) {
  out_ << kRunnerInputMarker << DumpJson(RequestEvent(request)) << '\n';
  out_.flush();
  if (!out_) return Unavailable("could not write the input request to the runner (stdout closed)");
  std::string line;
  if (!std::getline(in_, line)) {
    return Unavailable("the runner closed its input (stdin) before answering '" + request.variable +
                       "'");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  InputAnswer answer;
  if (line.empty()) {
    answer.used_default = true;
    return std::optional<InputAnswer>(std::move(answer));
  }
  if (line.front() == '{') {
    Value parsed = Value::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.contains("value")) {
      answer.value = parsed["value"];
      answer.used_default = answer.value.is_null();
      return std::optional<InputAnswer>(std::move(answer));
    }
  }
  answer.value = std::move(line);
  return std::optional<InputAnswer>(std::move(answer));
}

}  // namespace flow::core
