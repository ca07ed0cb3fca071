#include "core/capture/capture_plan.hpp"

#include <cctype>
#include <utility>

#include "core/jmespath/shorthands.hpp"
#include "core/schema/registry.hpp"
#include "core/template/template.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

using capture::Entry;
using capture::EntryKind;


bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsNumberText(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// `true`, `false`, `null` and numbers written as capture expressions mean those values: as
// JMESPath they would name a root of the context, and no root is called so.
std::optional<Value> KeywordLiteral(std::string_view text) {
  const std::string_view t = Trim(text);
  if (t == "true") return Value(true);
  if (t == "false") return Value(false);
  if (t == "null") return Value(nullptr);
  if (IsNumberText(t)) {
    Value number = Value::parse(t, nullptr, /*allow_exceptions=*/false);
    if (number.is_number()) return number;
  }
  return std::nullopt;
}

bool IsQuotedText(std::string_view text) {
  return text.size() >= 2 && text.front() == '"' && text.back() == '"';
}

// "@body.id" and "@.body.id" -> "body.id"; "@" alone is the whole context.
std::string DirectPath(std::string_view text) {
  std::string_view rest = Trim(text.substr(1));
  if (!rest.empty() && rest.front() == '.') rest.remove_prefix(1);
  return rest.empty() ? std::string("@") : std::string(rest);
}

std::string Warning(const std::string& name, const std::string& what) {
  return "capture '" + name + "': " + what;
}

// Searches `expression` over the context and records the result in `outcome`.
void RunPath(const jmespath::Expression& expression, const Value& context,
             CaptureOutcome& outcome) {
  Result<Value> found = expression.Search(context);
  if (!found) {
    outcome.warning = Warning(
        outcome.name, "could not evaluate '" + expression.text() + "': " + found.error().message);
    return;
  }
  outcome.stored = true;
  outcome.value = std::move(*found);
  if (outcome.value.is_null()) {
    outcome.warning = Warning(outcome.name, "path '" + expression.text() + "' matched nothing");
  }
}

// A rendered template that is still a string, used as an expression. Unlike a written expression,
// text that is not JMESPath is kept as text: it is a value the template produced (a uuid, a
// name), not a mistyped path.
void RunRenderedText(const std::string& text, const Value& context, CaptureOutcome& outcome) {
  if (std::optional<Value> literal = KeywordLiteral(text)) {
    outcome.stored = true;
    outcome.value = std::move(*literal);
    return;
  }
  const bool direct = !text.empty() && text.front() == '@';
  Result<jmespath::Expression> expression =
      jmespath::Expression::Compile(direct ? DirectPath(text) : text);
  if (expression) {
    RunPath(*expression, context, outcome);
    return;
  }
  if (direct) {
    outcome.warning = Warning(
        outcome.name, "invalid capture expression '" + text + "': " + expression.error().message);
    return;
  }
  outcome.stored = true;
  outcome.value = text;
}

// `a.'b-c'` is not JMESPath (a raw string cannot follow a dot), but suites written for the
// original engine use it to mean the identifier `a."b-c"`. Returns the rewritten text, or nullopt
// when there is no such segment.
std::optional<std::string> QuoteRawStringSegments(std::string_view text) {
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.' && i + 1 < text.size() && text[i + 1] == '\'') {
      const std::size_t close = text.find('\'', i + 2);
      if (close == std::string_view::npos) return std::nullopt;
      out += ".\"";
      for (const char c : text.substr(i + 2, close - i - 2)) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      i = close;
      changed = true;
      continue;
    }
    out += text[i];
  }
  if (!changed) return std::nullopt;
  return out;
}

Result<Entry> CompileString(std::string name, std::string pointer, const std::string& text,
                            std::vector<Error>& warnings) {
  Entry entry{.name = std::move(name), .pointer = std::move(pointer)};
  if (IsQuotedText(text)) {
    entry.literal = text.substr(1, text.size() - 2);
    return entry;
  }
  if (std::optional<DirectExpression> direct = DetectDirectExpression(text);
      direct && direct->kind != DirectKind::kJmesPath) {
    entry.kind = EntryKind::kScript;
    entry.text = text;
    return entry;
  }
  // In a capture, "$" + a name is always code (no capture is a price): "$age >= 18".
  if (text.size() > 1 && text[0] == '$' && !StartsWith(text, "$env.") &&
      (std::isalpha(static_cast<unsigned char>(text[1])) || text[1] == '_') &&
      text.find("}}") == std::string::npos) {
    entry.kind = EntryKind::kScript;
    entry.text = "{{$js: " + text.substr(1) + "}}";
    return entry;
  }
  if (text.find("{{") != std::string::npos) {
    Result<Template> parsed = Template::Parse(text);
    const bool script = parsed && parsed->IsWholeExpression() && !parsed->ScriptUses().empty();
    entry.kind = script ? EntryKind::kScript : EntryKind::kTemplate;
    entry.text = text;
    return entry;
  }
  if (Trim(text).empty()) {
    return InvalidArgumentAt("capture '" + entry.name + "' has an empty expression", entry.pointer,
                        "invalid-capture");
  }
  const bool direct = text.front() == '@';
  if (!direct) {
    if (std::optional<Value> literal = KeywordLiteral(text)) {
      entry.literal = std::move(*literal);
      return entry;
    }
  }
  const std::string expression_text = direct ? DirectPath(text) : text;
  Result<jmespath::Expression> expression = jmespath::Expression::Compile(expression_text);
  if (expression) {
    entry.kind = EntryKind::kPath;
    entry.text = expression_text;
    entry.path = std::move(*expression);
    return entry;
  }
  if (std::optional<std::string> quoted = QuoteRawStringSegments(expression_text)) {
    if (Result<jmespath::Expression> fixed = jmespath::Expression::Compile(*quoted)) {
      Error note = InvalidArgument("capture '" + entry.name + "': '" + text +
                                       "' is not JMESPath; read as '" + *quoted + "'",
                                   "write the identifier in double quotes: '" + *quoted + "'");
      note.pointer = entry.pointer;
      note.reason = "raw-string-identifier";
      warnings.push_back(std::move(note));
      entry.kind = EntryKind::kPath;
      entry.text = *quoted;
      entry.path = std::move(*fixed);
      return entry;
    }
  }
  if (std::optional<std::string> bracketed = jmespath::QuoteBracketKeys(expression_text)) {
    if (Result<jmespath::Expression> fixed = jmespath::Expression::Compile(*bracketed)) {
      Error note = InvalidArgument("capture '" + entry.name + "': '" + text +
                                       "' is not JMESPath; read as '" + *bracketed + "'",
                                   "write the key in double quotes: '" + *bracketed + "'");
      note.pointer = entry.pointer;
      note.reason = "bracket-key";
      warnings.push_back(std::move(note));
      entry.kind = EntryKind::kPath;
      entry.text = *bracketed;
      entry.path = std::move(*fixed);
      return entry;
    }
  }
  if (!direct && text.find('/') != std::string::npos) {  // a URL or a path: text, as written
    entry.literal = text;
    return entry;
  }
  if (!direct && text.find(' ') != std::string::npos &&
      text.find_first_of("[]{}|@`&=<>!()") == std::string::npos) {
    // Prose ("Check the results"): the original captured nothing; keep it as the text it is.
    Error note = InvalidArgument("capture '" + entry.name + "': '" + text +
                                     "' is not JMESPath; captured as text",
                                 "quote literal text: '\"" + text + "\"'");
    note.pointer = entry.pointer;
    note.reason = "text-capture";
    warnings.push_back(std::move(note));
    entry.literal = text;
    return entry;
  }
  if (expression.error().message.find("unknown function") != std::string::npos) {
    // A function JMESPath does not have (group_by, ...): the suite still runs; this capture
    // warns each time and stores nothing.
    Error note = InvalidArgument("capture '" + entry.name + "': " + expression.error().message +
                                     " in '" + text + "'; it will capture nothing",
                                 "JMESPath functions: https://jmespath.org/specification.html#built-in-functions");
    note.pointer = entry.pointer;
    note.reason = "unknown-function";
    warnings.push_back(note);
    entry.kind = EntryKind::kUnavailable;
    entry.text = "cannot evaluate '" + text + "': " + expression.error().message;
    return entry;
  }
  return InvalidArgumentAt("invalid capture expression '" + text + "': " + expression.error().message,
                      entry.pointer, "invalid-capture",
                      "write a JMESPath such as 'body.id', or quote literal text as '\"text\"'");
}

// `{path: "<capture string>", redact: true|false}`: the path is compiled as any capture string.
Result<Entry> CompileEntryForm(const std::string& name, const std::string& pointer,
                               const Value& value, std::vector<Error>& warnings) {
  const schema::ObjectSpec& spec = schema::Object("capture.entry");
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (spec.FindKey(it.key()) != nullptr) continue;
    return InvalidArgumentAt("unknown capture key '" + it.key() + "' in capture '" + name + "'",
                             JoinPointer(pointer, it.key()), "unknown-key",
                             DidYouMean(it.key(), spec.KeyNames()));
  }
  const auto path = value.find("path");
  if (path == value.end()) {
    return InvalidArgumentAt("capture '" + name + "' needs a 'path' (what to capture)", pointer,
                             "invalid-capture", "write {path: body.id, redact: true}");
  }
  if (!path->is_string()) {
    return InvalidArgumentAt("'path' of capture '" + name + "' must be a string, got " +
                                 std::string(TypeName(*path)),
                             JoinPointer(pointer, "path"), "invalid-capture");
  }
  bool redact = false;
  if (const auto r = value.find("redact"); r != value.end()) {
    if (!r->is_boolean()) {
      return InvalidArgumentAt("'redact' of capture '" + name + "' must be true or false, got " +
                                   std::string(TypeName(*r)),
                               JoinPointer(pointer, "redact"), "invalid-capture");
    }
    redact = r->get<bool>();
  }
  Result<Entry> entry = CompileString(name, JoinPointer(pointer, "path"),
                                      path->get_ref<const std::string&>(), warnings);
  if (!entry) return entry;
  entry->pointer = pointer;
  entry->redact = redact;
  return entry;
}

}  // namespace

bool IsCaptureEntryForm(const Value& value) {
  const schema::Type* type = schema::MatchType(
      schema::Object("step").Key("capture").types.front().values, value);
  return type != nullptr && type->kind == schema::Type::Kind::kObject;
}

Result<CapturePlan> CapturePlan::Compile(const Value& capture_block) {
  CapturePlan plan;
  if (capture_block.is_null()) return plan;
  if (!capture_block.is_object()) {
    return InvalidArgumentAt(
        "the capture block must be a mapping of variable names to expressions, "
        "got " +
            std::string(TypeName(capture_block)),
        "", "invalid-block");
  }
  for (auto it = capture_block.begin(); it != capture_block.end(); ++it) {
    const std::string pointer = JoinPointer("", it.key());
    if (Trim(it.key()).empty()) {
      return InvalidArgumentAt("empty capture name", pointer, "invalid-capture");
    }
    if (IsCaptureEntryForm(it.value())) {
      Result<Entry> entry = CompileEntryForm(it.key(), pointer, it.value(), plan.warnings_);
      if (!entry) return std::move(entry).error();
      plan.entries_.push_back(std::move(*entry));
      continue;
    }
    if (!it.value().is_string()) {
      plan.entries_.push_back(Entry{.name = it.key(), .pointer = pointer, .literal = it.value()});
      continue;
    }
    Result<Entry> entry =
        CompileString(it.key(), pointer, it.value().get_ref<const std::string&>(), plan.warnings_);
    if (!entry) return std::move(entry).error();
    plan.entries_.push_back(std::move(*entry));
  }
  return plan;
}

std::vector<CaptureOutcome> CapturePlan::Evaluate(const Value& context,
                                                  const Render& render) const {
  std::vector<CaptureOutcome> outcomes;
  outcomes.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    CaptureOutcome outcome{.name = entry.name, .pointer = entry.pointer, .redact = entry.redact};
    switch (entry.kind) {
      case EntryKind::kLiteral:
        outcome.stored = true;
        outcome.value = entry.literal;
        break;
      case EntryKind::kPath:
        RunPath(*entry.path, context, outcome);
        break;
      case EntryKind::kUnavailable:
        outcome.warning = Warning(entry.name, entry.text);
        break;
      case EntryKind::kScript:
      case EntryKind::kTemplate: {
        if (!render) {
          outcome.warning = Warning(entry.name, "no template renderer for '" + entry.text + "'");
          break;
        }
        Result<Value> rendered = render(entry.text);
        if (!rendered) {
          outcome.warning = Warning(entry.name, rendered.error().message);
          break;
        }
        if (entry.kind == EntryKind::kTemplate && rendered->is_string()) {
          RunRenderedText(rendered->get_ref<const std::string&>(), context, outcome);
        } else {
          outcome.stored = true;
          outcome.value = std::move(*rendered);
        }
        break;
      }
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace flow::core
