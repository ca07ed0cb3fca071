// The conversion of an answer (typed text, or a value from an answers file or a default) to the
// value an input of a given type stores, and the format checks of the email and url types.
// Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/input/input_plan.hpp"
#include "core/ports/input_provider.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

// text, password, multiline: strings as they are, numbers and booleans as their text.
// number: numbers as they are; text in decimal notation ("42", " -1.5 ", "1e3") as a number
//   (whole numbers as integers); anything else ("abc", "0x10", "") is an error.
// confirm: booleans as they are; true/false, yes/no, y/n, 1/0, on/off (any case) as booleans.
// select: an option's value (compared as JSON), or its text ("2" for the value 2), or its
//   1-based number as typed text ("3"), or its label (any case), in that order; the result is the
//   option's value with its JSON type.
// email, url: strings that pass IsValidEmail / IsValidUrl.
// An error's message is what a person is shown ("expected a number, got 'abc'"); reason
// "invalid-answer".
Result<Value> ConvertInputValue(InputType type, const Value& answer,
                                const std::vector<InputOption>& options);

// One '@', no spaces, and a '.' inside the domain: the original's /^[^\s@]+@[^\s@]+\.[^\s@]+$/.
bool IsValidEmail(std::string_view text);
// An absolute URL: a scheme ("https:", "mailto:"), then for http, https, ftp, ws and wss a
// "//host"; no spaces.
bool IsValidUrl(std::string_view text);

}  // namespace flow::core
