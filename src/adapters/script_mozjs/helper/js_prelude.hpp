// The JavaScript prelude of every sandbox scope: a classic script whose completion value is
// `function (natives, makeFaker, locale, seed)`. Called once in a fresh global, it builds the
// Node-like shims (console, btoa/atob, Buffer, crypto, setVariable) on top of the internal
// natives object, creates and seeds the scope's faker, patches its aliases (userName, precision),
// removes `__flowFaker` and returns the faker instance. Read-only data; thread-safe.
#pragma once

#include <string_view>

namespace flow::adapters::sandbox {

std::string_view SandboxPrelude();

}  // namespace flow::adapters::sandbox
