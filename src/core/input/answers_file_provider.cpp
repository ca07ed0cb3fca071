#include "core/input/answers_file_provider.hpp"

#include <utility>

#include "core/parse/document.hpp"

namespace flow::core {

Result<AnswersFileProvider> AnswersFileProvider::FromValue(Value answers) {
  if (answers.is_null()) answers = Value::object();
  if (!answers.is_object()) {
    return InvalidArgumentAt(
        "an answers file must be a mapping of variable: value (and "
        "'steps'), got " +
            std::string(TypeName(answers)),
        "", "invalid-answers");
  }
  if (const auto steps = answers.find("steps"); steps != answers.end() && !steps->is_null()) {
    if (!steps->is_object()) {
      return InvalidArgumentAt(
          "'steps' in an answers file must be a mapping of step id: "
          "{variable: value}, got " +
              std::string(TypeName(*steps)),
          "/steps", "invalid-answers");
    }
    for (auto it = steps->begin(); it != steps->end(); ++it) {
      if (!it.value().is_object() && !it.value().is_null()) {
        return InvalidArgumentAt("the answers of step '" + it.key() +
                                     "' must be a mapping of variable: value, got " +
                                     std::string(TypeName(it.value())),
                                 JoinPointer("/steps", it.key()), "invalid-answers");
      }
    }
  }
  return AnswersFileProvider(std::move(answers));
}

const Value* AnswersFileProvider::Find(std::string_view qualified_step_id, std::string_view step_id,
                                       std::string_view variable) const {
  const auto lookup = [&](const Value& map, std::string_view key) -> const Value* {
    if (!map.is_object() || key.empty()) return nullptr;
    const auto found = map.find(std::string(key));
    return found == map.end() ? nullptr : &*found;
  };
  if (const Value* steps = lookup(answers_, "steps")) {
    for (std::string_view id : {qualified_step_id, step_id}) {
      if (const Value* step = lookup(*steps, id)) {
        if (const Value* answer = lookup(*step, variable)) return answer;
      }
    }
  }
  if (variable == "steps") return nullptr;
  return lookup(answers_, variable);
}

Result<std::optional<InputAnswer>> AnswersFileProvider::Ask(const InputRequest& request) {
  // cache_key is "<node_id>::<step id>::<variable>".
  std::string qualified;
  const std::string suffix = "::" + request.variable;
  if (request.cache_key.size() > suffix.size() &&
      request.cache_key.compare(request.cache_key.size() - suffix.size(), suffix.size(), suffix) ==
          0) {
    qualified = request.cache_key.substr(0, request.cache_key.size() - suffix.size());
  }
  const Value* answer = Find(qualified, request.step_id, request.variable);
  if (answer == nullptr) return std::optional<InputAnswer>();
  InputAnswer out;
  out.value = *answer;
  out.used_default = answer->is_null();
  return std::optional<InputAnswer>(std::move(out));
}

Result<AnswersFileProvider> LoadAnswersFile(std::string_view text, std::string file) {
  Result<Document> doc = ParseDocument(text, std::move(file));
  if (!doc) return std::move(doc).error();
  Result<AnswersFileProvider> provider = AnswersFileProvider::FromValue(doc->root);
  if (!provider) {
    Error e = std::move(provider).error();
    e.where = doc->WhereValue(e.pointer);
    return e;
  }
  return provider;
}

}  // namespace flow::core
