#include "core/parse/document.hpp"

#include <exception>
#include <new>
#include <utility>

#include "core/parse/json_loader.hpp"
#include "core/parse/yaml_loader.hpp"
#include "core/util/strings.hpp"

namespace flow::core {

SourceSpan Document::WhereValue(std::string_view pointer) const {
  std::string current(pointer);
  while (true) {
    const auto found = value_spans.find(current);
    if (found != value_spans.end()) return found->second;
    if (current.empty()) return SourceSpan{.file = file};
    const std::size_t slash = current.rfind('/');
    current.resize(slash == std::string::npos ? 0 : slash);
  }
}

SourceSpan Document::WhereKey(std::string_view pointer) const {
  const auto found = key_spans.find(std::string(pointer));
  if (found != key_spans.end()) return found->second;
  return WhereValue(pointer);
}

Result<Document> ParseDocument(std::string_view text, std::string file) {
  if (text.size() > kMaxDocumentBytes) {
    Error error = InvalidArgument(
        "the file is larger than " + std::to_string(kMaxDocumentBytes / (1024 * 1024)) + " MiB",
        "split it into smaller suites");
    error.reason = "too-large";
    error.where = SourceSpan{.file = file};
    return error;
  }
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (StartsWith(text, kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  const bool json = EndsWith(ToLower(file), ".json");
  try {
    return json ? LoadJsonDocument(text, std::move(file)) : LoadYamlDocument(text, std::move(file));
  } catch (const std::bad_alloc&) {
    // The loaders catch their own failures; only building the result can still run out.
    Error error = InvalidArgument("out of memory while loading the file");
    error.reason = "too-large";
    return error;
  } catch (const std::exception& exception) {
    return InvalidArgument(std::string("cannot load the file: ") + exception.what());
  }
}

}  // namespace flow::core
