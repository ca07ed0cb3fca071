#include "core/value.hpp"

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

std::string DumpJson(const Value& value, int indent) {
  return value.dump(indent, ' ', false, Value::error_handler_t::replace);
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
