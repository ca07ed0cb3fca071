// The one table of generated-data templates the converters write into suites: faker calls (and a
// few JavaScript or built-in forms) by meaning ("email", "uuid", "date-time", "first_name"), with
// the Postman dynamic variable of the same meaning where there is one.
//
// Every template here must render in flowtest's sandbox (faker 9.9.0) to a value of `type`
// matching `pattern`: tests/integration/faker_tokens_test.cpp renders each entry through the real
// SandboxScriptEngine. Add an entry here, never a template elsewhere. Immutable, thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flow::core::convert {

struct FakerToken {
  std::string_view key;      // the meaning: "email", "uuid", "date-time", "first_name", ...
  std::string_view text;     // the template written into suites: "{{$faker.internet.email}}"
  std::string_view type;     // JSON type of the rendered value: "string", "number", "boolean"
  std::string_view pattern;  // an ECMAScript regex the rendered value (as text) matches
  std::string_view postman;  // the Postman dynamic variable ("$randomEmail"), or ""
};

std::span<const FakerToken> FakerTokens();

// The entry of a meaning ("email"), or nullptr.
const FakerToken* FindFakerToken(std::string_view key);

// The entry for an OpenAPI string `format` ("email", "uuid", "date-time", "uri", ...), or nullptr.
const FakerToken* FakerTokenForFormat(std::string_view format);

// The entry whose meaning a property or parameter name suggests ("firstName", "first_name",
// "e-mail", "city", "zip"), or nullptr. Only unambiguous names are recognised.
const FakerToken* FakerTokenForName(std::string_view name);

// The entry of a Postman dynamic variable ("$randomEmail", "$guid"), or nullptr.
const FakerToken* FakerTokenForPostman(std::string_view name);

// The entry whose template is the placeholder expression `expression` (the text inside the
// braces, trimmed): "$faker.internet.email", "faker.internet.email" and the direct
// "#faker.internet.email" all find the email entry; "$uuid" finds the one written as {{$uuid}}.
// nullptr when no entry has that meaning.
const FakerToken* FakerTokenForExpression(std::string_view expression);

}  // namespace flow::core::convert
