// Secrets and their masking. A SecretRegistry collects the secret values of a run as they become
// known (variables marked secret, captures marked redact, --secret, values read from $env, the
// values of variables whose names look secret, credentials in Authorization and cookie headers,
// password inputs); a SecretSet, a snapshot of it, replaces every occurrence of those values in
// any text or JSON value with "***". Everything a run writes out (console, reports, live events,
// logs, curl commands, raw dumps) passes through it, so a secret is masked wherever it shows up,
// not only in one report section.
//
// Matching is by value: a secret of kMinSubstringLength characters or more is replaced wherever
// it occurs inside a string, also in its URL-encoded and JSON-escaped forms; a shorter one only
// where a whole string (or a number's text) equals it, so masking "1" does not rewrite every
// digit. Names are matched by LooksSecret() (word by word), and variable maps mask the values of
// such names whatever their length.
//
// SecretRegistry is thread-safe (the suites of a parallel run share one); SecretSet is immutable.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"

namespace flow::core {

inline constexpr std::string_view kMask = "***";
inline constexpr std::size_t kMinSubstringLength = 3;

// Whether a variable or header name looks like it holds a secret: one of its words (split at
// '_', '-', '.', ' ' and lower-to-upper case changes) is password, passwd, pwd, passphrase,
// secret, token, key, auth, authorization, credential(s), private, sensitive, username, login,
// email, cert, pem, cookie, session, signature, otp, pin or apikey, or ends with password, secret,
// token, apikey, passphrase or credential(s); two neighbouring words count as one too
// ("accessToken", "apikey", "x-api-key", "user_name", "pass_word"). "monkey", "author" and
// "keyboard" do not match.
bool LooksSecret(std::string_view name);

class SecretSet {
 public:
  SecretSet() = default;
  explicit SecretSet(std::vector<std::string> values);

  bool empty() const { return substrings_.empty() && exact_.empty(); }
  // Every secret occurrence in `text` replaced by kMask.
  void MaskString(std::string& text) const;
  std::string Masked(std::string_view text) const;
  // Every string in `value` masked, object keys included; a number or string equal to a secret
  // becomes kMask.
  void MaskValue(Value& value) const;

 private:
  std::vector<std::string> substrings_;  // longest first, with their encoded forms
  std::vector<std::string> exact_;
};

// The values of `variables` (an object) whose names look secret become kMask, whatever their
// type and length (objects and arrays leaf by leaf); the rest is left alone.
void MaskSecretNames(Value& variables);

class SecretRegistry {
 public:
  // Adds a secret value. Empty and all-blank values are ignored, and so are "true", "false" and
  // "null", which would mask JSON itself.
  void Add(std::string_view value);
  // Adds each string and number inside `value`.
  void AddValue(const Value& value);
  // Adds the values (see AddValue) of the entries of `variables` (an object) whose names look
  // secret, at any depth: {"user": {"password": "x"}} adds "x".
  void AddNamed(const Value& variables);
  // Adds the credentials in request or response headers (an object of name -> value):
  // Authorization and Proxy-Authorization (the whole value and what follows the scheme), Cookie
  // and Set-Cookie (the whole value and each cookie's value), and any header whose name looks
  // secret.
  void AddFromHeaders(const Value& headers);

  // An immutable view of the secrets so far (cheap when nothing was added since the last call).
  std::shared_ptr<const SecretSet> Snapshot() const;
  std::vector<std::string> Values() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> values_;
  mutable std::shared_ptr<const SecretSet> snapshot_;
};

}  // namespace flow::core
