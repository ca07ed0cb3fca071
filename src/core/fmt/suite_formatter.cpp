#include "core/fmt/suite_formatter.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/parse/document.hpp"
#include "core/parse/yaml_scalar.hpp"
#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

constexpr std::size_t kMaxLineWidth = 100;
constexpr std::string_view kRefused = "fmt-refused";

Error Refuse(const std::string& file, int line, int column, std::string message,
             std::string hint = {}) {
  Error error = InvalidArgument(std::move(message), std::move(hint));
  error.reason = std::string(kRefused);
  error.where = SourceSpan{.file = file, .line = line, .column = column, .length = 1};
  return error;
}

std::string Spaces(std::size_t count) { return std::string(count, ' '); }

bool IsBlankChar(char c) { return c == ' ' || c == '\t'; }

// --- canonical key order ---------------------------------------------------------------

// Which ObjectSpec each mapping of the document is (by JSON pointer), from the registry.
class Shapes {
 public:
  Shapes(const Value& root, FormatRoot kind) {
    const schema::Type type = [&] {
      schema::Type t;
      t.kind = schema::Type::Kind::kObject;
      t.object = kind == FormatRoot::kConfig ? "config" : "suite";
      return t;
    }();
    Walk(root, "", {type});
  }

  // The ObjectSpec id of the mapping at `pointer`, or "".
  std::string IdAt(const std::string& pointer) const {
    const auto found = specs_.find(pointer);
    return found == specs_.end() ? std::string() : found->second->id;
  }

  // Keys of the mapping at `pointer`: the registry's in its order, then the others as written.
  std::vector<std::string> Ordered(const Value& map, const std::string& pointer) const {
    std::vector<std::string> keys;
    const auto found = specs_.find(pointer);
    if (found != specs_.end()) {
      for (const schema::KeySpec& key : found->second->keys) {
        if (map.contains(key.name)) keys.push_back(key.name);
      }
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
    }
    return keys;
  }

 private:
  void Walk(const Value& value, const std::string& pointer, const std::vector<schema::Type>& types) {
    const schema::Type* type = schema::MatchType(types, value);
    if (type == nullptr) return;
    switch (type->kind) {
      case schema::Type::Kind::kObject: {
        const schema::ObjectSpec& spec = schema::Object(type->object);
        specs_[pointer] = &spec;
        for (auto it = value.begin(); it != value.end(); ++it) {
          const std::string child = JoinPointer(pointer, it.key());
          if (const schema::KeySpec* key = spec.FindKey(it.key())) {
            Walk(it.value(), child, key->types);
          } else if (spec.unknown == schema::UnknownKeys::kAllow) {
            Walk(it.value(), child, spec.unknown_values);
          }
        }
        break;
      }
      case schema::Type::Kind::kArray:
        for (std::size_t i = 0; i < value.size(); ++i) Walk(value[i], JoinPointer(pointer, i), type->items);
        break;
      case schema::Type::Kind::kMap:
        for (auto it = value.begin(); it != value.end(); ++it) {
          Walk(it.value(), JoinPointer(pointer, it.key()), type->values);
        }
        break;
      default:
        break;
    }
  }

  std::unordered_map<std::string, const schema::ObjectSpec*> specs_;
};

// --- scalars -----------------------------------------------------------------------------

bool IsYaml11Boolean(std::string_view text) {
  const std::string lower = ToLower(text);
  return lower == "yes" || lower == "no" || lower == "on" || lower == "off";
}

// Whether `text` holds a byte YAML would not keep as written in a plain or literal scalar.
bool HasSpecialCharacter(std::string_view text, bool allow_newline_and_tab) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c == '\n' || c == '\t') && allow_newline_and_tab) continue;
    if (c < 0x20 || c == 0x7F) return true;
    // U+0085, U+2028, U+2029 (line breaks for YAML) and U+FEFF (a byte order mark).
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) return true;
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0xA8 || static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      return true;
    }
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBB &&
        static_cast<unsigned char>(text[i + 2]) == 0xBF) {
      return true;
    }
  }
  return false;
}

// A string that reads back as itself, unquoted, in any YAML reader (1.1 included), in block
// context or (with `flow`) inside [ ] and { }.
bool IsPlainSafe(std::string_view text, bool flow) {
  if (text.empty() || text.find("{{") != std::string_view::npos) return false;
  if (IsBlankChar(text.front()) || IsBlankChar(text.back())) return false;
  if (HasSpecialCharacter(text, false) || text.find('\t') != std::string_view::npos) return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos) return false;
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos ||
      text.back() == ':') {
    return false;
  }
  if (flow && text.find_first_of(",[]{}") != std::string_view::npos) return false;
  if (text == "<<" || StartsWith(text, "---") || StartsWith(text, "...")) return false;
  if (IsYaml11Boolean(text)) return false;
  // Dates are timestamps for some readers.
  if (text.size() >= 10 && std::isdigit(static_cast<unsigned char>(text[0])) && text[4] == '-') return false;
  const Value typed = ResolvePlainScalar(text);
  return typed.is_string() && typed.get_ref<const std::string&>() == text;
}

std::string DoubleQuoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\r':
        out += "\\r";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) {
      out += "\\N";
      ++i;
    } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\L" : "\\P";
      i += 2;
    } else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBB &&
               static_cast<unsigned char>(text[i + 2]) == 0xBF) {
      out += "\\uFEFF";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string ScalarText(const Value& value, bool flow) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    return IsPlainSafe(text, flow) ? text : DoubleQuoted(text);
  }
  if (value.is_null()) return "null";
  return DumpJson(value);  // booleans and numbers: true, 42, 1.5, 1e+20
}

// A key in a block mapping, or (`flow`) inside { }.
std::string KeyText(const std::string& key, bool flow) {
  return IsPlainSafe(key, flow) ? key : DoubleQuoted(key);
}

// A multi-line string written as a `|` literal block: the header ("|", "|-", "|+", with an
// indentation digit when the first line starts with a space) and its lines; nullopt when the
// string cannot be one (control characters, lines of blanks only, no line break).
struct Literal {
  std::string header;
  std::vector<std::string> lines;
};
std::optional<Literal> AsLiteral(const std::string& text) {
  if (text.find('\n') == std::string::npos || HasSpecialCharacter(text, true)) return std::nullopt;
  std::size_t trailing = 0;
  while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
  const std::string body = text.substr(0, text.size() - trailing);
  if (body.empty()) return std::nullopt;
  Literal literal;
  literal.lines = Split(body, '\n');
  for (const std::string& line : literal.lines) {
    if (!line.empty() && line.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
    if (!line.empty() && line.front() == '\t') return std::nullopt;
  }
  literal.header = "|";
  if (literal.lines.front().empty() || literal.lines.front().front() == ' ') literal.header += "2";
  literal.header += trailing == 0 ? "-" : trailing == 1 ? "" : "+";
  for (std::size_t i = 1; i < trailing; ++i) literal.lines.emplace_back();
  return literal;
}

bool IsCollection(const Value& value) { return value.is_object() || value.is_array(); }

// --- source positions ----------------------------------------------------------------------

class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  std::size_t Offset(int line, int column) const {
    if (line < 1 || static_cast<std::size_t>(line) > starts_.size()) return text_.size();
    return std::min(starts_[line - 1] + static_cast<std::size_t>(std::max(column, 1) - 1), text_.size());
  }
  int LineOf(std::size_t offset) const {
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
  }
  std::size_t Start(int line) const { return starts_[line - 1]; }
  int ColumnOf(std::size_t offset) const { return static_cast<int>(offset - Start(LineOf(offset))) + 1; }
  int Count() const { return static_cast<int>(starts_.size()); }
  std::string_view Text(int line) const {
    const std::size_t start = Start(line);
    const std::size_t end = line < Count() ? starts_[line] - 1 : text_.size();
    return text_.substr(start, end - start);
  }
  bool IsBlank(int line) const {
    if (line < 1 || line > Count()) return false;
    return Text(line).find_first_not_of(" \t\r") == std::string_view::npos;
  }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// Where a node of the document starts: its value, or the key of a mapping member.
struct NodeStart {
  std::size_t offset = 0;
  std::string pointer;
  bool key = false;
};

struct Comment {
  std::size_t offset = 0;  // of the '#'
  int line = 0;
  bool full_line = false;
  std::string text;  // from '#' to the end of the line, trailing blanks removed
};

// The comments of a YAML text, and what fmt must know about its syntax beyond the Document:
// flow collections, anchors, aliases, merge keys. Quoted and block scalars are skipped, so a
// '#' inside them is no comment; node starts come from the Document's spans.
struct Scan {
  std::vector<Comment> comments;
  std::vector<std::pair<std::size_t, std::size_t>> flows;  // outermost [ ] and { }: open, close
  std::optional<Error> refusal;
  std::optional<int> document_marker_line;  // a leading `---`
};

class Scanner {
 public:
  Scanner(std::string_view text, const std::string& file, const Lines& lines,
          const std::unordered_set<std::size_t>& starts)
      : text_(text), file_(file), lines_(lines), starts_(starts) {}

  Scan Run() {
    std::size_t i = 0;
    const std::size_t n = text_.size();
    int depth = 0;
    std::size_t flow_open = 0;
    bool seen_node = false;
    while (i < n && !scan_.refusal) {
      const char c = text_[i];
      if (c == '\n' || c == '\r') {
        ++i;
        continue;
      }
      if (!seen_node && depth == 0 && (i == 0 || text_[i - 1] == '\n') && text_.compare(i, 3, "---") == 0 &&
          (i + 3 == n || std::string_view(" \t\r\n").find(text_[i + 3]) != std::string_view::npos)) {
        scan_.document_marker_line = lines_.LineOf(i);
        i += 3;
        continue;
      }
      if (starts_.count(i) != 0) {
        seen_node = true;
        std::size_t j = SkipProperties(i);
        if (scan_.refusal) break;
        if (j < n && text_[j] == '*') {
          RefuseSyntax(j, "an alias ('*')");
          break;
        }
        if (j < n && text_[j] == '"') {
          i = SkipDoubleQuoted(j);
          continue;
        }
        if (j < n && text_[j] == '\'') {
          i = SkipSingleQuoted(j);
          continue;
        }
        if (j < n && depth == 0 && (text_[j] == '|' || text_[j] == '>')) {
          i = SkipBlockScalar(j);
          continue;
        }
        if (j < n && (text_[j] == '[' || text_[j] == '{')) {
          if (depth == 0) flow_open = j;
          ++depth;
          i = j + 1;
          continue;
        }
        if (j < n && text_[j] == '<' && IsMergeKey(j)) {
          RefuseSyntax(j, "a merge key ('<<')");
          break;
        }
        i = std::max(j, i + 1);
        continue;
      }
      if (c == '#' && (i == 0 || IsBlankChar(text_[i - 1]) || text_[i - 1] == '\n')) {
        i = AddComment(i);
        continue;
      }
      if (depth > 0 && (c == '[' || c == '{')) {
        ++depth;
      } else if (depth > 0 && (c == ']' || c == '}')) {
        if (--depth == 0) scan_.flows.emplace_back(flow_open, i);
      } else if (c == '<' && IsMergeKey(i)) {
        RefuseSyntax(i, "a merge key ('<<')");
        break;
      }
      ++i;
    }
    return std::move(scan_);
  }

 private:
  void RefuseSyntax(std::size_t offset, const std::string& what) {
    scan_.refusal = Refuse(file_, lines_.LineOf(offset), lines_.ColumnOf(offset),
                           "fmt does not rewrite files with anchors, aliases or merge keys: found " + what,
                           "written out, every alias would become a copy; format this file by hand");
  }

  std::size_t SkipProperties(std::size_t i) {
    const std::size_t n = text_.size();
    while (i < n && (text_[i] == '&' || text_[i] == '!')) {
      if (text_[i] == '&') {
        RefuseSyntax(i, "an anchor ('&')");
        return i;
      }
      while (i < n && std::string_view(" \t\r\n").find(text_[i]) == std::string_view::npos) ++i;
      while (i < n && IsBlankChar(text_[i])) ++i;
    }
    return i;
  }

  std::size_t SkipDoubleQuoted(std::size_t i) const {
    for (std::size_t k = i + 1; k < text_.size(); ++k) {
      if (text_[k] == '\\') {
        ++k;
      } else if (text_[k] == '"') {
        return k + 1;
      }
    }
    return text_.size();
  }

  std::size_t SkipSingleQuoted(std::size_t i) const {
    for (std::size_t k = i + 1; k < text_.size(); ++k) {
      if (text_[k] != '\'') continue;
      if (k + 1 < text_.size() && text_[k + 1] == '\'') {
        ++k;
      } else {
        return k + 1;
      }
    }
    return text_.size();
  }

  // A `|` or `>` block scalar: a comment may follow the indicator; the content is every line
  // indented at least as much as its first non-blank line (or blank).
  std::size_t SkipBlockScalar(std::size_t i) {
    const std::size_t n = text_.size();
    std::size_t k = i + 1;
    while (k < n && std::string_view("+-0123456789").find(text_[k]) != std::string_view::npos) ++k;
    while (k < n && IsBlankChar(text_[k])) ++k;
    if (k < n && text_[k] == '#') k = AddComment(k);
    while (k < n && text_[k] != '\n') ++k;
    if (k >= n) return n;
    const int first = lines_.LineOf(k + 1);
    std::size_t indent = 0;
    for (int line = first; line <= lines_.Count(); ++line) {
      if (lines_.IsBlank(line)) continue;
      const std::string_view t = lines_.Text(line);
      indent = t.find_first_not_of(' ');
      break;
    }
    int line = first;
    for (; line <= lines_.Count(); ++line) {
      if (lines_.IsBlank(line)) continue;
      const std::string_view t = lines_.Text(line);
      if (t.find_first_not_of(' ') < indent || indent == 0) break;
    }
    return line > lines_.Count() ? n : lines_.Start(line);
  }

  std::size_t AddComment(std::size_t i) {
    std::size_t end = i;
    while (end < text_.size() && text_[end] != '\n') ++end;
    Comment comment;
    comment.offset = i;
    comment.line = lines_.LineOf(i);
    const std::size_t line_start = lines_.Start(comment.line);
    comment.full_line = text_.substr(line_start, i - line_start).find_first_not_of(" \t") ==
                        std::string_view::npos;
    std::string_view body = text_.substr(i, end - i);
    while (!body.empty() && (IsBlankChar(body.back()) || body.back() == '\r')) body.remove_suffix(1);
    comment.text = std::string(body);
    scan_.comments.push_back(std::move(comment));
    return end;
  }

  // `<<` in key position: at the start of the line (after indentation and list dashes) or after
  // `{` / `,`, followed by blanks and ':'.
  bool IsMergeKey(std::size_t i) const {
    if (text_.compare(i, 2, "<<") != 0) return false;
    std::size_t after = i + 2;
    while (after < text_.size() && IsBlankChar(text_[after])) ++after;
    if (after >= text_.size() || text_[after] != ':') return false;
    std::size_t before = i;
    while (before > 0 && IsBlankChar(text_[before - 1])) --before;
    return before == 0 || std::string_view("\n-{,?").find(text_[before - 1]) != std::string_view::npos;
  }

  std::string_view text_;
  const std::string& file_;
  const Lines& lines_;
  const std::unordered_set<std::size_t>& starts_;
  Scan scan_;
};

// --- comment placement ---------------------------------------------------------------------

struct Placement {
  std::vector<std::string> header;
  bool blank_after_header = false;
  std::string document_marker;  // "---" when the file had one
  std::vector<std::string> footer;
  bool blank_before_footer = false;
  std::unordered_map<std::string, std::vector<std::string>> before;  // by entry pointer
  std::unordered_map<std::string, std::string> trailing;
  std::unordered_set<std::string> blank_before;
};

class Placer {
 public:
  Placer(const Document& doc, const Lines& lines, std::vector<NodeStart> nodes,
         std::unordered_map<std::string, const Value*> values, const Scan& scan)
      : doc_(doc), lines_(lines), nodes_(std::move(nodes)), values_(std::move(values)), scan_(scan) {
    std::stable_sort(nodes_.begin(), nodes_.end(),
                     [](const NodeStart& a, const NodeStart& b) { return a.offset < b.offset; });
  }

  Result<Placement> Run(const Value& root) {
    Placement out;
    if (scan_.document_marker_line) out.document_marker = "---";
    const std::size_t first_node = nodes_.empty() ? doc_.text.size() : nodes_.front().offset;
    const int first_line = lines_.LineOf(first_node);
    first_node_line_ = first_line;
    // The top: comments before the last blank line above the first node are the file's header;
    // those right above it travel with the first key.
    int last_blank = 0;
    for (int line = 1; line < first_line; ++line) {
      if (lines_.IsBlank(line)) last_blank = line;
    }
    for (const Comment& c : scan_.comments) {
      const bool on_marker = scan_.document_marker_line && c.line == *scan_.document_marker_line;
      if (c.offset < first_node && (c.line < last_blank || on_marker ||
                                    StartsWith(c.text, "# yaml-language-server:") || nodes_.empty())) {
        out.header.push_back(c.text);
        continue;
      }
      if (c.full_line) {
        FLOW_TRY_VOID(PlaceFullLine(c, out));
      } else {
        FLOW_TRY_VOID(PlaceTrailing(c, out));
      }
    }
    out.blank_after_header = !out.header.empty();
    if (!out.footer.empty() && !nodes_.empty()) {
      // A blank line between the last content and the footer is kept.
      const int footer_line = footer_first_line_;
      out.blank_before_footer = lines_.IsBlank(footer_line - 1);
    }
    MarkBlankLines(root, "", out);
    return out;
  }

 private:
  Error RefuseComment(const Comment& c, const std::string& why, const std::string& hint) const {
    return Refuse(doc_.file, c.line, lines_.ColumnOf(c.offset), "fmt cannot keep the comment here: " + why,
                  hint);
  }

  bool IsItem(const std::string& pointer) const {
    const std::size_t slash = pointer.rfind('/');
    if (slash == std::string::npos) return false;
    const Value* parent = Resolve(pointer.substr(0, slash));
    return parent != nullptr && parent->is_array();
  }

  const Value* Resolve(const std::string& pointer) const {
    const auto found = values_.find(pointer);
    return found == values_.end() ? nullptr : found->second;
  }

  bool IsFlow(const std::string& pointer) const {
    const auto span = doc_.value_spans.find(pointer);
    if (span == doc_.value_spans.end()) return false;
    const std::size_t offset = lines_.Offset(span->second.line, span->second.column);
    return offset < doc_.text.size() && (doc_.text[offset] == '[' || doc_.text[offset] == '{');
  }

  std::optional<std::pair<std::size_t, std::size_t>> FlowAround(std::size_t offset) const {
    for (const auto& range : scan_.flows) {
      if (range.first <= offset && offset <= range.second) return range;
    }
    return std::nullopt;
  }

  Result<void> PlaceFullLine(const Comment& c, Placement& out) {
    if (FlowAround(c.offset)) {
      return RefuseComment(c, "it is inside a flow collection ([...] or {...})",
                           "move it above the key, or write the collection in block style");
    }
    const auto next = std::upper_bound(nodes_.begin(), nodes_.end(), c.offset,
                                       [](std::size_t o, const NodeStart& n) { return o < n.offset; });
    if (next == nodes_.end()) {
      if (out.footer.empty()) footer_first_line_ = c.line;
      out.footer.push_back(c.text);
      return Ok();
    }
    const std::size_t offset = next->offset;
    std::optional<std::string> item, key;
    std::vector<std::string> values;
    for (auto it = next; it != nodes_.end() && it->offset == offset; ++it) {
      if (it->key) {
        if (!key || it->pointer.size() > key->size()) key = it->pointer;
      } else if (IsItem(it->pointer)) {
        if (!item || it->pointer.size() < item->size()) item = it->pointer;
      } else {
        values.push_back(it->pointer);
      }
    }
    std::string entry;
    if (item) {
      entry = *item;
    } else if (key) {
      entry = *key;
    } else {
      // The value of a key, on a later line: a block list's first item carries the comment;
      // before a scalar or a flow collection there is no place for it.
      const Value* value = values.empty() ? nullptr : Resolve(values.front());
      if (value == nullptr || !value->is_array() || value->empty() || IsFlow(values.front())) {
        return RefuseComment(c, "it is between a key and its value", "move it above the key");
      }
      entry = JoinPointer(values.front(), 0);
    }
    out.before[entry].push_back(c.text);
    first_comment_line_.emplace(entry, c.line);
    return Ok();
  }

  Result<void> PlaceTrailing(const Comment& c, Placement& out) {
    if (FlowAround(c.offset)) {
      return RefuseComment(c, "it is inside a flow collection ([...] or {...})",
                           "move it above the key, or write the collection in block style");
    }
    const std::size_t line_start = lines_.Start(c.line);
    const NodeStart* last = nullptr;
    for (const NodeStart& node : nodes_) {
      if (node.offset < line_start || node.offset >= c.offset) continue;
      if (last == nullptr || node.offset > last->offset ||
          (node.offset == last->offset && node.pointer.size() > last->pointer.size())) {
        last = &node;
      }
    }
    if (last == nullptr) {
      return RefuseComment(c, "it is not on the line of a key or a list item (after a value written over several lines?)",
                           "move it above the key");
    }
    std::string entry = last->pointer;
    if (const auto flow = FlowAround(last->offset)) {
      // After a flow collection: the collection's own key (or item) carries the comment.
      for (const NodeStart& node : nodes_) {
        if (!node.key && node.offset == flow->first) {
          entry = node.pointer;
          break;
        }
      }
    }
    const Value* value = Resolve(entry);
    if (entry.empty() || value == nullptr ||
        (IsItem(entry) && IsCollection(*value) && !value->empty() && !IsFlow(entry) && !last->key)) {
      return RefuseComment(c, "it follows a list dash with nothing else on its line", "move it above the item");
    }
    if (out.trailing.count(entry) != 0) {
      return RefuseComment(c, "its key already has a comment on its line", "move it above the key");
    }
    out.trailing[entry] = c.text;
    return Ok();
  }

  // An entry (a member or an item) gets a blank line before it when the source had one just
  // above its first line (its first comment, or the line of its key or dash).
  void MarkBlankLines(const Value& value, const std::string& pointer, Placement& out) {
    if (value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string child = JoinPointer(pointer, it.key());
        const auto key = doc_.key_spans.find(child);
        if (key != doc_.key_spans.end()) Mark(child, key->second.line, out);
        MarkBlankLines(it.value(), child, out);
      }
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string child = JoinPointer(pointer, i);
        const auto span = doc_.value_spans.find(child);
        if (span != doc_.value_spans.end()) Mark(child, span->second.line, out);
        MarkBlankLines(value[i], child, out);
      }
    }
  }

  void Mark(const std::string& entry, int line, Placement& out) {
    if (const auto first = first_comment_line_.find(entry); first != first_comment_line_.end()) {
      line = std::min(line, first->second);
    }
    // The blank line under the file's header stays there, with the header.
    if (line > first_node_line_ && lines_.IsBlank(line - 1)) out.blank_before.insert(entry);
  }

  const Document& doc_;
  const Lines& lines_;
  std::vector<NodeStart> nodes_;
  std::unordered_map<std::string, const Value*> values_;  // every node, by pointer
  const Scan& scan_;
  std::unordered_map<std::string, int> first_comment_line_;  // by entry pointer
  int footer_first_line_ = 0;
  int first_node_line_ = 0;
};

// --- YAML output ---------------------------------------------------------------------------

class YamlWriter {
 public:
  YamlWriter(const Document& doc, const Lines& lines, const Shapes& shapes, const Placement& placement)
      : doc_(doc), lines_(lines), shapes_(shapes), placement_(placement) {}

  std::string Write() {
    for (const std::string& line : placement_.header) out_ += line + "\n";
    if (placement_.blank_after_header && (doc_.root.is_object() || doc_.root.is_array())) out_ += "\n";
    if (!placement_.document_marker.empty()) out_ += placement_.document_marker + "\n";
    const Value& root = doc_.root;
    if (root.is_object() && !root.empty()) {
      Mapping(root, "", 0, "", false);
    } else if (root.is_array() && !root.empty()) {
      Sequence(root, "", 0, "");
    } else if (!root.is_null()) {
      out_ += ScalarText(root, false) + "\n";
    }
    if (!placement_.footer.empty()) {
      if (placement_.blank_before_footer && !out_.empty()) out_ += "\n";
      for (const std::string& line : placement_.footer) out_ += line + "\n";
    }
    return out_;
  }

 private:
  const std::vector<std::string>* Before(const std::string& pointer) const {
    const auto found = placement_.before.find(pointer);
    return found == placement_.before.end() ? nullptr : &found->second;
  }
  std::string Trailing(const std::string& pointer) const {
    const auto found = placement_.trailing.find(pointer);
    // Two spaces before a trailing comment, as yamllint and most style guides ask.
    return found == placement_.trailing.end() ? std::string() : "  " + found->second;
  }
  bool BlankBefore(const std::string& pointer) const { return placement_.blank_before.count(pointer) != 0; }

  void Comments(const std::string& pointer, std::size_t indent) {
    if (const std::vector<std::string>* lines = Before(pointer)) {
      for (const std::string& line : *lines) out_ += Spaces(indent) + line + "\n";
    }
  }

  bool WasFlow(const std::string& pointer) const {
    const auto span = doc_.value_spans.find(pointer);
    if (span == doc_.value_spans.end()) return false;
    const std::size_t offset = lines_.Offset(span->second.line, span->second.column);
    return offset < doc_.text.size() && (doc_.text[offset] == '[' || doc_.text[offset] == '{');
  }

  // The one-line form of a collection written in flow style holding scalars (or such
  // collections), when it fits in the line from `column`; else nullopt.
  std::optional<std::string> Flow(const Value& value, const std::string& pointer, std::size_t column) const {
    if (!WasFlow(pointer)) return std::nullopt;
    // Steps, scenarios and the like are always blocks, however short; other collections keep
    // nested collections in flow style only when each holds scalars.
    static constexpr std::string_view kBlockOnly[] = {"suite", "step", "scenario", "scenario.branch",
                                                      "input", "hook.action", "config"};
    const std::string id = shapes_.IdAt(pointer);
    const bool block_only = std::find(std::begin(kBlockOnly), std::end(kBlockOnly), id) != std::end(kBlockOnly);
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!IsCollection(*it)) continue;
      if (block_only) return std::nullopt;
      for (auto inner = it->begin(); inner != it->end(); ++inner) {
        if (IsCollection(*inner)) return std::nullopt;
      }
    }
    std::optional<std::string> text = FlowText(value, pointer);
    if (!text || column + text->size() > kMaxLineWidth) return std::nullopt;
    return text;
  }

  std::optional<std::string> FlowText(const Value& value, const std::string& pointer) const {
    if (!IsCollection(value)) return ScalarText(value, true);
    if (value.empty()) return std::string(value.is_object() ? "{}" : "[]");
    std::string text;
    if (value.is_array()) {
      text = "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        std::optional<std::string> item = FlowText(value[i], JoinPointer(pointer, i));
        if (!item || text.size() > kMaxLineWidth) return std::nullopt;
        text += (i == 0 ? "" : ", ") + *item;
      }
      return text + "]";
    }
    text = "{ ";
    bool first = true;
    for (const std::string& key : shapes_.Ordered(value, pointer)) {
      std::optional<std::string> member = FlowText(value[key], JoinPointer(pointer, key));
      if (!member || text.size() > kMaxLineWidth) return std::nullopt;
      text += (first ? "" : ", ") + KeyText(key, true) + ": " + *member;
      first = false;
    }
    return text + " }";
  }

  // Writes `head` (a key with its colon, or a list dash) and then `value`: on the same line
  // when it is a scalar or fits in flow style, else below it at `child_indent`.
  void Value_(const std::string& head, const Value& value, const std::string& pointer, std::size_t child_indent,
              bool item) {
    const std::string sep = item ? "" : " ";
    if (value.is_string()) {
      if (std::optional<Literal> literal = AsLiteral(value.get_ref<const std::string&>())) {
        out_ += head + sep + literal->header + Trailing(pointer) + "\n";
        for (const std::string& line : literal->lines) {
          out_ += line.empty() ? "\n" : Spaces(child_indent) + line + "\n";
        }
        return;
      }
    }
    if (!IsCollection(value)) {
      out_ += head + sep + ScalarText(value, false) + Trailing(pointer) + "\n";
      return;
    }
    if (value.empty()) {
      out_ += head + sep + (value.is_object() ? "{}" : "[]") + Trailing(pointer) + "\n";
      return;
    }
    if (std::optional<std::string> flow = Flow(value, pointer, head.size() + sep.size())) {
      out_ += head + sep + *flow + Trailing(pointer) + "\n";
      return;
    }
    if (item) {
      // "- " followed by the collection's first line.
      if (value.is_object()) {
        Mapping(value, pointer, child_indent, head, true);
      } else {
        Sequence(value, pointer, child_indent, head);
      }
      return;
    }
    out_ += head + Trailing(pointer) + "\n";
    if (value.is_object()) {
      Mapping(value, pointer, child_indent, Spaces(child_indent), false);
    } else {
      Sequence(value, pointer, child_indent, Spaces(child_indent));
    }
  }

  // `first_prefix` replaces the indentation of the first line (a list dash before it); with
  // `hoisted`, the first member's comments were written above that dash.
  void Mapping(const Value& map, const std::string& pointer, std::size_t indent, std::string first_prefix,
               bool hoisted) {
    if (first_prefix.empty()) first_prefix = Spaces(indent);
    bool first = true;
    for (const std::string& key : shapes_.Ordered(map, pointer)) {
      const std::string child = JoinPointer(pointer, key);
      if (!(first && hoisted)) {
        if (!first && BlankBefore(child)) out_ += "\n";
        Comments(child, indent);
      }
      const std::string head = (first ? first_prefix : Spaces(indent)) + KeyText(key, false) + ":";
      Value_(head, map[key], child, indent + 2, false);
      first = false;
    }
  }

  void Sequence(const Value& list, const std::string& pointer, std::size_t indent, std::string first_prefix) {
    if (first_prefix.empty()) first_prefix = Spaces(indent);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string child = JoinPointer(pointer, i);
      const Value& item = list[i];
      if (i > 0 && BlankBefore(child)) out_ += "\n";
      const std::size_t comment_indent = i == 0 ? first_prefix.find_first_not_of(' ') : indent;
      Comments(child, comment_indent == std::string::npos ? indent : comment_indent);
      const bool block_map = item.is_object() && !item.empty() && !Flow(item, child, indent + 2);
      if (block_map) {
        // The first member's comments go above the dash.
        const std::string first_key = shapes_.Ordered(item, child).front();
        Comments(JoinPointer(child, first_key), comment_indent == std::string::npos ? indent : comment_indent);
      }
      const std::string head = (i == 0 ? first_prefix : Spaces(indent)) + "- ";
      Value_(head, item, child, indent + 2, true);
    }
  }

  const Document& doc_;
  const Lines& lines_;
  const Shapes& shapes_;
  const Placement& placement_;
  std::string out_;
};

// --- JSON output ---------------------------------------------------------------------------

void WriteJson(const Value& value, const std::string& pointer, const Shapes& shapes, std::size_t indent,
               std::string& out) {
  if (value.is_object() && !value.empty()) {
    out += "{\n";
    bool first = true;
    for (const std::string& key : shapes.Ordered(value, pointer)) {
      if (!first) out += ",\n";
      out += Spaces(indent + 2) + DumpJson(Value(key)) + ": ";
      WriteJson(value[key], JoinPointer(pointer, key), shapes, indent + 2, out);
      first = false;
    }
    out += "\n" + Spaces(indent) + "}";
  } else if (value.is_array() && !value.empty()) {
    out += "[\n";
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out += ",\n";
      out += Spaces(indent + 2);
      WriteJson(value[i], JoinPointer(pointer, i), shapes, indent + 2, out);
    }
    out += "\n" + Spaces(indent) + "]";
  } else {
    out += DumpJson(value);
  }
}

// --- checks --------------------------------------------------------------------------------

// Equal as documents: objects by key in any order, numbers of the same kind and value.
bool SameDocument(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() != b.is_number_float()) return false;
    return DeepEqual(a, b);
  }
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const auto found = b.find(it.key());
      if (found == b.end() || !SameDocument(it.value(), *found)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameDocument(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// Where every node starts, and every node by pointer.
void CollectNodes(const Document& doc, const Lines& lines, const Value& value, const std::string& pointer,
                  std::vector<NodeStart>& nodes, std::unordered_map<std::string, const Value*>& values) {
  values[pointer] = &value;
  if (const auto span = doc.value_spans.find(pointer); span != doc.value_spans.end() && span->second.line > 0) {
    nodes.push_back({lines.Offset(span->second.line, span->second.column), pointer, false});
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string child = JoinPointer(pointer, it.key());
      if (const auto key = doc.key_spans.find(child); key != doc.key_spans.end() && key->second.line > 0) {
        nodes.push_back({lines.Offset(key->second.line, key->second.column), child, true});
      }
      CollectNodes(doc, lines, it.value(), child, nodes, values);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      CollectNodes(doc, lines, value[i], JoinPointer(pointer, i), nodes, values);
    }
  }
}

Result<std::string> FormatYaml(const Document& doc, const Shapes& shapes) {
  const Lines lines(doc.text);
  std::vector<NodeStart> nodes;
  std::unordered_map<std::string, const Value*> values;
  CollectNodes(doc, lines, doc.root, "", nodes, values);
  std::unordered_set<std::size_t> starts;
  for (const NodeStart& node : nodes) starts.insert(node.offset);
  const Scan scan = Scanner(doc.text, doc.file, lines, starts).Run();
  if (scan.refusal) return *scan.refusal;
  Result<Placement> placement = Placer(doc, lines, std::move(nodes), std::move(values), scan).Run(doc.root);
  if (!placement) return std::move(placement).error();
  return YamlWriter(doc, lines, shapes, *placement).Write();
}

}  // namespace

Result<std::string> FormatSuiteText(std::string_view text, const std::string& file, FormatRoot root) {
  Result<Document> doc = ParseDocument(text, file);
  if (!doc) return std::move(doc).error();
  if (doc->root.is_null() && Trim(doc->text).empty()) return std::string(text);
  const Shapes shapes(doc->root, root);
  std::string formatted;
  if (EndsWith(ToLower(file), ".json")) {
    WriteJson(doc->root, "", shapes, 0, formatted);
    formatted += "\n";
  } else {
    Result<std::string> yaml = FormatYaml(*doc, shapes);
    if (!yaml) return yaml;
    formatted = std::move(*yaml);
  }
  // Never change the meaning: the result must load to the same document.
  Result<Document> again = ParseDocument(formatted, file);
  if (!again || !SameDocument(doc->root, again->root)) {
    Error error = InvalidArgument(
        "fmt would change the meaning of this file, so it is left as it is (a bug of fmt: "
        "please report it with the file)",
        again ? std::string() : "the formatted text does not load: " + again.error().message);
    error.reason = std::string(kRefused);
    error.where = SourceSpan{.file = file, .line = 1, .column = 1};
    return error;
  }
  return formatted;
}

}  // namespace flow::core
