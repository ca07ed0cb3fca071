#include "core/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace flow::core {

bool DeepEqual(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
    if (a.is_number_unsigned() && b.is_number_unsigned()) {
      return a.get<std::uint64_t>() == b.get<std::uint64_t>();
    }
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      const Value& u = a.is_number_unsigned() ? a : b;
      const Value& s = a.is_number_unsigned() ? b : a;
      const std::int64_t sv = s.get<std::int64_t>();
      return sv >= 0 && static_cast<std::uint64_t>(sv) == u.get<std::uint64_t>();
    }
    return a.get<std::int64_t>() == b.get<std::int64_t>();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        const auto found = b.find(it.key());
        if (found == b.end() || !DeepEqual(it.value(), *found)) return false;
      }
      return true;
    }
    case Value::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!DeepEqual(a[i], b[i])) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

std::string_view TypeName(const Value& value) {
  switch (value.type()) {
    case Value::value_t::string: return "string";
    case Value::value_t::boolean: return "boolean";
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
    case Value::value_t::number_float: return "number";
    case Value::value_t::object: return "object";
    case Value::value_t::array: return "array";
    case Value::value_t::binary: return "binary";
    case Value::value_t::discarded:
    case Value::value_t::null: return "null";
  }
  return "null";
}

Value ObjectWithRoom(std::size_t members) {
  Value out = Value::object();
  out.get_ref<Value::object_t&>().reserve(members);
  return out;
}

void AppendMember(Value& object, std::string_view key, Value value) {
  object.get_ref<Value::object_t&>().emplace_back(std::string(key), std::move(value));
}

namespace {

// Compact JSON text, byte for byte what nlohmann's dump(-1, ' ', false, replace) writes, about
// several times as fast (nlohmann decodes every character of every string, and sets up a writer
// for each value it is asked for): runs of plain ASCII are appended whole, a string with other
// bytes (UTF-8 to check, perhaps to replace) is written by nlohmann, floating-point numbers by the
// function nlohmann's writer calls.
class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  void Write(const Value& v) {
    switch (v.type()) {
      case Value::value_t::null: out_ += "null"; return;
      case Value::value_t::boolean: out_ += v.get<bool>() ? "true" : "false"; return;
      case Value::value_t::number_integer: Integer(v.get<std::int64_t>()); return;
      case Value::value_t::number_unsigned: Integer(v.get<std::uint64_t>()); return;
      case Value::value_t::string: String(v.get_ref<const std::string&>()); return;
      case Value::value_t::object: {
        out_ += '{';
        bool first = true;
        for (const auto& [key, member] : v.get_ref<const Value::object_t&>()) {
          if (!first) out_ += ',';
          first = false;
          String(key);
          out_ += ':';
          Write(member);
        }
        out_ += '}';
        return;
      }
      case Value::value_t::array: {
        out_ += '[';
        bool first = true;
        for (const Value& item : v.get_ref<const Value::array_t&>()) {
          if (!first) out_ += ',';
          first = false;
          Write(item);
        }
        out_ += ']';
        return;
      }
      case Value::value_t::number_float: Float(v.get<double>()); return;
      default:  // binary, discarded
        out_ += v.dump(-1, ' ', false, Value::error_handler_t::replace);
        return;
    }
  }

  template <typename T>
  void Integer(T n) {
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
    out_.append(buffer, end);
  }

  void Float(double x) {
    if (!std::isfinite(x)) {
      out_ += "null";
      return;
    }
    char buffer[64];
    char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, x);
    out_.append(buffer, static_cast<std::size_t>(end - buffer));
  }

  void String(std::string_view s) {
    const std::size_t start = out_.size();
    std::size_t i = PlainPrefix(s);
    if (i == s.size()) {  // most strings: no escape, written with their quotes at once
      out_.reserve(start + s.size() + 2);
      out_ += '"';
      out_.append(s.data(), s.size());
      out_ += '"';
      return;
    }
    out_ += '"';
    out_.append(s.data(), i);
    for (;;) {
      const std::size_t plain = PlainPrefix(s.substr(i));
      out_.append(s.data() + i, plain);
      i += plain;
      if (i == s.size()) break;
      const auto c = static_cast<unsigned char>(s[i++]);
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c >= 0x80) {  // UTF-8: nlohmann checks it (and replaces what is invalid)
            out_.resize(start);
            out_ += Value(std::string(s)).dump(-1, ' ', false, Value::error_handler_t::replace);
            return;
          }
          static constexpr char kHex[] = "0123456789abcdef";
          const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          out_.append(escaped, sizeof escaped);
      }
    }
    out_ += '"';
  }

 private:
  static constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  static constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

  // Whether a byte of `w` is >= 0x80, < 0x20, '"' or '\\' (bit tricks on a 64-bit word; a false
  // alarm only above a true one).
  static bool NeedsEscape(std::uint64_t w) {
    const auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
    return ((w & kHigh) | ((w - kOnes * 0x20) & ~w & kHigh) | has_zero(w ^ (kOnes * '"')) |
            has_zero(w ^ (kOnes * '\\'))) != 0;
  }

  // The length of the prefix of `s` that needs no escape: printable ASCII but '"' and '\\'. Eight
  // bytes at a time while they are all such; the last few bytes as one word padded with spaces;
  // byte by byte only from a word that has a byte to escape.
  static std::size_t PlainPrefix(std::string_view s) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (NeedsEscape(w)) break;
    }
    if (i + 8 > s.size() && i < s.size()) {
      std::uint64_t w = kOnes * ' ';
      std::memcpy(&w, s.data() + i, s.size() - i);
      if (!NeedsEscape(w)) return s.size();
    }
    for (; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
    }
    return i;
  }

  std::string& out_;
};

}  // namespace

void AppendJson(std::string& out, const Value& value) { CompactWriter(out).Write(value); }
void AppendJsonString(std::string& out, std::string_view text) { CompactWriter(out).String(text); }
void AppendJsonNumber(std::string& out, double x) { CompactWriter(out).Float(x); }
void AppendJsonNumber(std::string& out, std::int64_t n) { CompactWriter(out).Integer(n); }
void AppendJsonNumber(std::string& out, std::uint64_t n) { CompactWriter(out).Integer(n); }

std::string DumpJson(const Value& value, int indent) {
  if (indent >= 0) return value.dump(indent, ' ', false, Value::error_handler_t::replace);
  std::string out;
  if (value.is_structured()) out.reserve(256);  // the first few doublings at once
  CompactWriter(out).Write(value);
  return out;
}

std::string ToText(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "null";
  return DumpJson(value);
}

bool IsEmptyValue(const Value& value) {
  if (value.is_null()) return true;
  if (value.is_string()) return value.get_ref<const std::string&>().empty();
  if (value.is_array() || value.is_object()) return value.empty();
  return false;
}

std::optional<std::size_t> FindJsonNestingBeyond(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string JoinPointer(std::string_view parent, std::string_view token) {
  std::string out;
  out.reserve(parent.size() + token.size() + 1);
  out.append(parent).push_back('/');
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string JoinPointer(std::string_view parent, std::size_t index) {
  return JoinPointer(parent, std::to_string(index));
}

const Value* ResolvePointer(const Value& root, std::string_view pointer) {
  const Value* current = &root;
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    if (pointer[pos] != '/') return nullptr;
    const std::size_t next = std::min(pointer.find('/', pos + 1), pointer.size());
    std::string token;
    for (std::size_t i = pos + 1; i < next; ++i) {
      if (pointer[i] == '~' && i + 1 < next && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    if (current->is_object()) {
      const auto found = current->find(token);
      if (found == current->end()) return nullptr;
      current = &*found;
    } else if (current->is_array()) {
      std::size_t index = 0;
      if (token.empty()) return nullptr;
      for (const char c : token) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
        if (index > current->size()) return nullptr;
      }
      if (index >= current->size()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
    pos = next;
  }
  return current;
}

}  // namespace flow::core
