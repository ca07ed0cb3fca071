#include "core/secrets/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/util/strings.hpp"

namespace flow::core {
namespace {

constexpr std::string_view kSecretWords[] = {
    "password", "passwd",   "pwd",       "passphrase", "secret",      "token",     "key",
    "auth",     "authorization", "credential", "credentials", "private", "sensitive", "username",
    "login",    "email",    "cert",      "pem",        "cookie",      "session",   "signature",
    "otp",      "pin",      "apikey"};
constexpr std::string_view kSecretSuffixes[] = {"password", "secret", "token", "apikey",
                                                "passphrase", "credential", "credentials"};

std::vector<std::string> Words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool separator = !std::isalnum(c);
    const bool camel = std::isupper(c) && i > 0 &&
                       std::islower(static_cast<unsigned char>(name[i - 1]));
    if ((separator || camel) && !word.empty()) {
      words.push_back(word);
      word.clear();
    }
    if (!separator) word += static_cast<char>(std::tolower(c));
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// encodeURIComponent's form: unreserved characters as they are, every other byte %XX.
std::string PercentEncoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '!' || c == '*' ||
        c == '\'' || c == '(' || c == ')') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string JsonEscaped(std::string_view text) {
  const std::string dumped = DumpJson(Value(std::string(text)));
  return dumped.substr(1, dumped.size() - 2);
}

bool Ignored(std::string_view value) {
  if (Trim(value).empty()) return true;
  return value == "true" || value == "false" || value == "null";
}

void MaskLeaves(Value& value) {
  if (value.is_object() || value.is_array()) {
    for (Value& item : value) MaskLeaves(item);
    return;
  }
  if (!value.is_null()) value = std::string(kMask);
}

}  // namespace

bool LooksSecret(std::string_view name) {
  const std::vector<std::string> words = Words(name);
  const auto matches = [](const std::string& word) {
    for (const std::string_view w : kSecretWords) {
      if (word == w) return true;
    }
    for (const std::string_view suffix : kSecretSuffixes) {
      if (word.size() > suffix.size() && EndsWith(word, suffix)) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    // Each word, and each pair of neighbours written apart ("user_name", "api-key", "pass word").
    if (matches(words[i])) return true;
    if (i + 1 < words.size() && matches(words[i] + words[i + 1])) return true;
  }
  return false;
}

SecretSet::SecretSet(std::vector<std::string> values) {
  std::set<std::string> substrings, exact;
  for (std::string& v : values) {
    if (v.size() < kMinSubstringLength) {
      exact.insert(std::move(v));
      continue;
    }
    substrings.insert(PercentEncoded(v));
    substrings.insert(JsonEscaped(v));
    substrings.insert(std::move(v));
  }
  substrings_.assign(substrings.begin(), substrings.end());
  // Longest first: a secret inside a longer one must not leave the rest of the longer visible.
  std::stable_sort(substrings_.begin(), substrings_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  exact_.assign(exact.begin(), exact.end());
}

void SecretSet::MaskString(std::string& text) const {
  if (text.empty()) return;
  for (const std::string& secret : exact_) {
    if (text == secret) {
      text = std::string(kMask);
      return;
    }
  }
  for (const std::string& secret : substrings_) {
    if (text.size() < secret.size()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kMask.size())) {
      text.replace(at, secret.size(), kMask);
    }
  }
}

std::string SecretSet::Masked(std::string_view text) const {
  std::string out(text);
  MaskString(out);
  return out;
}

void SecretSet::MaskValue(Value& value) const {
  if (empty()) return;
  switch (value.type()) {
    case Value::value_t::string:
      MaskString(value.get_ref<std::string&>());
      return;
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
    case Value::value_t::number_float: {
      const std::string text = DumpJson(value);
      if (Masked(text) != text) value = std::string(kMask);
      return;
    }
    case Value::value_t::array:
      for (Value& item : value) MaskValue(item);
      return;
    case Value::value_t::object: {
      bool keys_masked = false;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (Masked(it.key()) != it.key()) keys_masked = true;
        MaskValue(it.value());
      }
      if (!keys_masked) return;
      Value renamed = Value::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        renamed[Masked(it.key())] = std::move(it.value());
      }
      value = std::move(renamed);
      return;
    }
    default:
      return;
  }
}

void MaskSecretNames(Value& variables) {
  if (!variables.is_object()) return;
  for (auto it = variables.begin(); it != variables.end(); ++it) {
    if (LooksSecret(it.key())) {
      MaskLeaves(it.value());
    } else if (it.value().is_object()) {
      MaskSecretNames(it.value());
    }
  }
}

void SecretRegistry::Add(std::string_view value) {
  if (Ignored(value)) return;
  std::lock_guard lock(mutex_);
  if (std::find(values_.begin(), values_.end(), value) != values_.end()) return;
  values_.emplace_back(value);
  snapshot_.reset();
}

void SecretRegistry::AddValue(const Value& value) {
  if (value.is_string()) {
    Add(value.get_ref<const std::string&>());
  } else if (value.is_number()) {
    Add(DumpJson(value));
  } else if (value.is_object() || value.is_array()) {
    for (const Value& item : value) AddValue(item);
  }
}

void SecretRegistry::AddNamed(const Value& variables) {
  if (!variables.is_object()) return;
  for (auto it = variables.begin(); it != variables.end(); ++it) {
    if (LooksSecret(it.key())) {
      AddValue(it.value());
    } else if (it.value().is_object()) {
      AddNamed(it.value());
    }
  }
}

void SecretRegistry::AddFromHeaders(const Value& headers) {
  if (!headers.is_object()) return;
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    const std::string name = ToLower(it.key());
    const std::string value = ToText(it.value());
    if (name == "authorization" || name == "proxy-authorization") {
      Add(value);
      if (const std::size_t space = value.find(' '); space != std::string::npos) {
        Add(Trim(std::string_view(value).substr(space + 1)));
      }
    } else if (name == "cookie" || name == "set-cookie") {
      Add(value);
      // "a=1; b=2" (Cookie) or "a=1; Path=/; HttpOnly" (Set-Cookie: only the first pair).
      for (const std::string& pair : Split(value, ';')) {
        const std::size_t eq = pair.find('=');
        if (eq != std::string::npos) Add(Trim(std::string_view(pair).substr(eq + 1)));
        if (name == "set-cookie") break;
      }
    } else if (LooksSecret(name)) {
      Add(value);
    }
  }
}

std::shared_ptr<const SecretSet> SecretRegistry::Snapshot() const {
  std::lock_guard lock(mutex_);
  if (!snapshot_) snapshot_ = std::make_shared<const SecretSet>(values_);
  return snapshot_;
}

std::vector<std::string> SecretRegistry::Values() const {
  std::lock_guard lock(mutex_);
  return values_;
}

std::size_t SecretRegistry::size() const {
  std::lock_guard lock(mutex_);
  return values_.size();
}

}  // namespace flow::core
