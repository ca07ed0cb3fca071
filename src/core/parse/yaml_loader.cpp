// YAML text -> Document through yaml-cpp's event parser. yaml-cpp reports events with byte
// offsets; we build a small tree of our own (so aliases can be expanded with the place of every
// node, and `<<` merge keys, duplicate keys and unquoted templates can be handled, none of which
// yaml-cpp does), then turn it into a Value in a second pass.
#include "core/parse/yaml_loader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <istream>
#include <new>
#include <optional>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/parse/text_index.hpp"
#include "core/parse/yaml_scalar.hpp"

namespace flow::core {
namespace {

constexpr std::string_view kMergeTag = "tag:yaml.org,2002:merge";
constexpr std::string_view kMapTag = "tag:yaml.org,2002:map";
constexpr std::string_view kSeqTag = "tag:yaml.org,2002:seq";

using RawSpans = std::unordered_map<std::string, RawSpan>;

// Where the second pass writes spans: straight into the Document (with line and column), or,
// for a merge source, raw, so that only the members actually merged are copied on.
class SpanSink {
 public:
  SpanSink() = default;
  SpanSink(Document& document, const LineIndex& index) : document_(&document), index_(&index) {}

  void SetValue(const std::string& pointer, RawSpan span) { Set(pointer, span, false); }
  void SetKey(const std::string& pointer, RawSpan span) { Set(pointer, span, true); }

  // Copies the spans below `pointer` whose first token is in `tokens`.
  void CopyTo(SpanSink& to, const std::string& pointer,
              const std::unordered_set<std::string>& tokens) const {
    if (tokens.empty()) return;
    const std::string prefix = pointer + "/";
    for (const bool key : {false, true}) {
      for (const auto& [path, span] : key ? keys_ : values_) {
        if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
        const std::size_t end = path.find('/', prefix.size());
        const std::string token = path.substr(
            prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
        if (tokens.count(token) != 0) to.Set(path, span, key);
      }
    }
  }

 private:
  void Set(const std::string& pointer, RawSpan span, bool key) {
    if (document_ == nullptr) {
      (key ? keys_ : values_).insert_or_assign(pointer, span);
      return;
    }
    auto& spans = key ? document_->key_spans : document_->value_spans;
    spans.insert_or_assign(pointer, index_->Span(document_->file, span));
  }

  Document* document_ = nullptr;
  const LineIndex* index_ = nullptr;
  RawSpans values_;
  RawSpans keys_;
};

// Thrown from inside yaml-cpp's callbacks (the only way to stop its parser from there) and from
// the second pass; caught in LoadYamlDocument, never beyond this file.
struct LoadFailure {
  Error error;
};
// Thrown when a second document starts; LoadYamlDocument decides what to say.
struct SecondDocument {
  std::size_t pos = 0;
};

// Lets yaml-cpp read the caller's text without a copy into a std::string.
class ViewBuffer final : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only ever read
    setg(begin, begin, begin + text.size());
  }
};

enum class NodeKind : std::uint8_t { kScalar, kSequence, kMapping, kAlias };

struct Node {
  NodeKind kind = NodeKind::kScalar;
  bool has_span = true;        // false for an empty list item whose '-' was not found
  bool open = false;           // a collection whose end has not been read yet
  bool has_merge = false;      // a mapping with at least one `<<` key
  bool is_merge_key = false;   // a plain `<<` (or `!!merge <<`) in key position
  bool implicit_null = false;  // an empty node: nothing written, yaml-cpp's mark is elsewhere
  RawSpan span;
  std::uint32_t target = 0;             // kAlias: the anchored node
  std::uint64_t size = 1;               // values it becomes once aliases are expanded (saturating)
  Value scalar;                         // kScalar: the typed value
  std::string key_text;                 // kScalar whose value is not a string: the text as written
  std::vector<std::uint32_t> children;  // list items; mapping key, value, key, value, ...
};

struct Frame {
  std::uint32_t node = 0;
  bool flow = false;
  bool expecting_key = true;  // mappings: the next node completed is a key
  std::uint32_t key = 0;      // mappings: the key whose value comes next
  std::unordered_map<std::string, std::uint32_t> keys;  // explicit keys so far -> key node
};

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string EscapeToken(std::string_view token) { return JoinPointer("", token).substr(1); }

std::string ShownCharacter(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return "end of file";
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte > 0x20 && byte < 0x7F) return std::string("'") + text[pos] + "'";
  if (byte == ' ') return "' '";
  if (byte == '\t') return "tab";
  return "character";
}

class YamlTreeBuilder final : public YAML::EventHandler {
 public:
  YamlTreeBuilder(std::string_view text, const std::string& file, const LineIndex& index)
      : text_(text), file_(file), index_(index) {}

  // --- yaml-cpp events -------------------------------------------------------------------

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (probing_) throw SecondDocument{Offset(mark)};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node node;
    node.scalar = nullptr;
    node.key_text = "null";
    const std::size_t pos = Offset(mark);
    const std::size_t length = NullLiteralLength(pos);
    node.implicit_null = length == 0;
    node.span = Raw(pos, length);
    Attach(AddNode(std::move(node), anchor));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const std::size_t pos = Offset(mark);
    if (anchor >= anchors_.size() || anchors_[anchor] == kNoNode) {
      Fail(Raw(pos, AliasLength(pos)), "yaml syntax error: unknown alias", "", "syntax");
    }
    const std::uint32_t target = anchors_[anchor];
    if (nodes_[target].open) {
      Fail(Raw(pos, AliasLength(pos)),
           "alias '" + std::string(text_.substr(pos, AliasLength(pos))) +
               "' is inside the node it refers to, which would make it infinite",
           "an alias can only refer to a node that is complete before it", "alias-cycle");
    }
    Node node;
    node.kind = NodeKind::kAlias;
    node.target = target;
    node.span = Raw(pos, AliasLength(pos));
    node.size = 1 + nodes_[target].size;
    CheckExpandedSize(node);
    Attach(AddNode(std::move(node), YAML::NullAnchor));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    const std::size_t pos = Offset(mark);
    Node node;
    node.span = Raw(pos, ScalarLength(pos, value));
    Result<Value> typed = ResolveTaggedScalar(tag, value);
    if (!typed) {
      Error error = std::move(typed).error();
      error.where = index_.Span(file_, node.span);
      throw LoadFailure{std::move(error)};
    }
    CheckQuoteClosed(pos);
    node.scalar = std::move(*typed);
    if (!node.scalar.is_string()) node.key_text = value;
    node.is_merge_key = value == "<<" && (tag == "?" || tag == kMergeTag);
    Attach(AddNode(std::move(node), anchor));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    OpenCollection(Offset(mark), tag, anchor, style, NodeKind::kSequence);
  }
  void OnSequenceEnd() override { CloseCollection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    OpenCollection(Offset(mark), tag, anchor, style, NodeKind::kMapping);
  }
  void OnMapEnd() override { CloseCollection(); }

  // --- after the first document ----------------------------------------------------------

  // From now on the start of a document throws SecondDocument.
  void StartProbing() { probing_ = true; }

  Document Finish(std::string file) {
    Document document;
    document.file = std::move(file);
    document.text = std::string(text_);
    if (has_root_) {
      const std::size_t expected = std::min<std::uint64_t>(nodes_[root_].size, nodes_.size());
      document.value_spans.reserve(expected);
      document.key_spans.reserve(expected);
      SpanSink sink(document, index_);
      document.root = Build(root_, "", 1, sink);
    }
    return document;
  }

  Error SecondDocumentError(std::size_t pos) const {
    const bool marked = text_.substr(pos, 3) == "---" || AfterDocumentEnd(pos);
    if (marked) {
      return Located(Raw(pos, 3),
                     "a suite file holds one YAML document, but a second one starts here",
                     "remove the document separator, or put each document in a file of its own",
                     "multiple-documents");
    }
    return Located(Raw(pos, PlainLength(pos)),
                   "yaml syntax error: this line is not part of the value above it",
                   "check its indentation: at the top level, lists and mappings cannot be mixed",
                   "syntax");
  }

  Error SyntaxError(const YAML::Exception& exception) const {
    std::size_t pos = exception.mark.is_null() || exception.mark.pos < 0
                          ? last_pos_
                          : static_cast<std::size_t>(exception.mark.pos);
    const std::string& raw = exception.msg;
    const bool at_end = pos >= ContentEnd();
    if (at_end) pos = ContentEnd() == 0 ? 0 : ContentEnd() - 1;
    const auto starts = [&raw](std::string_view prefix) {
      return raw.compare(0, prefix.size(), prefix) == 0;
    };
    if (text_.substr(pos, 2) == "{{") {
      // `Bearer {{token}}` inside a flow collection: the braces end the plain value.
      const std::size_t line_start =
          text_.rfind('\n', pos) == std::string_view::npos ? 0 : text_.rfind('\n', pos) + 1;
      std::size_t start = pos;
      while (start > line_start &&
             std::string_view(":,[{").find(text_[start - 1]) == std::string_view::npos) {
        --start;
      }
      while (start < pos && IsBlank(text_[start])) ++start;
      return TemplateError(start, pos, /*ends_at_braces=*/true);
    }
    std::string message;
    std::string hint;
    std::string reason = "syntax";
    std::size_t length = 1;
    if (raw == YAML::ErrorMsg::MAP_VALUE) {
      message = "unexpected ':'";
      hint =
          "a ': ' inside a value starts a nested mapping: quote the value, or fix the "
          "indentation";
    } else if (raw == YAML::ErrorMsg::MAP_KEY) {
      message = "unexpected '?' (a mapping key indicator)";
      hint = "quote the value if '?' is part of the text";
    } else if (raw == YAML::ErrorMsg::BLOCK_ENTRY) {
      message = "unexpected '-' (a list item) here";
      hint = "list items must line up under each other, indented with spaces";
    } else if (raw == YAML::ErrorMsg::END_OF_MAP) {
      message = "this line does not continue the mapping above it";
      hint = "check the indentation (spaces only), or quote a value that contains ': ' or ' #'";
      length = PlainLength(pos);
    } else if (raw == YAML::ErrorMsg::END_OF_SEQ) {
      message = "this line does not continue the list above it";
      hint = "check the indentation of the list items";
      length = PlainLength(pos);
    } else if (raw == YAML::ErrorMsg::END_OF_MAP_FLOW || raw == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
      const bool map = raw == YAML::ErrorMsg::END_OF_MAP_FLOW;
      const char open = map ? '{' : '[';
      const char close = map ? '}' : ']';
      const std::optional<std::size_t> opener =
          InnermostOpenFlow(map ? NodeKind::kMapping : NodeKind::kSequence);
      if (at_end && opener) {
        pos = *opener;
        message = std::string("the '") + open + "' opened here is never closed";
        hint = std::string("add the missing '") + close + "', or quote the value if it is text";
      } else {
        message = std::string("expected ',' or '") + close + "' in a flow " +
                  (map ? "mapping" : "list") + ", found " + ShownCharacter(text_, pos);
        hint = opener ? std::string("the '") + open + "' at " + index_.Describe(file_, *opener) +
                            " starts it; quote the value if the brackets are part of the text"
                      : "quote the value if the brackets are part of the text";
      }
    } else if (raw == YAML::ErrorMsg::FLOW_END) {
      message = "unexpected " + ShownCharacter(text_, pos) + " (no bracket to close)";
      hint = "remove it, add the opening bracket, or quote the value";
    } else if (raw == YAML::ErrorMsg::EOF_IN_SCALAR) {
      message = "unterminated quoted string";
      hint = "add the closing quote";
      if (const std::optional<std::size_t> quote = FindQuoteAfter(last_pos_, pos)) pos = *quote;
    } else if (raw == YAML::ErrorMsg::DOC_IN_SCALAR) {
      message = "a '---' or '...' line inside a quoted string";
      hint = "close the quote before it, or indent the line";
    } else if (raw == YAML::ErrorMsg::CHAR_IN_SCALAR) {
      message = "invalid character in a plain value";
      hint = "quote the value";
    } else if (raw == YAML::ErrorMsg::TAB_IN_INDENTATION) {
      message = "a tab is used for indentation";
      hint = "YAML indents with spaces only";
    } else if (raw == YAML::ErrorMsg::UNKNOWN_TOKEN) {
      const char c = pos < text_.size() ? text_[pos] : ' ';
      message = "unexpected " + ShownCharacter(text_, pos);
      hint = c == '@' || c == '`'
                 ? std::string("'") + c + "' cannot start a plain value: quote the value"
                 : "quote the value";
    } else if (starts(YAML::ErrorMsg::INVALID_ESCAPE)) {
      message = "unknown escape '\\" +
                raw.substr(std::string_view(YAML::ErrorMsg::INVALID_ESCAPE).size()) +
                "' in a double-quoted string";
      hint = "use single quotes for text with backslashes, or write '\\\\' for one backslash";
    } else if (starts(YAML::ErrorMsg::UNKNOWN_ANCHOR)) {
      const std::size_t alias_length = AliasLength(pos);
      const std::string name(text_.substr(pos + 1, alias_length > 0 ? alias_length - 1 : 0));
      message = "unknown alias '*" + name + "'";
      hint = "define the anchor first with '&" + name + "'";
      length = alias_length;
    } else if (starts(YAML::ErrorMsg::INVALID_UNICODE)) {
      message = "invalid unicode escape " +
                raw.substr(std::string_view(YAML::ErrorMsg::INVALID_UNICODE).size());
    } else if (raw == YAML::ErrorMsg::INVALID_HEX) {
      message = "invalid hexadecimal digit in an escape";
    } else if (raw == YAML::ErrorMsg::ALIAS_NOT_FOUND || raw == YAML::ErrorMsg::ANCHOR_NOT_FOUND) {
      const bool alias = raw == YAML::ErrorMsg::ALIAS_NOT_FOUND;
      message = std::string("'") + (alias ? '*' : '&') + "' must be followed by " +
                (alias ? "an alias" : "an anchor") + " name";
      hint = "quote the value if the character is part of the text";
    } else if (raw == YAML::ErrorMsg::CHAR_IN_ALIAS || raw == YAML::ErrorMsg::CHAR_IN_ANCHOR) {
      message = std::string("invalid character in ") +
                (raw == YAML::ErrorMsg::CHAR_IN_ALIAS ? "an alias" : "an anchor") + " name";
      hint = "names are letters, digits, '-' and '_'; quote the value if it is text";
    } else if (raw == YAML::ErrorMsg::ALIAS_CONTENT) {
      message = "an alias cannot have a tag, an anchor or content of its own";
    } else if (raw == YAML::ErrorMsg::CHAR_IN_BLOCK) {
      message = "unexpected character after '|' or '>'";
      hint = "only an indentation digit, '+' or '-' and a comment may follow it";
    } else if (raw == YAML::ErrorMsg::CHAR_IN_TAG_HANDLE ||
               raw == YAML::ErrorMsg::TAG_WITH_NO_SUFFIX ||
               raw == YAML::ErrorMsg::END_OF_VERBATIM_TAG) {
      message = "invalid tag";
      hint = "quote the value if '!' is part of the text";
    } else if (raw == YAML::ErrorMsg::BAD_FILE) {
      message = "nesting too deep";
      reason = "too-deep";
    } else {
      message = raw.empty() ? "unreadable yaml" : raw;
    }
    Error error =
        InvalidArgument(reason == "syntax" ? "yaml syntax error: " + message : message, hint);
    error.reason = reason;
    error.where = index_.Span(file_, Raw(pos, std::max<std::size_t>(length, 1)));
    return error;
  }

  // The error for anything else that went wrong, at the last place read.
  Error UnexpectedError(std::string_view what) const {
    return Located(Raw(last_pos_, 1), "cannot read the yaml: " + std::string(what), "", "syntax");
  }

 private:
  static constexpr std::uint32_t kNoNode = UINT32_MAX;

  // --- building the tree -----------------------------------------------------------------

  std::size_t Offset(const YAML::Mark& mark) {
    const std::size_t pos =
        mark.pos < 0 ? last_pos_
                     : std::min<std::size_t>(static_cast<std::size_t>(mark.pos), text_.size());
    last_pos_ = pos;
    return pos;
  }

  static RawSpan Raw(std::size_t pos, std::size_t length) {
    return RawSpan{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(length)};
  }

  std::uint32_t AddNode(Node node, YAML::anchor_t anchor) {
    if (nodes_.size() >= kMaxDocumentNodes) {
      Fail(node.span, "the file has more than " + std::to_string(kMaxDocumentNodes) + " values",
           "split it into smaller suites", "too-large");
    }
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.push_back(std::move(node));
    if (anchor != YAML::NullAnchor) {
      if (anchor >= anchors_.size()) anchors_.resize(anchor + 1, kNoNode);
      anchors_[anchor] = id;
    }
    return id;
  }

  // Stops alias "bombs" (each level aliasing the previous one ten times) before expanding them.
  void CheckExpandedSize(const Node& node) const {
    if (node.size <= kMaxDocumentNodes) return;
    Fail(node.span,
         "the file has more than " + std::to_string(kMaxDocumentNodes) +
             " values once its aliases are expanded",
         "use fewer aliases of large nodes", "too-large");
  }

  void OpenCollection(std::size_t pos, const std::string& tag, YAML::anchor_t anchor,
                      YAML::EmitterStyle::value style, NodeKind kind) {
    const bool flow = style == YAML::EmitterStyle::Flow;
    const bool mapping = kind == NodeKind::kMapping;
    const std::size_t content = SkipProperties(pos, LineEnd(pos));
    if (mapping && flow && text_.substr(content, 2) == "{{" &&
        text_.substr(content, LineEnd(content) - content).find("}}") != std::string_view::npos) {
      UnquotedTemplate(content);
    }
    if (tag != "?" && tag != "!" && tag != (mapping ? kMapTag : kSeqTag)) {
      Fail(Raw(pos, 1),
           "tag '" + DisplayTag(tag) + "' cannot be used on a " + (mapping ? "mapping" : "list"),
           "", "bad-tag");
    }
    if (stack_.size() >= static_cast<std::size_t>(kMaxDocumentDepth)) {
      Fail(Raw(pos, 1), "nesting deeper than " + std::to_string(kMaxDocumentDepth) + " levels",
           "flatten the data", "too-deep");
    }
    Node node;
    node.kind = kind;
    node.open = true;
    node.span = Raw(pos, 1);
    const std::uint32_t id = AddNode(std::move(node), anchor);
    Frame frame;
    frame.node = id;
    frame.flow = flow;
    stack_.push_back(std::move(frame));
  }

  void CloseCollection() {
    const std::uint32_t id = stack_.back().node;
    Node& node = nodes_[id];
    node.open = false;
    // Mapping keys are not values of their own; list items and mapping values are.
    const bool mapping = node.kind == NodeKind::kMapping;
    for (std::size_t i = mapping ? 1 : 0; i < node.children.size(); i += mapping ? 2 : 1) {
      node.size += nodes_[node.children[i]].size;
      if (node.size > kMaxDocumentNodes) break;
    }
    CheckExpandedSize(node);
    stack_.pop_back();
    Attach(id);
  }

  // `{{x}}` where a value starts was read as a mapping whose key is the mapping {x: null}.
  [[noreturn]] void UnquotedTemplate(std::size_t pos) const {
    const bool in_flow = !stack_.empty() && stack_.back().flow;
    const bool is_key = !stack_.empty() && stack_.back().expecting_key &&
                        nodes_[stack_.back().node].kind == NodeKind::kMapping;
    throw LoadFailure{TemplateError(pos, pos, in_flow || is_key)};
  }

  // The template written at `pos`, inside a value that starts at `value_start`. In block context
  // the value runs to the end of the line (`{{base}}/x`); in flow context, or as a key, it ends
  // with the template.
  Error TemplateError(std::size_t value_start, std::size_t pos, bool ends_at_braces) const {
    const std::size_t line_end = LineEnd(pos);
    const std::size_t close = text_.find("}}", pos);
    const bool closed = close != std::string_view::npos && close + 2 <= line_end;
    std::size_t end = line_end;
    if (closed && ends_at_braces) {
      end = close + 2;
    } else {
      const std::size_t comment = text_.find(" #", pos);
      if (comment < end) end = comment;
    }
    while (end > pos && IsBlank(text_[end - 1])) --end;
    const std::string written(
        text_.substr(pos, (closed && close + 2 < end ? close + 2 : end) - pos));
    const std::string value(text_.substr(value_start, end - value_start));
    std::string quoted;
    if (value.find('"') != std::string::npos) {
      quoted = "'";
      for (const char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      quoted += "'";
    } else {
      quoted = "\"" + value + "\"";
    }
    const std::string shown = ends_at_braces || !closed ? written : value;
    return Located(Raw(pos, shown.size()),
                   "unquoted template '" + shown + "' was read by YAML as a mapping",
                   (value_start < pos ? "quote the whole value: " : "quote it: ") + quoted,
                   "unquoted-template");
  }

  // yaml-cpp accepts a quoted scalar left open at the end of the file when a line break
  // follows the opening quote; YAML does not.
  void CheckQuoteClosed(std::size_t pos) const {
    const std::size_t open = SkipProperties(pos, LineEnd(pos));
    if (open >= text_.size() || (text_[open] != '"' && text_[open] != '\'')) return;
    const char quote = text_[open];
    for (std::size_t i = open + 1; i < text_.size(); ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == quote) {
        if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;
        } else {
          return;
        }
      }
    }
    Fail(Raw(open, 1), "yaml syntax error: unterminated quoted string", "add the closing quote",
         "syntax");
  }

  // A completed node goes to its parent (or becomes the root).
  void Attach(std::uint32_t id) {
    if (stack_.empty()) {
      if (nodes_[id].implicit_null) nodes_[id].has_span = false;
      root_ = id;
      has_root_ = true;
      return;
    }
    Frame& frame = stack_.back();
    if (nodes_[frame.node].kind == NodeKind::kSequence) {
      if (nodes_[id].implicit_null) PlaceEmptyItem(nodes_[id]);
      nodes_[frame.node].children.push_back(id);
      return;
    }
    if (frame.expecting_key) {
      AcceptKey(frame, id);
      frame.key = id;
      frame.expecting_key = false;
    } else {
      if (nodes_[id].implicit_null) nodes_[id].span = nodes_[frame.key].span;
      if (nodes_[frame.key].is_merge_key) CheckMergeSource(id);
      frame.expecting_key = true;
    }
    nodes_[frame.node].children.push_back(id);
  }

  // Checked when the key is complete, not when it starts: yaml-cpp also reads an unclosed '['
  // at the end of the file as the start of a key, and the syntax or depth error is the better
  // message there.
  void AcceptKey(Frame& frame, std::uint32_t id) {
    const Node& key = nodes_[Resolve(id)];
    if (key.kind != NodeKind::kScalar) {
      const std::string kind = key.kind == NodeKind::kMapping ? "mapping" : "list";
      if (nodes_[id].kind == NodeKind::kAlias) {
        Fail(nodes_[id].span,
             "a mapping key must be a plain value, but this alias refers to a " + kind, "",
             "non-scalar-key");
      }
      Fail(nodes_[id].span, "a mapping key must be a plain value, not a " + kind,
           "quote the key if the brackets are part of its name", "non-scalar-key");
    }
    if (nodes_[id].kind == NodeKind::kScalar && nodes_[id].is_merge_key) {
      nodes_[frame.node].has_merge = true;
      return;
    }
    const std::string& text = KeyText(key);
    const auto [first, inserted] = frame.keys.emplace(text, id);
    if (!inserted) {
      Fail(nodes_[id].span, "duplicate key '" + text + "'",
           "first defined at " + index_.Describe(file_, nodes_[first->second].span.pos),
           "duplicate-key");
    }
  }

  // `<<` takes a mapping (usually an alias of one) or a list of them.
  void CheckMergeSource(std::uint32_t id) const {
    const Node& value = nodes_[Resolve(id)];
    if (value.kind == NodeKind::kMapping) return;
    if (value.kind == NodeKind::kSequence) {
      // An inline list is reported at its bad item; an alias of a list where it is used.
      const bool inline_list = nodes_[id].kind != NodeKind::kAlias;
      for (const std::uint32_t item : value.children) {
        const Node& source = nodes_[Resolve(item)];
        if (source.kind != NodeKind::kMapping) {
          Fail(inline_list && nodes_[item].has_span ? nodes_[item].span : nodes_[id].span,
               "the list of a '<<' merge key must hold mappings, not a " + KindName(source),
               "write '<<: [*first, *second]' with aliases of mappings", "bad-merge");
        }
      }
      return;
    }
    Fail(nodes_[id].span,
         "a '<<' merge key needs a mapping or a list of mappings, not a " + KindName(value),
         "write '<<: *name' with the alias of a mapping, or quote '<<' to use it as a plain key",
         "bad-merge");
  }

  // An empty list item: yaml-cpp places it at the next token; point at its own '-' instead.
  void PlaceEmptyItem(Node& node) const {
    std::size_t i = node.span.pos;
    while (i > 0 && (IsBlank(text_[i - 1]) || text_[i - 1] == '\n' || text_[i - 1] == '\r')) --i;
    if (i > 0 && text_[i - 1] == '-') {
      node.span = Raw(i - 1, 1);
    } else {
      node.has_span = false;
    }
  }

  std::uint32_t Resolve(std::uint32_t id) const {
    return nodes_[id].kind == NodeKind::kAlias ? nodes_[id].target : id;
  }

  static const std::string& KeyText(const Node& node) {
    return node.scalar.is_string() ? node.scalar.get_ref<const std::string&>() : node.key_text;
  }

  static std::string KindName(const Node& node) {
    switch (node.kind) {
      case NodeKind::kMapping:
        return "mapping";
      case NodeKind::kSequence:
        return "list";
      case NodeKind::kScalar:
      case NodeKind::kAlias:
        break;
    }
    return std::string(TypeName(node.scalar));
  }

  // --- second pass: nodes -> Value -------------------------------------------------------

  Value Build(std::uint32_t id, const std::string& pointer, int level, SpanSink& sink) {
    const Node& node = nodes_[id];
    if (++built_ > kMaxDocumentNodes) {
      Fail(node.span,
           "the file has more than " + std::to_string(kMaxDocumentNodes) +
               " values once its aliases are expanded",
           "use fewer aliases of large nodes", "too-large");
    }
    if (node.kind == NodeKind::kAlias) {
      Value value = Build(node.target, pointer, level, sink);
      sink.SetValue(pointer, node.span);
      return value;
    }
    if (node.has_span) sink.SetValue(pointer, node.span);
    if (node.kind == NodeKind::kScalar) return node.scalar;
    if (level > kMaxDocumentDepth) {
      Fail(node.span,
           "nesting deeper than " + std::to_string(kMaxDocumentDepth) +
               " levels once aliases are expanded",
           "use fewer nested aliases", "too-deep");
    }
    if (node.kind == NodeKind::kSequence) {
      Value out = Value::array();
      auto& items = out.get_ref<Value::array_t&>();
      items.reserve(node.children.size());
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        items.push_back(Build(node.children[i], JoinPointer(pointer, i), level + 1, sink));
      }
      return out;
    }
    return BuildMapping(node, pointer, level, sink);
  }

  Value BuildMapping(const Node& node, const std::string& pointer, int level, SpanSink& sink) {
    Value out = Value::object();
    auto& members = out.get_ref<Value::object_t&>();
    // Explicit keys are unique (checked while parsing), so they are appended without
    // ordered_map's linear search; merged keys are checked against `present`.
    std::unordered_set<std::string> explicit_keys;
    std::unordered_set<std::string> present;
    if (node.has_merge) {
      for (std::size_t i = 0; i < node.children.size(); i += 2) {
        if (!IsMergeKey(node.children[i])) {
          explicit_keys.insert(KeyText(nodes_[Resolve(node.children[i])]));
        }
      }
    }
    for (std::size_t i = 0; i < node.children.size(); i += 2) {
      const std::uint32_t key_id = node.children[i];
      const std::uint32_t value_id = node.children[i + 1];
      if (IsMergeKey(key_id)) {
        Merge(value_id, pointer, level, explicit_keys, present, members, sink);
        continue;
      }
      const std::string& key = KeyText(nodes_[Resolve(key_id)]);
      std::string child = JoinPointer(pointer, key);
      Value value = Build(value_id, child, level + 1, sink);
      if (nodes_[key_id].has_span) sink.SetKey(child, nodes_[key_id].span);
      if (node.has_merge) present.insert(key);
      members.emplace_back(key, std::move(value));
    }
    return out;
  }

  // YAML merge: the mapping's own keys win over merged ones, and earlier sources in a list win
  // over later ones. Merged members keep the places they were written at (inside the anchor).
  void Merge(std::uint32_t value_id, const std::string& pointer, int level,
             const std::unordered_set<std::string>& explicit_keys,
             std::unordered_set<std::string>& present, Value::object_t& members, SpanSink& sink) {
    const Node& value = nodes_[Resolve(value_id)];
    std::vector<std::uint32_t> sources;
    if (value.kind == NodeKind::kMapping) {
      sources.push_back(value_id);
    } else {
      sources = value.children;
    }
    for (const std::uint32_t source_id : sources) {
      SpanSink source_spans;
      Value source = Build(source_id, pointer, level, source_spans);
      std::unordered_set<std::string> taken;  // pointer tokens of the members merged from here
      for (auto& [key, member] : source.get_ref<Value::object_t&>()) {
        if (explicit_keys.count(key) != 0 || !present.insert(key).second) continue;
        taken.insert(EscapeToken(key));
        members.emplace_back(key, std::move(member));
      }
      source_spans.CopyTo(sink, pointer, taken);
    }
  }

  bool IsMergeKey(std::uint32_t id) const {
    return nodes_[id].kind == NodeKind::kScalar && nodes_[id].is_merge_key;
  }

  // --- text helpers ------------------------------------------------------------------------

  std::size_t LineEnd(std::size_t pos) const {
    std::size_t end = text_.find('\n', pos);
    if (end == std::string_view::npos) end = text_.size();
    if (end > pos && text_[end - 1] == '\r') --end;
    return end;
  }

  // Past any tags and anchors written before a node's content.
  std::size_t SkipProperties(std::size_t pos, std::size_t limit) const {
    std::size_t i = pos;
    while (i < limit && (text_[i] == '!' || text_[i] == '&')) {
      while (i < limit && !IsBlank(text_[i])) ++i;
      while (i < limit && IsBlank(text_[i])) ++i;
    }
    return i;
  }

  // Bytes of a scalar that starts at `pos`, on its first line.
  std::size_t ScalarLength(std::size_t pos, std::string_view value) const {
    const std::size_t line_end = LineEnd(pos);
    const std::size_t i = SkipProperties(pos, line_end);
    if (i >= line_end) return std::max<std::size_t>(line_end - pos, 1);
    std::size_t end = line_end;
    const char c = text_[i];
    if (c == '"') {
      for (std::size_t j = i + 1; j < line_end; ++j) {
        if (text_[j] == '\\') {
          ++j;
        } else if (text_[j] == '"') {
          end = j + 1;
          break;
        }
      }
    } else if (c == '\'') {
      for (std::size_t j = i + 1; j < line_end; ++j) {
        if (text_[j] != '\'') continue;
        if (j + 1 < line_end && text_[j + 1] == '\'') {
          ++j;
        } else {
          end = j + 1;
          break;
        }
      }
    } else if (c == '|' || c == '>') {
      end = i + 1;
    } else if (value.find('\n') == std::string_view::npos &&
               text_.compare(i, value.size(), value) == 0) {
      end = i + value.size();
    } else {  // a plain scalar folded over several lines: its first line, without a comment
      const std::size_t comment = text_.find(" #", i);
      if (comment < end) end = comment;
      while (end > i && IsBlank(text_[end - 1])) --end;
    }
    return std::max<std::size_t>(std::min(end, line_end) - pos, 1);
  }

  // Bytes of `~`, `null`, `Null` or `NULL` written at `pos` (after any anchor), or 0.
  std::size_t NullLiteralLength(std::size_t pos) const {
    const std::size_t i = SkipProperties(pos, LineEnd(pos));
    for (const std::string_view word : {"~", "null", "Null", "NULL"}) {
      if (text_.compare(i, word.size(), word) != 0) continue;
      const std::size_t after = i + word.size();
      if (after == text_.size() ||
          std::string_view(" \t\r\n,]}:#").find(text_[after]) != std::string_view::npos) {
        return after - pos;
      }
    }
    return 0;
  }

  std::size_t AliasLength(std::size_t pos) const {
    std::size_t i = pos + 1;
    while (i < text_.size() &&
           std::string_view(" \t\r\n,[]{}").find(text_[i]) == std::string_view::npos) {
      ++i;
    }
    return std::min(i, text_.size()) - std::min(pos, text_.size());
  }

  // Bytes up to the next blank or the end of the line (at least 1).
  std::size_t PlainLength(std::size_t pos) const {
    const std::size_t line_end = LineEnd(pos);
    std::size_t i = pos;
    while (i < line_end && !IsBlank(text_[i])) ++i;
    return std::max<std::size_t>(i - std::min(pos, i), 1);
  }

  // The end of the text without trailing whitespace.
  std::size_t ContentEnd() const {
    const std::size_t last = text_.find_last_not_of(" \t\r\n");
    return last == std::string_view::npos ? 0 : last + 1;
  }

  // Whether the last line with content before `pos` is a `...` document end marker.
  bool AfterDocumentEnd(std::size_t pos) const {
    std::size_t end = text_.rfind('\n', pos == 0 ? 0 : pos - 1);
    while (end != std::string_view::npos && end > 0) {
      const std::size_t start = text_.rfind('\n', end - 1);
      const std::size_t from = start == std::string_view::npos ? 0 : start + 1;
      std::string_view line = text_.substr(from, end - from);
      while (!line.empty() && (IsBlank(line.back()) || line.back() == '\r')) line.remove_suffix(1);
      while (!line.empty() && IsBlank(line.front())) line.remove_prefix(1);
      if (!line.empty() && line.front() != '#') return line.substr(0, 3) == "...";
      if (start == std::string_view::npos) break;
      end = start;
    }
    return false;
  }

  std::optional<std::size_t> FindQuoteAfter(std::size_t from, std::size_t before) const {
    const std::size_t quote = text_.find_first_of("\"'", from);
    if (quote == std::string_view::npos || quote > before) return std::nullopt;
    return quote;
  }

  std::optional<std::size_t> InnermostOpenFlow(NodeKind kind) const {
    for (auto frame = stack_.rbegin(); frame != stack_.rend(); ++frame) {
      if (frame->flow && nodes_[frame->node].kind == kind) return nodes_[frame->node].span.pos;
    }
    return std::nullopt;
  }

  Error Located(RawSpan span, std::string message, std::string hint, std::string reason) const {
    Error error = InvalidArgument(std::move(message), std::move(hint));
    error.reason = std::move(reason);
    error.where = index_.Span(file_, RawSpan{span.pos, std::max<std::uint32_t>(span.length, 1)});
    return error;
  }

  [[noreturn]] void Fail(RawSpan span, std::string message, std::string hint,
                         std::string reason) const {
    throw LoadFailure{Located(span, std::move(message), std::move(hint), std::move(reason))};
  }

  std::string_view text_;
  const std::string& file_;
  const LineIndex& index_;
  std::vector<Node> nodes_;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> anchors_;  // yaml-cpp anchor id -> node
  std::uint32_t root_ = 0;
  bool has_root_ = false;
  bool probing_ = false;
  std::size_t last_pos_ = 0;
  std::size_t built_ = 0;
};

}  // namespace

Result<Document> LoadYamlDocument(std::string_view text, std::string file) {
  const LineIndex index(text);
  if (const std::optional<BadCharacter> bad = FindBadCharacter(text, /*yaml_rules=*/true)) {
    return BadCharacterError(*bad, file, index);
  }
  YamlTreeBuilder builder(text, file, index);
  try {
    ViewBuffer buffer(text);
    std::istream stream(&buffer);
    YAML::Parser parser(stream);
    if (parser.HandleNextDocument(builder)) {
      builder.StartProbing();
      parser.HandleNextDocument(builder);  // throws SecondDocument if there is one
    }
    return builder.Finish(std::move(file));
  } catch (const LoadFailure& failure) {
    return failure.error;
  } catch (const SecondDocument& second) {
    return builder.SecondDocumentError(second.pos);
  } catch (const YAML::Exception& exception) {
    return builder.SyntaxError(exception);
  } catch (const std::bad_alloc&) {
    return builder.UnexpectedError("out of memory");
  } catch (const std::exception& exception) {
    return builder.UnexpectedError(exception.what());
  } catch (...) {
    return builder.UnexpectedError("unknown failure");
  }
}

}  // namespace flow::core
