#include "core/convert/yaml_writer.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>

#include "core/parse/yaml_scalar.hpp"
#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {


// Characters YAML cannot hold as they are (or that readers treat as line breaks / marks).
bool NeedsEscape(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

std::string DoubleQuoted(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    const std::uint32_t cp = DecodeUtf8At(text, i, length);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (NeedsEscape(cp)) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(cp));
          out += buffer;
        } else if (cp == 0xFFFD && length == 1) {
          out += "\xEF\xBF\xBD";  // an invalid byte: the replacement character
        } else {
          out.append(text.substr(i, length));
        }
    }
    i += length;
  }
  out += '"';
  return out;
}

// Plain (unquoted) only for unsurprising text: letters, digits and a few punctuation marks,
// starting with a letter, digit, '_' or '/', and read back by YAML as the same string.
bool IsPlainSafe(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  const auto first = static_cast<unsigned char>(text.front());
  if (!(std::isalnum(first) || first == '_' || first == '/')) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c) || c == '_' || c == '.' || c == '/' || c == '-' || c == '+' || c == '(' ||
        c == ')') {
      continue;
    }
    if (c == ' ' && text[i - 1] != ' ') continue;
    return false;
  }
  // YAML 1.1 readers take these for booleans: quoted, so every tool reads a string.
  const std::string lower = ToLower(text);
  for (const char* word : {"y", "n", "yes", "no", "on", "off"}) {
    if (lower == word) return false;
  }
  const Value typed = ResolvePlainScalar(text);
  return typed.is_string() && typed.get_ref<const std::string&>() == text;
}

// A literal block (`|`) reads back exactly for text of printable lines without a first line
// that starts with a space and without lines made only of spaces.
bool IsBlockSafe(std::string_view text) {
  if (text.find('\n') == std::string_view::npos) return false;
  if (text.front() == ' ' || text.front() == '\t' || text.front() == '\n') return false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    const std::uint32_t cp = DecodeUtf8At(text, i, length);
    if (cp != '\n' && cp != '\t' && NeedsEscape(cp)) return false;
    if (cp == 0xFFFD && length == 1) return false;
    i += length;
  }
  for (const std::string& line : Split(text, '\n')) {
    if (!line.empty() && Trim(line).empty()) return false;
  }
  return true;
}

std::string Indent(int n) { return std::string(static_cast<std::size_t>(n), ' '); }

class Writer {
 public:
  explicit Writer(const YamlWriteOptions& options) : options_(options) {}

  std::string Write(const Value& value) {
    for (const std::string& line : options_.header) Comment(line, 0);
    if (IsBlock(value)) {
      Node(value, 0, "");
    } else {
      out_ += Scalar(value, 0) + "\n";
    }
    return std::move(out_);
  }

 private:
  static bool IsBlock(const Value& value) {
    return (value.is_object() || value.is_array()) && !value.empty();
  }

  void Comment(const std::string& text, int indent) {
    for (const std::string& line : Split(text, '\n')) {
      out_ += Indent(indent) + (line.empty() ? "#" : "# " + line) + "\n";
    }
  }

  // Small maps and lists of scalars on one line (`{type: string}`, `[a, b]`), as people write
  // them, when the line stays short and no comment goes inside.
  static constexpr std::size_t kMaxLine = 100;

  bool HasCommentsInside(const std::string& pointer) const {
    const std::string prefix = pointer + "/";
    const auto it = options_.comments.lower_bound(prefix);
    return it != options_.comments.end() && StartsWith(it->first, prefix);
  }

  static std::optional<std::string> Flow(const Value& value, std::size_t budget) {
    if (!IsBlock(value)) {
      if (value.is_string() &&
          value.get_ref<const std::string&>().find('\n') != std::string::npos) {
        return std::nullopt;
      }
      std::string text = Scalar(value, 0);
      if (text.size() > budget) return std::nullopt;
      return text;
    }
    std::string out = value.is_object() ? "{" : "[";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      if (value.is_object()) out += YamlScalar(it.key()) + ": ";
      if (out.size() >= budget) return std::nullopt;
      std::optional<std::string> item = Flow(it.value(), budget - out.size());
      if (!item) return std::nullopt;
      out += *item;
    }
    out += value.is_object() ? "}" : "]";
    if (out.size() > budget) return std::nullopt;
    return out;
  }

  // The flow form of a block value whose line starts at column `used`, or nullopt.
  std::optional<std::string> FlowFor(const Value& value, std::size_t used,
                                     const std::string& pointer) const {
    if (HasCommentsInside(pointer) || used >= kMaxLine) return std::nullopt;
    // Only maps and lists of scalars, and maps of such lists: deeper nesting reads better as a
    // block.
    int depth = 0;
    for (const Value& item : value) {
      if (IsBlock(item)) {
        depth = 1;
        for (const Value& inner : item) {
          if (IsBlock(inner)) return std::nullopt;
        }
      }
    }
    if (depth > 0 && value.is_array()) return std::nullopt;
    return Flow(value, kMaxLine - used);
  }

  void CommentsFor(const std::string& pointer, int indent) {
    const auto found = options_.comments.find(pointer);
    if (found == options_.comments.end()) return;
    for (const std::string& line : found->second) Comment(line, indent);
  }

  // A non-empty mapping or list whose first line starts at column `indent`.
  void Node(const Value& value, int indent, const std::string& pointer) {
    if (value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        Entry(it.key(), it.value(), indent, JoinPointer(pointer, it.key()));
      }
    } else {
      for (std::size_t i = 0; i < value.size(); ++i)
        Item(value[i], indent, JoinPointer(pointer, i));
    }
  }

  // `key: value`; `inline_first`: the line already holds "- " at indent - 2.
  void Entry(const std::string& key, const Value& value, int indent, const std::string& pointer,
             bool inline_first = false) {
    if (!inline_first) {
      CommentsFor(pointer, indent);
      out_ += Indent(indent);
    }
    out_ += YamlScalar(key) + ":";
    if (IsBlock(value)) {
      const std::size_t used = static_cast<std::size_t>(indent) + YamlScalar(key).size() + 2;
      if (std::optional<std::string> flow = FlowFor(value, used, pointer)) {
        out_ += " " + *flow + "\n";
        return;
      }
      out_ += "\n";
      Node(value, indent + 2, pointer);
    } else {
      out_ += " " + Scalar(value, indent + 2) + "\n";
    }
  }

  void Item(const Value& value, int indent, const std::string& pointer) {
    CommentsFor(pointer, indent);
    if (value.is_object() && !value.empty()) {
      // Comments of the first key go before the "- " line.
      CommentsFor(JoinPointer(pointer, value.begin().key()), indent);
      out_ += Indent(indent) + "- ";
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        Entry(it.key(), it.value(), indent + 2, JoinPointer(pointer, it.key()), first);
        first = false;
      }
    } else if (value.is_array() && !value.empty()) {
      out_ += Indent(indent) + "-\n";
      Node(value, indent + 2, pointer);
    } else {
      out_ += Indent(indent) + "- " + Scalar(value, indent + 2) + "\n";
    }
  }

  // A scalar (or an empty mapping or list) after "key: " or "- "; a literal block's lines are
  // indented to `indent`.
  static std::string Scalar(const Value& value, int indent) {
    if (value.is_object()) return "{}";
    if (value.is_array()) return "[]";
    if (value.is_null()) return "null";
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number()) return DumpJson(value);
    const std::string& text = value.get_ref<const std::string&>();
    if (!IsBlockSafe(text)) return YamlScalar(text);
    std::size_t trailing = 0;
    while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
    std::string out = trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
    const std::string_view body = std::string_view(text).substr(0, text.size() - trailing);
    for (const std::string& line : Split(body, '\n')) {
      out += "\n";
      if (!line.empty()) out += Indent(indent) + line;
    }
    for (std::size_t i = 1; i < trailing; ++i) out += "\n";
    return out;
  }

  const YamlWriteOptions& options_;
  std::string out_;
};

}  // namespace

std::string YamlScalar(const std::string& text) {
  return IsPlainSafe(text) ? text : DoubleQuoted(text);
}

std::string WriteYaml(const Value& value, const YamlWriteOptions& options) {
  return Writer(options).Write(value);
}

}  // namespace flow::core::convert
